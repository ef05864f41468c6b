//! Appointments: booking, listing, cancel, reschedule, provider status changes and session notes.

pub mod idempotency;
pub mod routes;
pub mod store;

pub use routes::router;
