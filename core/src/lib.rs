//! Psyter's client core: everything a shell shows comes from here and everything a user does goes
//! through here. Work in progress (issue 3): the error enum, API client, secret store and encrypted
//! cache are the foundation; session, sync, outbox, history, reminders and i18n build on them.

pub mod api;
pub mod cache;
pub mod error;
pub mod secret;

pub use error::{CoreError, ErrorKind};
