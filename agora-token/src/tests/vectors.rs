//! Byte-for-byte checks against the AgoraIO/Tools reference (python3, `DynamicKey/AgoraDynamicKey`).
//!
//! The zlib backend changes the compressed bytes, so each vector is inflated with the parser's
//! envelope step and compared with the builder's payload before compression.

use std::collections::BTreeMap;

use super::{APP_CERT, APP_ID, CHANNEL, OTHER_CERT, UID};
use crate::{
    AccessToken2, ParsedToken, Role, RtcPrivilege, RtcService, SERVICE_APAAS, SERVICE_CHAT, SERVICE_FCDN, SERVICE_FPA,
    SERVICE_RTC, SERVICE_RTM, SERVICE_RTM2, SERVICE_STREAMING, build_rtc_token, build_rtc_token_with_account,
    decode_payload, parse,
};

/// Issue ts, salt and expire of `test/AccessToken2Test.py`.
const TS: u32 = 1_111_111;
const SALT: u32 = 1;
const EXPIRE: u32 = 600;

/// `AccessToken2Test.test_service_rtc` (and `test_service_rtc_account`, same bytes).
const RTC_UID: &str = "007eJxTYBBbsMMnKq7p9Hf/HcIX5kce9b518kCiQgSr5Zrp4X1Tu6UUGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiVwMRhYWRsYmhkbmxgDCaiTj";
/// `AccessToken2Test.test_service_rtc_uid_0`.
const RTC_UID_0: &str = "007eJxTYLhzZP08Lxa1Pg57+TcXb/3cZ3wi4V6kbpbOog0G2dOYk20UGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMoAwBIL4CgzmKeZGxmamqUmWFsYmFqbGluapxqnGaZYpJmYGSSkpiQwMADacImo=";
/// `AccessToken2Test.test_multi_service`: RTC, RTM, FPA, Chat and aPaaS.
const MULTI: &str = "007eJxTYHh8IPKzTvBdf9ce8bk7G61vs06oca1e815/ot4+x7rfjDIKDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGBgYGRgYWIEkCxCD+ExgkhlMsoBJBQbzFHMjYzPT1CRLC2MTC1NjS/NU41TjNMsUEzODpJSURC4GIwsLI2MTQyNzYyagORCTkEVZ4KKsWOXZgWIQm1HF//8HAL01L5I=";
/// `AccessToken2Test.test_parse_extended_services_from_cpp`: Streaming, FCDN and RTM2.
const CPP_EXTENDED: &str = "007eJxTYPj86Lzdz79M25wNn/lMfvu+TkfmdpiviKvChm8ZV3SWndytwGBpbuDsaGyakmpmkGxiYmZimpSUmGqRaGRoamBmmGRs7P5FgCGCiYGBkYGBgRkImYAsEJ8JTCowmKeYGxmbmaYmWVoYm1iYGluapxqnGqdZppiYGSSlpCRyMRhZWBgZmxgamRuzUaSbA6gXopuToSS1uCS+tDi1iJkB4jQmoGBuanFxYnqqbiKCmcTIAIEcDMUlRamJubqJLGD1jAxsDCD9uokAO/VDvQ==";
/// `AccessToken2Test.test_extended_service_numeric_uid_conversion`: 3 Streaming + 3 FCDN.
const STREAMING_FCDN: &str = "007eJxTYLi93GuuUHrO9Fr71KVJKqfDby8RezlVfGLMO77DIl79U40UGCzNDZwdjU1TUs0Mkk1MzExMk5ISUy0SjQxNDcwMk4yN3b8IMEQwMTAwMjAwsDEwA2lGMF+BwTzF3MjYzDQ1ydLC2MTC1NjSPNU41TjNMsXEzCApJSWRi8HIwsLI2MTQyNwYpI+JSH0MQFuYoLYQq4ePobikKDUxVzcxOTm/NK+EjUx3spHkTjaS3cnDkJackgdzJQBJb19X";

