//! Services carried by a token: the RTC service in full, and the other Agora services as far as
//! needed to step over them while parsing.
//!
//! Every service starts with its `u16` type and a privilege map (`u16` privilege -> `u32` expire, in
//! seconds after the token's issue time, 0 meaning "no own limit"); the rest of its body depends on
//! the type, so a parser cannot step over a type whose layout it does not know.

use std::collections::BTreeMap;

use crate::TokenError;
use crate::packing::{Packer, Reader};

/// Service type number of RTC (audio/video channels).
pub const SERVICE_RTC: u16 = 1;
/// Service type number of RTM (signalling, first generation).
pub const SERVICE_RTM: u16 = 2;
/// Service type number of media streaming.
pub const SERVICE_STREAMING: u16 = 3;
/// Service type number of FPA (full-path acceleration).
pub const SERVICE_FPA: u16 = 4;
/// Service type number of Chat.
pub const SERVICE_CHAT: u16 = 5;
/// Service type number of Fusion CDN.
pub const SERVICE_FCDN: u16 = 6;
/// Service type number of aPaaS (Flexible Classroom).
pub const SERVICE_APAAS: u16 = 7;
/// Service type number of RTM 2 (with resource permissions).
pub const SERVICE_RTM2: u16 = 8;

/// A privilege of the RTC service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RtcPrivilege {
    /// Join the channel.
    JoinChannel = 1,
    /// Publish an audio stream.
    PublishAudioStream = 2,
    /// Publish a video stream.
    PublishVideoStream = 3,
    /// Publish a data stream.
    PublishDataStream = 4,
}

impl RtcPrivilege {
    /// All RTC privileges, in wire order.
    pub const ALL: [Self; 4] =
        [Self::JoinChannel, Self::PublishAudioStream, Self::PublishVideoStream, Self::PublishDataStream];

    /// The privilege's number on the wire.
    pub fn code(self) -> u16 {
        self as u16
    }

    /// The privilege with wire number `code`, if it is one of the known four.
    pub fn from_code(code: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The RTC service: a channel, a user and the privileges the user has in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RtcService {
    channel_name: String,
    uid: String,
    privileges: BTreeMap<u16, u32>,
}

impl RtcService {
    /// An RTC service for a numeric uid; uid 0 (any user) is written as the empty string.
    pub fn with_uid(channel_name: impl Into<String>, uid: u32) -> Self {
        let uid = if uid == 0 { String::new() } else { uid.to_string() };
        Self::with_account(channel_name, uid)
    }

    /// An RTC service for a string user account, written as given.
    pub fn with_account(channel_name: impl Into<String>, account: impl Into<String>) -> Self {
        Self { channel_name: channel_name.into(), uid: account.into(), privileges: BTreeMap::new() }
    }

    /// Grants `privilege` for `expire_secs` seconds after the issue time (0: no own limit).
    pub fn add_privilege(&mut self, privilege: RtcPrivilege, expire_secs: u32) -> &mut Self {
        self.privileges.insert(privilege.code(), expire_secs);
        self
    }

    /// Builder-style [`RtcService::add_privilege`].
    #[must_use]
    pub fn with_privilege(mut self, privilege: RtcPrivilege, expire_secs: u32) -> Self {
        self.add_privilege(privilege, expire_secs);
        self
    }

    /// The channel name.
    pub fn channel_name(&self) -> &str {
        &self.channel_name
    }

    /// The user: "" for any user (uid 0), the decimal uid, or a string account.
    pub fn uid(&self) -> &str {
        &self.uid
    }

    /// Privilege number -> expire in seconds after the issue time, as on the wire.
    pub fn privileges(&self) -> &BTreeMap<u16, u32> {
        &self.privileges
    }

    /// The expire (seconds after issue) of one privilege, if granted.
    pub fn privilege_expire(&self, privilege: RtcPrivilege) -> Option<u32> {
        self.privileges.get(&privilege.code()).copied()
    }

    /// Appends type, privileges, channel name and uid.
    pub(crate) fn pack(&self, packer: &mut Packer) -> Result<(), TokenError> {
        packer
            .u16(SERVICE_RTC)
            .u32_map("privileges", &self.privileges)?
            .bytes("channel name", self.channel_name.as_bytes())?
            .bytes("uid", self.uid.as_bytes())?;
        Ok(())
    }

    /// Reads what follows the service type.
    fn unpack(reader: &mut Reader<'_>) -> Result<Self, TokenError> {
        let privileges = reader.u32_map("privileges")?;
        let channel_name = reader.string("channel name")?;
        let uid = reader.string("uid")?;
        Ok(Self { channel_name, uid, privileges })
    }
}

/// A non-RTC service: its type and privileges; the rest of its body is checked and skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherService {
    service_type: u16,
    privileges: BTreeMap<u16, u32>,
}

impl OtherService {
    /// The service type number (see the `SERVICE_*` constants).
    pub fn service_type(&self) -> u16 {
        self.service_type
    }

    /// Privilege number -> expire in seconds after the issue time, as on the wire.
    pub fn privileges(&self) -> &BTreeMap<u16, u32> {
        &self.privileges
    }
}

/// One service of a parsed token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Service {
    /// The RTC service, fully decoded.
    Rtc(RtcService),
    /// Another known service, decoded down to its privileges.
    Other(OtherService),
}

