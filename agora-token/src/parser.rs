//! Parsing tokens back, to read their expiry and, with the certificate, check their signature.
//!
//! The parser treats its input as hostile: every length is checked against the bytes actually
//! present before anything is read, nothing panics, and allocation is bounded by the input caps.

use crate::TokenError;
use crate::codec::decode_payload;
use crate::packing::Reader;
use crate::service::{RtcService, Service, read_service};
use crate::signing::{is_hex_id, verify};

/// The fields of a parsed AccessToken2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedToken {
    app_id: String,
    issue_ts: u32,
    expire_secs: u32,
    salt: u32,
    signature: Vec<u8>,
    services: Vec<Service>,
    unknown_service_type: Option<u16>,
    signing_info: Vec<u8>,
}

/// Parses `"007…"` token text (base64, zlib, then the binary fields).
pub fn parse(token: &str) -> Result<ParsedToken, TokenError> {
    parse_payload(&decode_payload(token)?)
}

/// Parses an already inflated payload: length-prefixed signature, then the signed fields.
///
/// Services are read in order until one of a type whose layout is unknown; that type is reported
/// by [`ParsedToken::unknown_service_type`] and it and later services are left unread (as the
/// reference parsers do). Bytes after the last service are ignored; the signature still covers them.
pub fn parse_payload(payload: &[u8]) -> Result<ParsedToken, TokenError> {
    let mut reader = Reader::new(payload);
    let signature = reader.bytes("signature")?.to_vec();
    let signing_info = reader.rest().to_vec();
    let app_id = reader.string("app id")?;
    let issue_ts = reader.u32("issue ts")?;
    let expire_secs = reader.u32("expire")?;
    let salt = reader.u32("salt")?;
    let count = reader.u16("service count")?;

    let mut services = Vec::new();
    let mut unknown_service_type = None;
    for _ in 0..count {
        let service_type = reader.u16("service type")?;
        match read_service(&mut reader, service_type)? {
            Some(service) => services.push(service),
            None => {
                unknown_service_type = Some(service_type);
                break;
            }
        }
    }
    Ok(ParsedToken { app_id, issue_ts, expire_secs, salt, signature, services, unknown_service_type, signing_info })
}

impl ParsedToken {
    /// The Agora app id.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// When the token was issued, in Unix seconds.
    pub fn issue_ts(&self) -> u32 {
        self.issue_ts
    }

    /// How long the token is valid after [`ParsedToken::issue_ts`], in seconds.
    pub fn expire_secs(&self) -> u32 {
        self.expire_secs
    }

    /// The salt mixed into the signing key.
    pub fn salt(&self) -> u32 {
        self.salt
    }

    /// The signature as carried in the token (32 bytes in a well-formed token).
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The signed bytes: everything after the signature field.
    pub fn signing_info(&self) -> &[u8] {
        &self.signing_info
    }

    /// The services read, in token order.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The RTC services, in token order.
    pub fn rtc_services(&self) -> impl Iterator<Item = &RtcService> {
        self.services.iter().filter_map(|service| match service {
            Service::Rtc(rtc) => Some(rtc),
            Service::Other(_) => None,
        })
    }

    /// The first RTC service, if any.
    pub fn rtc(&self) -> Option<&RtcService> {
        self.rtc_services().next()
    }

    /// The type of the service where parsing stopped because its layout is unknown, if any.
    pub fn unknown_service_type(&self) -> Option<u16> {
        self.unknown_service_type
    }

    /// When the token itself expires: issue ts + expire, in Unix seconds.
    pub fn expires_at_unix(&self) -> u64 {
        u64::from(self.issue_ts) + u64::from(self.expire_secs)
    }

    /// When the first privilege with a limit runs out: issue ts + the smallest non-zero privilege
    /// expire over all services read, in Unix seconds; `None` if no privilege has a limit.
    pub fn earliest_privilege_expiry_unix(&self) -> Option<u64> {
        self.services
            .iter()
            .flat_map(|service| service.privileges().values().copied())
            .filter(|&expire| expire != 0)
            .min()
            .map(|expire| u64::from(self.issue_ts) + u64::from(expire))
    }

    /// The earlier of [`ParsedToken::expires_at_unix`] and
    /// [`ParsedToken::earliest_privilege_expiry_unix`]: renew before this.
    pub fn effective_expiry_unix(&self) -> u64 {
        let token = self.expires_at_unix();
        self.earliest_privilege_expiry_unix().map_or(token, |privilege| privilege.min(token))
    }

    /// Whether the token was signed with `app_certificate` (32 hex characters), in constant time.
    pub fn verify(&self, app_certificate: &str) -> bool {
        is_hex_id(app_certificate)
            && verify(app_certificate, self.issue_ts, self.salt, &self.signing_info, &self.signature)
    }
}
