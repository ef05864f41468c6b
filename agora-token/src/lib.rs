//! Agora AccessToken2 (`"007"`) RTC tokens for Psyter's video consultations: building them
//! deterministically on the server, and parsing them back (for proactive renewal before expiry, and
//! for signature checks).
//!
//! A token is `"007"` followed by the standard base64 of a zlib stream. Inflated, it holds a
//! `u16`-length-prefixed HMAC-SHA256 signature followed by the signed fields: app id, issue ts,
//! expire, salt and the services, each with a privilege map. All integers are little-endian.
//! Expires (the token's and every privilege's) are seconds after the issue time, not timestamps.
//!
//! ```
//! use psyter_agora_token::{Role, build_rtc_token, parse};
//!
//! let token = build_rtc_token(
//!     "970CA35de60c44645bbae8a215061b33",
//!     "5CFd2fd1755d40ecb72977518be15d3b",
//!     "consultation-42",
//!     7,
//!     Role::Publisher,
//!     3600,
//!     3600,
//!     1_700_000_000,
//!     12_345,
//! )?;
//! let parsed = parse(&token)?;
//! assert_eq!(parsed.expires_at_unix(), 1_700_003_600);
//! assert_eq!(parsed.rtc().map(|rtc| rtc.uid()), Some("7"));
//! assert!(parsed.verify("5CFd2fd1755d40ecb72977518be15d3b"));
//! # Ok::<(), psyter_agora_token::TokenError>(())
//! ```

mod builder;
mod codec;
mod error;
mod packing;
mod parser;
mod service;
mod signing;

#[cfg(test)]
mod tests;

pub use builder::{AccessToken2, Role, build_rtc_token, build_rtc_token_with_account};
pub use codec::{MAX_PAYLOAD_LEN, MAX_TOKEN_LEN, VERSION, decode_payload};
pub use error::TokenError;
pub use parser::{ParsedToken, parse, parse_payload};
pub use service::{
    OtherService, RtcPrivilege, RtcService, SERVICE_APAAS, SERVICE_CHAT, SERVICE_FCDN, SERVICE_FPA, SERVICE_RTC,
    SERVICE_RTM, SERVICE_RTM2, SERVICE_STREAMING, Service,
};
