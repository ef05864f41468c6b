//! Request and response bodies of the HTTP API, shared by the server (which serves them) and the client
//! core (which sends and decodes them), so the two cannot drift apart.

mod account;
mod booking;
mod sync;
mod video;

pub use account::*;
pub use booking::*;
pub use sync::*;
pub use video::*;
