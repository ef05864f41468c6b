//! Build -> parse round trips, builder validation, tampering and unknown services.

use std::collections::BTreeMap;

use super::{APP_CERT, APP_ID, CHANNEL, OTHER_CERT};
use crate::codec::encode_payload;
use crate::packing::Packer;
use crate::signing::sign;
use crate::{
    AccessToken2, Role, RtcPrivilege, RtcService, Service, TokenError, build_rtc_token, decode_payload, parse,
    parse_payload,
};

fn two_services() -> AccessToken2 {
    let video = RtcService::with_uid("consultation-7f3a", 1001)
        .with_privilege(RtcPrivilege::PublishVideoStream, 1200)
        .with_privilege(RtcPrivilege::JoinChannel, 3600)
        .with_privilege(RtcPrivilege::PublishAudioStream, 0);
    let chat =
        RtcService::with_account("قناة-استشارة ✓", "patient:ümit").with_privilege(RtcPrivilege::PublishDataStream, 90);
    AccessToken2::new(APP_ID, APP_CERT, 1_750_000_000, 7200, 99_999_999).with_service(video).with_service(chat)
}

#[test]
fn build_then_parse_gives_back_every_field() {
    let builder = two_services();
    let token = builder.build().expect("builds");
    assert!(token.starts_with("007"));
    let parsed = parse(&token).expect("parses");

    assert_eq!(parsed.app_id(), APP_ID);
    assert_eq!(parsed.issue_ts(), 1_750_000_000);
    assert_eq!(parsed.expire_secs(), 7200);
    assert_eq!(parsed.salt(), 99_999_999);
    assert_eq!(parsed.signature().len(), 32);
    assert_eq!(parsed.signing_info(), builder.signing_info().expect("builds"));
    assert_eq!(parsed.unknown_service_type(), None);

    let rtc: Vec<_> = parsed.rtc_services().collect();
    assert_eq!(rtc.len(), 2);
    assert_eq!((rtc[0].channel_name(), rtc[0].uid()), ("consultation-7f3a", "1001"));
    assert_eq!(rtc[0].privileges(), &BTreeMap::from([(1, 3600), (2, 0), (3, 1200)]));
    assert_eq!((rtc[1].channel_name(), rtc[1].uid()), ("قناة-استشارة ✓", "patient:ümit"));
    assert_eq!(rtc[1].privileges(), &BTreeMap::from([(4, 90)]));

    assert_eq!(parsed.expires_at_unix(), 1_750_007_200);
    assert_eq!(parsed.earliest_privilege_expiry_unix(), Some(1_750_000_090));
    assert_eq!(parsed.effective_expiry_unix(), 1_750_000_090);
    assert!(parsed.verify(APP_CERT));
    assert!(!parsed.verify(OTHER_CERT));
    assert!(!parsed.verify(&APP_CERT.to_lowercase()), "the certificate is signed as text");
}

#[test]
fn build_is_deterministic() {
    let a = build_rtc_token(APP_ID, APP_CERT, CHANNEL, 5, Role::Publisher, 60, 60, 1, 2);
    let b = build_rtc_token(APP_ID, APP_CERT, CHANNEL, 5, Role::Publisher, 60, 60, 1, 2);
    assert_eq!(a, b);
    let c = build_rtc_token(APP_ID, APP_CERT, CHANNEL, 5, Role::Publisher, 60, 60, 1, 3);
    assert_ne!(a, c, "the salt changes the signature");
}

#[test]
fn expiry_does_not_overflow() {
    let join = RtcService::with_uid("c", 1).with_privilege(RtcPrivilege::JoinChannel, u32::MAX);
    let token = AccessToken2::new(APP_ID, APP_CERT, u32::MAX, u32::MAX, 0).with_service(join);
    let parsed = parse(&token.build().expect("builds")).expect("parses");
    let max = u64::from(u32::MAX) * 2;
    assert_eq!(parsed.expires_at_unix(), max);
    assert_eq!(parsed.earliest_privilege_expiry_unix(), Some(max));
}

#[test]
fn builder_rejects_bad_input() {
    let join = || RtcService::with_uid(CHANNEL, 1).with_privilege(RtcPrivilege::JoinChannel, 60);
    let build = |app_id: &str, cert: &str| AccessToken2::new(app_id, cert, 1, 60, 1).with_service(join()).build();
    assert_eq!(build("invalid", APP_CERT), Err(TokenError::InvalidAppId));
    assert_eq!(build(&"z".repeat(32), APP_CERT), Err(TokenError::InvalidAppId));
    assert_eq!(build(APP_ID, "invalid"), Err(TokenError::InvalidAppCertificate));
    assert_eq!(AccessToken2::new(APP_ID, APP_CERT, 1, 60, 1).build().map_err(|e| e.code()), Err("no_services"));
    let huge = RtcService::with_uid("x".repeat(70_000), 1);
    let err = AccessToken2::new(APP_ID, APP_CERT, 1, 60, 1).with_service(huge).build();
    assert_eq!(err, Err(TokenError::FieldTooLong { field: "channel name" }));
}

