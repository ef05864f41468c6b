//! Building tokens: the general [`AccessToken2`] builder and the RTC conveniences the Psyter server uses.
//!
//! Nothing here reads the clock or draws random numbers: the caller passes the issue time and salt,
//! so the same inputs always give the same token.

use std::fmt;

use crate::TokenError;
use crate::codec::encode_payload;
use crate::packing::Packer;
use crate::service::{RtcPrivilege, RtcService};
use crate::signing::{is_hex_id, sign};

/// An AccessToken2 under construction.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken2 {
    app_id: String,
    app_certificate: String,
    issue_ts: u32,
    expire_secs: u32,
    salt: u32,
    services: Vec<RtcService>,
}

impl fmt::Debug for AccessToken2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken2")
            .field("app_id", &self.app_id)
            .field("app_certificate", &"<redacted>")
            .field("issue_ts", &self.issue_ts)
            .field("expire_secs", &self.expire_secs)
            .field("salt", &self.salt)
            .field("services", &self.services)
            .finish()
    }
}

impl AccessToken2 {
    /// A token without services, valid `expire_secs` seconds after `issue_ts` (Unix seconds).
    pub fn new(
        app_id: impl Into<String>,
        app_certificate: impl Into<String>,
        issue_ts: u32,
        expire_secs: u32,
        salt: u32,
    ) -> Self {
        Self {
            app_id: app_id.into(),
            app_certificate: app_certificate.into(),
            issue_ts,
            expire_secs,
            salt,
            services: Vec::new(),
        }
    }

    /// Adds an RTC service; several are allowed and keep their order.
    pub fn add_service(&mut self, service: RtcService) -> &mut Self {
        self.services.push(service);
        self
    }

    /// Builder-style [`AccessToken2::add_service`].
    #[must_use]
    pub fn with_service(mut self, service: RtcService) -> Self {
        self.add_service(service);
        self
    }

    /// The signed fields: app id, issue ts, expire, salt, service count and the services.
    pub fn signing_info(&self) -> Result<Vec<u8>, TokenError> {
        if !is_hex_id(&self.app_id) {
            return Err(TokenError::InvalidAppId);
        }
        if !is_hex_id(&self.app_certificate) {
            return Err(TokenError::InvalidAppCertificate);
        }
        if self.services.is_empty() {
            return Err(TokenError::NoServices);
        }
        let mut packer = Packer::new();
        packer
            .bytes("app id", self.app_id.as_bytes())?
            .u32(self.issue_ts)
            .u32(self.expire_secs)
            .u32(self.salt)
            .count("services", self.services.len())?;
        // The reference packs services in ascending type order, stable within a type. Only RTC
        // (type 1) can be added here, so insertion order already is that order.
        for service in &self.services {
            service.pack(&mut packer)?;
        }
        Ok(packer.into_bytes())
    }

    /// The uncompressed payload: the length-prefixed signature followed by the signed fields.
    pub fn payload(&self) -> Result<Vec<u8>, TokenError> {
        let signing_info = self.signing_info()?;
        let signature = sign(&self.app_certificate, self.issue_ts, self.salt, &signing_info);
        let mut packer = Packer::new();
        packer.bytes("signature", &signature)?.raw(&signing_info);
        Ok(packer.into_bytes())
    }

    /// The token text: `"007"` + base64 of the zlib-compressed payload.
    pub fn build(&self) -> Result<String, TokenError> {
        encode_payload(&self.payload()?)
    }
}

/// What an RTC user may do in the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Joins and publishes audio, video and data streams (wire value 1).
    Publisher = 1,
    /// Joins only; publishing needs co-host authentication enabled on the project (wire value 2).
    Subscriber = 2,
}

/// An RTC token for a numeric uid (0: any user), like the reference `build_token_with_uid`.
///
/// The token is valid `token_expire_secs` after `issue_ts`; join (and, for a publisher, the three
/// publish privileges) get `privilege_expire_secs` after `issue_ts`.
#[expect(clippy::too_many_arguments, reason = "mirrors the reference builder's parameter list")]
pub fn build_rtc_token(
    app_id: &str,
    app_certificate: &str,
    channel: &str,
    uid: u32,
    role: Role,
    token_expire_secs: u32,
    privilege_expire_secs: u32,
    issue_ts: u32,
    salt: u32,
) -> Result<String, TokenError> {
    let service = rtc_service_for_role(RtcService::with_uid(channel, uid), role, privilege_expire_secs);
    AccessToken2::new(app_id, app_certificate, issue_ts, token_expire_secs, salt).with_service(service).build()
}

/// An RTC token for a string user account, like the reference `build_token_with_user_account`.
#[expect(clippy::too_many_arguments, reason = "mirrors the reference builder's parameter list")]
pub fn build_rtc_token_with_account(
    app_id: &str,
    app_certificate: &str,
    channel: &str,
    account: &str,
    role: Role,
    token_expire_secs: u32,
    privilege_expire_secs: u32,
    issue_ts: u32,
    salt: u32,
) -> Result<String, TokenError> {
    let service = rtc_service_for_role(RtcService::with_account(channel, account), role, privilege_expire_secs);
    AccessToken2::new(app_id, app_certificate, issue_ts, token_expire_secs, salt).with_service(service).build()
}

/// Grants join, and for a publisher the three publish privileges, all with the same expire.
fn rtc_service_for_role(mut service: RtcService, role: Role, expire_secs: u32) -> RtcService {
    service.add_privilege(RtcPrivilege::JoinChannel, expire_secs);
    if role == Role::Publisher {
        for privilege in
            [RtcPrivilege::PublishAudioStream, RtcPrivilege::PublishVideoStream, RtcPrivilege::PublishDataStream]
        {
            service.add_privilege(privilege, expire_secs);
        }
    }
    service
}