/// Issue ts and salt pinned when generating the `RtcTokenBuilder2` vectors below with the reference
/// python3 `src/RtcTokenBuilder2.py` (AgoraIO/Tools da06bfb8, `time.time` and the salt RNG patched).
const GEN_TS: u32 = 1_700_000_000;
const GEN_SALT: u32 = 12_345_678;
/// `build_token_with_uid(.., UID, Role_Publisher, 3600, 1800)`.
const GEN_PUBLISHER: &str = "007eJxTYGDrvW8hWH6EqeXJNCZ/o95Lr8oS3p/ifbBDQfzfX/8Wo4cKDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbGDB+DUwX4GBj8EvcwMAIhCxBzsDMwMIFJZjDJAiYVGMxTzI2MzUxTkywtjE0sTI0tzVONU43TLFNMzAySUlISuRiMLCyMjE0MjcyNATg9Juc=";
/// `build_token_with_uid(.., 0, Role_Subscriber, 3600, 0)`.
const GEN_SUBSCRIBER_UID_0: &str = "007eJxTYPh6J2FKax2ffIy5J1dqslxf8rlr2xecL7NbUGtelb+NQ0iBwdLcwNnR2DQl1cwg2cTEzMQ0KSkx1SLRyNDUwMwwydiY4WNwqgAfA4Nf4h4GRigEAQUG8xRzI2Mz09QkSwtjEwtTY0vzVONU4zTLFBMzg6SUlEQGBgAOCSK8";
/// `build_token_with_user_account(.., "psyter-consult-42", "dr.amal@psyter", Role_Subscriber, 86400, 600)`.
const GEN_ACCOUNT: &str = "007eJxTYIh3ZL32ScTsmidrd3Gnla0i/zaBoFL5h20HV0iKRblJOikwWJobODsam6akmhkkm5iYmZgmJSWmWiQaGZoamBkmGRszfAxObQhkZPBL3MPACIURTAwMggwFxZUlqUW6yfl5xaU5JbomRnwMKUV6ibmJOQ4QKQBD+CSH";
/// `build_token_with_uid_and_privilege(.., 42, 900, 800, 700, 600, 500)`.
const GEN_PRIVILEGES: &str = "007eJxTYOjIsxY/wcnL1vRu5algc9Vlsg3ZGpMCnt4Vq736IMdR/p0Cg6W5gbOjsWlKqplBsomJmYlpUlJiqkWikaGpgZlhkrExw8fg1BZmBga/xD0MjEDIAsQKQD4Twx4mBgZmhgggycLwhZGBQYHBPMXcyNjMNDXJ0sLYxMLU2NI81TjVOM0yxcTMICklJZGJwcQIAJQuJcY=";

fn fixture(service: RtcService) -> AccessToken2 {
    AccessToken2::new(APP_ID, APP_CERT, TS, EXPIRE, SALT).with_service(service)
}

fn assert_same_payload(expected_token: &str, built: &AccessToken2) {
    let expected = decode_payload(expected_token).expect("vector inflates");
    assert_eq!(built.payload().expect("builds"), expected);
}

fn assert_same_payload_text(expected_token: &str, built_token: &str) {
    let expected = decode_payload(expected_token).expect("vector inflates");
    assert_eq!(decode_payload(built_token).expect("ours inflates"), expected);
}

fn parse_and_verify(token: &str) -> ParsedToken {
    let parsed = parse(token).expect("vector parses");
    assert!(parsed.verify(APP_CERT), "signed with the fixture certificate");
    assert!(!parsed.verify(OTHER_CERT));
    assert!(!parsed.verify("not a certificate"));
    assert_eq!(parsed.signature().len(), 32);
    parsed
}

fn types(parsed: &ParsedToken) -> Vec<u16> {
    parsed.services().iter().map(|s| s.service_type()).collect()
}

#[test]
fn rtc_uid_vector() {
    let join = RtcService::with_uid(CHANNEL, UID).with_privilege(RtcPrivilege::JoinChannel, EXPIRE);
    assert_same_payload(RTC_UID, &fixture(join));

    let parsed = parse_and_verify(RTC_UID);
    assert_eq!(parsed.app_id(), APP_ID);
    assert_eq!((parsed.issue_ts(), parsed.expire_secs(), parsed.salt()), (TS, EXPIRE, SALT));
    assert_eq!(types(&parsed), [SERVICE_RTC]);
    let rtc = parsed.rtc().expect("rtc service");
    assert_eq!((rtc.channel_name(), rtc.uid()), (CHANNEL, "2882341273"));
    assert_eq!(rtc.privileges(), &BTreeMap::from([(1, EXPIRE)]));
    assert_eq!(parsed.expires_at_unix(), 1_111_711);
    assert_eq!(parsed.earliest_privilege_expiry_unix(), Some(1_111_711));
    assert_eq!(parsed.unknown_service_type(), None);
}

#[test]
fn rtc_account_vector_is_the_uid_vector() {
    let join = RtcService::with_account(CHANNEL, "2882341273").with_privilege(RtcPrivilege::JoinChannel, EXPIRE);
    assert_same_payload(RTC_UID, &fixture(join));
}

#[test]
fn rtc_uid_0_vector() {
    let join = RtcService::with_uid(CHANNEL, 0).with_privilege(RtcPrivilege::JoinChannel, EXPIRE);
    assert_same_payload(RTC_UID_0, &fixture(join));

    let parsed = parse_and_verify(RTC_UID_0);
    let rtc = parsed.rtc().expect("rtc service");
    assert_eq!((rtc.channel_name(), rtc.uid()), (CHANNEL, ""));
    assert_eq!(rtc.privilege_expire(RtcPrivilege::JoinChannel), Some(EXPIRE));
    assert_eq!(rtc.privilege_expire(RtcPrivilege::PublishAudioStream), None);
}