#[test]
fn debug_output_hides_the_certificate() {
    let shown = format!("{:?}", two_services());
    assert!(shown.contains(APP_ID));
    assert!(!shown.contains(APP_CERT));
}

#[test]
fn tampering_with_any_payload_byte_is_detected() {
    let payload = two_services().payload().expect("builds");
    for index in 0..payload.len() {
        for mask in [0x01, 0x80, 0xff] {
            let mut tampered = payload.clone();
            tampered[index] ^= mask;
            let token = encode_payload(&tampered).expect("encodes");
            if let Ok(parsed) = parse(&token) {
                assert!(!parsed.verify(APP_CERT), "byte {index} ^ {mask:#x} went unnoticed");
            }
        }
    }
}

/// Tampering with the token text must change nothing the signature covers, or be caught.
///
/// Deflate has don't-care bits (e.g. the padding after a stored block's header), so some edits of the
/// compressed bytes inflate to the very same payload: that is the same token, not a forgery.
#[test]
fn tampering_with_any_token_character_is_detected() {
    let builder = two_services();
    let token = builder.build().expect("builds");
    let payload = builder.payload().expect("builds");
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut same_payload = 0;
    for index in 3..token.len() {
        for step in [1, 17, 40] {
            let mut bytes = token.clone().into_bytes();
            let current = alphabet.iter().position(|&c| c == bytes[index]).unwrap_or(0);
            bytes[index] = alphabet[(current + step) % alphabet.len()];
            let tampered = String::from_utf8(bytes).expect("ascii");
            if decode_payload(&tampered).is_ok_and(|p| p == payload) {
                same_payload += 1;
            } else if let Ok(parsed) = parse(&tampered) {
                assert!(!parsed.verify(APP_CERT), "character {index} (+{step}) went unnoticed");
            }
        }
    }
    assert!(same_payload < 10, "only a few don't-care bits: {same_payload}");
}

/// A correctly signed payload whose services are packed by hand.
fn signed_payload(service_count: u16, services: &[u8]) -> Vec<u8> {
    let mut info = Packer::new();
    info.bytes("app id", APP_ID.as_bytes()).expect("fits").u32(10).u32(20).u32(30);
    info.u16(service_count).raw(services);
    let info = info.into_bytes();
    let mut payload = Packer::new();
    payload.bytes("signature", &sign(APP_CERT, 10, 30, &info)).expect("fits").raw(&info);
    payload.into_bytes()
}

fn rtc_bytes() -> Vec<u8> {
    let mut p = Packer::new();
    RtcService::with_uid("c", 9).with_privilege(RtcPrivilege::JoinChannel, 5).pack(&mut p).expect("fits");
    p.into_bytes()
}

#[test]
fn parsing_stops_at_an_unknown_service_type() {
    let mut unknown = Packer::new();
    unknown.u16(999).u32_map("privileges", &BTreeMap::from([(1, 600)])).expect("fits");
    let unknown = unknown.into_bytes();

    let known_first = signed_payload(2, &[rtc_bytes(), unknown.clone()].concat());
    let parsed = parse_payload(&known_first).expect("parses");
    assert_eq!(parsed.unknown_service_type(), Some(999));
    assert_eq!(parsed.services().len(), 1);
    assert!(matches!(&parsed.services()[0], Service::Rtc(rtc) if rtc.uid() == "9"));
    assert!(parsed.verify(APP_CERT), "the signature covers the unread bytes");

    let unknown_first = signed_payload(2, &[unknown, rtc_bytes()].concat());
    let parsed = parse_payload(&unknown_first).expect("parses");
    assert_eq!(parsed.unknown_service_type(), Some(999));
    assert!(parsed.services().is_empty());
    assert!(parsed.verify(APP_CERT));
}

#[test]
fn trailing_bytes_after_the_services_are_signed_but_ignored() {
    let payload = signed_payload(1, &[rtc_bytes(), vec![1, 2, 3]].concat());
    let parsed = parse_payload(&payload).expect("parses");
    assert_eq!(parsed.services().len(), 1);
    assert!(parsed.verify(APP_CERT));
}

#[test]
fn hostile_counts_fail_fast() {
    let payload = signed_payload(u16::MAX, &[]);
    assert_eq!(parse_payload(&payload), Err(TokenError::Truncated { field: "service type" }));
    let mut many_privileges = Packer::new();
    many_privileges.u16(1).u16(u16::MAX);
    let payload = signed_payload(1, &many_privileges.into_bytes());
    assert_eq!(parse_payload(&payload), Err(TokenError::Truncated { field: "privileges" }));
}