impl Service {
    /// The service type number.
    pub fn service_type(&self) -> u16 {
        match self {
            Self::Rtc(_) => SERVICE_RTC,
            Self::Other(other) => other.service_type,
        }
    }

    /// Privilege number -> expire in seconds after the issue time.
    pub fn privileges(&self) -> &BTreeMap<u16, u32> {
        match self {
            Self::Rtc(rtc) => &rtc.privileges,
            Self::Other(other) => &other.privileges,
        }
    }
}

/// Reads the body of a service whose type was just read; `Ok(None)` when the type's layout is unknown
/// (nothing is consumed then, and nothing after it can be read).
pub(crate) fn read_service(reader: &mut Reader<'_>, service_type: u16) -> Result<Option<Service>, TokenError> {
    if service_type == SERVICE_RTC {
        return RtcService::unpack(reader).map(|rtc| Some(Service::Rtc(rtc)));
    }
    // Number of length-prefixed strings after the privileges, for the flat layouts.
    let strings = match service_type {
        SERVICE_FPA => 0,
        SERVICE_RTM | SERVICE_CHAT | SERVICE_RTM2 => 1,
        SERVICE_STREAMING | SERVICE_FCDN | SERVICE_APAAS => 2,
        _ => return Ok(None),
    };
    let privileges = reader.u32_map("privileges")?;
    for _ in 0..strings {
        reader.bytes("service field")?;
    }
    match service_type {
        SERVICE_APAAS => {
            reader.i16("apaas role")?;
        }
        SERVICE_RTM2 => skip_rtm2_permissions(reader)?,
        _ => {}
    }
    Ok(Some(Service::Other(OtherService { service_type, privileges })))
}

/// Steps over RTM 2 permissions: resource types -> permission types -> lists of resource names.
///
/// Every loop turn consumes at least two bytes or fails, so the work is bounded by the input size.
fn skip_rtm2_permissions(reader: &mut Reader<'_>) -> Result<(), TokenError> {
    const FIELD: &str = "rtm2 permissions";
    let resource_types = reader.u16(FIELD)?;
    for _ in 0..resource_types {
        reader.u16(FIELD)?;
        let permission_types = reader.u16(FIELD)?;
        for _ in 0..permission_types {
            reader.u16(FIELD)?;
            let resources = reader.u16(FIELD)?;
            for _ in 0..resources {
                reader.bytes(FIELD)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_zero_is_the_empty_string() {
        assert_eq!(RtcService::with_uid("c", 0).uid(), "");
        assert_eq!(RtcService::with_uid("c", 2_882_341_273).uid(), "2882341273");
        assert_eq!(RtcService::with_account("c", "dr-amal").uid(), "dr-amal");
    }

    #[test]
    fn privilege_codes_round_trip() {
        for p in RtcPrivilege::ALL {
            assert_eq!(RtcPrivilege::from_code(p.code()), Some(p));
        }
        assert_eq!(RtcPrivilege::from_code(0), None);
        assert_eq!(RtcPrivilege::from_code(5), None);
    }

    #[test]
    fn rtc_service_packs_and_reads_back() {
        let rtc = RtcService::with_uid("room", 42)
            .with_privilege(RtcPrivilege::PublishVideoStream, 60)
            .with_privilege(RtcPrivilege::JoinChannel, 600);
        let mut packer = Packer::new();
        rtc.pack(&mut packer).expect("fits");
        let bytes = packer.into_bytes();
        let mut reader = Reader::new(&bytes);
        assert_eq!(reader.u16("type"), Ok(SERVICE_RTC));
        let back = read_service(&mut reader, SERVICE_RTC).expect("valid");
        assert_eq!(back, Some(Service::Rtc(rtc)));
        assert!(reader.rest().is_empty());
    }

    #[test]
    fn rtm2_permissions_are_skipped() {
        // privileges {1: 600}, user "u", 1 resource type (4) with 1 permission (0) listing "a", "bc".
        let body =
            [1, 0, 1, 0, 0x58, 2, 0, 0, 1, 0, b'u', 1, 0, 4, 0, 1, 0, 0, 0, 2, 0, 1, 0, b'a', 2, 0, b'b', b'c', 0xee];
        let mut reader = Reader::new(&body);
        let service = read_service(&mut reader, SERVICE_RTM2).expect("valid").expect("known");
        assert_eq!(service.service_type(), SERVICE_RTM2);
        assert_eq!(service.privileges(), &BTreeMap::from([(1, 600)]));
        assert_eq!(reader.rest(), [0xee]);
        // Every truncation of the body fails cleanly.
        for len in 0..body.len() - 1 {
            assert!(read_service(&mut Reader::new(&body[..len]), SERVICE_RTM2).is_err());
        }
    }

    #[test]
    fn unknown_types_consume_nothing() {
        let mut reader = Reader::new(&[0, 0]);
        assert_eq!(read_service(&mut reader, 999), Ok(None));
        assert_eq!(reader.rest(), [0, 0]);
    }
}