#[test]
fn multi_service_vector_parses() {
    let parsed = parse_and_verify(MULTI);
    assert_eq!(types(&parsed), [SERVICE_RTC, SERVICE_RTM, SERVICE_FPA, SERVICE_CHAT, SERVICE_APAAS]);
    let rtc = parsed.rtc().expect("rtc service");
    assert_eq!((rtc.channel_name(), rtc.uid()), (CHANNEL, "2882341273"));
    assert_eq!(rtc.privileges(), &BTreeMap::from([(1, 600), (2, 600), (3, 600), (4, 600)]));
    let others: Vec<_> = parsed.services()[1..].iter().map(|s| s.privileges().clone()).collect();
    let login = BTreeMap::from([(1, 600)]);
    let apaas_user = BTreeMap::from([(2, 600)]);
    assert_eq!(others, [login.clone(), login.clone(), login, apaas_user]);
    assert_eq!(parsed.unknown_service_type(), None);
}

#[test]
fn cpp_extended_services_vector_parses() {
    let parsed = parse_and_verify(CPP_EXTENDED);
    assert_eq!(types(&parsed), [SERVICE_STREAMING, SERVICE_FCDN, SERVICE_RTM2]);
    let both = BTreeMap::from([(1, 600), (2, 600)]);
    assert_eq!(parsed.services()[0].privileges(), &both);
    assert_eq!(parsed.services()[1].privileges(), &both);
    assert_eq!(parsed.rtc(), None);
    assert_eq!(parsed.unknown_service_type(), None);
}

#[test]
fn streaming_and_fcdn_vector_parses() {
    let parsed = parse_and_verify(STREAMING_FCDN);
    let s = SERVICE_STREAMING;
    let f = SERVICE_FCDN;
    assert_eq!(types(&parsed), [s, s, s, f, f, f]);
}

#[test]
fn rtc_token_builder2_publisher_vector() {
    let ours =
        build_rtc_token(APP_ID, APP_CERT, CHANNEL, UID, Role::Publisher, 3600, 1800, GEN_TS, GEN_SALT).expect("builds");
    assert_same_payload_text(GEN_PUBLISHER, &ours);

    let parsed = parse_and_verify(GEN_PUBLISHER);
    let rtc = parsed.rtc().expect("rtc service");
    assert_eq!(rtc.uid(), "2882341273");
    assert_eq!(rtc.privileges(), &BTreeMap::from([(1, 1800), (2, 1800), (3, 1800), (4, 1800)]));
    assert_eq!(parsed.expires_at_unix(), 1_700_003_600);
    assert_eq!(parsed.earliest_privilege_expiry_unix(), Some(1_700_001_800));
    assert_eq!(parsed.effective_expiry_unix(), 1_700_001_800);
}

#[test]
fn rtc_token_builder2_subscriber_uid_0_vector() {
    let ours =
        build_rtc_token(APP_ID, APP_CERT, CHANNEL, 0, Role::Subscriber, 3600, 0, GEN_TS, GEN_SALT).expect("builds");
    assert_same_payload_text(GEN_SUBSCRIBER_UID_0, &ours);

    let parsed = parse_and_verify(GEN_SUBSCRIBER_UID_0);
    let rtc = parsed.rtc().expect("rtc service");
    assert_eq!(rtc.uid(), "");
    assert_eq!(rtc.privileges(), &BTreeMap::from([(1, 0)]));
    // A zero privilege expire sets no limit of its own; the token's expiry is what counts.
    assert_eq!(parsed.earliest_privilege_expiry_unix(), None);
    assert_eq!(parsed.effective_expiry_unix(), 1_700_003_600);
}

#[test]
fn rtc_token_builder2_account_vector() {
    let ours = build_rtc_token_with_account(
        APP_ID,
        APP_CERT,
        "psyter-consult-42",
        "dr.amal@psyter",
        Role::Subscriber,
        86_400,
        600,
        GEN_TS,
        GEN_SALT,
    )
    .expect("builds");
    assert_same_payload_text(GEN_ACCOUNT, &ours);

    let parsed = parse_and_verify(GEN_ACCOUNT);
    let rtc = parsed.rtc().expect("rtc service");
    assert_eq!((rtc.channel_name(), rtc.uid()), ("psyter-consult-42", "dr.amal@psyter"));
    assert_eq!(parsed.expires_at_unix(), 1_700_086_400);
    assert_eq!(parsed.earliest_privilege_expiry_unix(), Some(1_700_000_600));
}

#[test]
fn rtc_token_builder2_per_privilege_vector() {
    let service = RtcService::with_uid(CHANNEL, 42)
        .with_privilege(RtcPrivilege::JoinChannel, 800)
        .with_privilege(RtcPrivilege::PublishAudioStream, 700)
        .with_privilege(RtcPrivilege::PublishVideoStream, 600)
        .with_privilege(RtcPrivilege::PublishDataStream, 500);
    let token = AccessToken2::new(APP_ID, APP_CERT, GEN_TS, 900, GEN_SALT).with_service(service);
    assert_same_payload(GEN_PRIVILEGES, &token);

    let parsed = parse_and_verify(GEN_PRIVILEGES);
    assert_eq!(parsed.expires_at_unix(), 1_700_000_900);
    assert_eq!(parsed.earliest_privilege_expiry_unix(), Some(1_700_000_500));
}
