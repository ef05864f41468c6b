//! Accounts and sessions: password hashing, access and refresh tokens, throttling, TOTP and the
//! authenticated-user extractor.

pub mod extract;
pub mod password;
pub mod routes;
pub mod throttle;
pub mod tokens;
pub mod totp;

pub use extract::AuthUser;
