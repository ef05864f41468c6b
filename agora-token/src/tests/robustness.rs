//! Hostile input: truncations, random bytes and random mutations must fail cleanly, never panic.

use super::{APP_CERT, APP_ID, CHANNEL, XorShift};
use crate::codec::encode_payload;
use crate::{AccessToken2, RtcPrivilege, RtcService, decode_payload, parse, parse_payload};

fn sample() -> AccessToken2 {
    let service = RtcService::with_uid(CHANNEL, 77)
        .with_privilege(RtcPrivilege::JoinChannel, 3600)
        .with_privilege(RtcPrivilege::PublishAudioStream, 3600);
    AccessToken2::new(APP_ID, APP_CERT, 1_700_000_000, 3600, 4242).with_service(service)
}

/// Parses, and when parsing succeeds, exercises every accessor a client would call.
fn exercise(token: &str) -> bool {
    match parse(token) {
        Ok(parsed) => {
            let _ = (parsed.expires_at_unix(), parsed.effective_expiry_unix());
            let _ = parsed.rtc().map(|rtc| (rtc.uid().len(), rtc.privileges().len()));
            parsed.verify(APP_CERT)
        }
        Err(err) => {
            assert!(!err.code().is_empty());
            assert!(!err.to_string().is_empty());
            false
        }
    }
}

#[test]
fn every_prefix_of_a_token_is_handled() {
    let token = sample().build().expect("builds");
    for len in 0..token.len() {
        // Dropping only the `=` padding still decodes to the same, valid, token.
        let valid = exercise(&token[..len]);
        assert_eq!(valid, token[len..].bytes().all(|b| b == b'='), "prefix of {len}");
    }
    assert!(exercise(&token));
}

#[test]
fn every_prefix_of_a_payload_is_rejected() {
    let payload = sample().payload().expect("builds");
    for len in 0..payload.len() {
        assert!(parse_payload(&payload[..len]).is_err(), "prefix of {len}");
        let token = encode_payload(&payload[..len]).expect("encodes");
        assert!(parse(&token).is_err(), "enveloped prefix of {len}");
    }
    assert!(parse_payload(&payload).is_ok());
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let len = rng.below(160);
        let bytes = rng.bytes(len);
        assert!(parse_payload(&bytes).map_or(true, |p| !p.verify(APP_CERT)));
        // Through the whole envelope too, so the binary parser sees arbitrary inflated input.
        let token = encode_payload(&bytes).expect("encodes");
        assert!(!exercise(&token));
    }
}

#[test]
fn random_text_never_panics() {
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    let mut rng = XorShift(0xD1B5_4A32_D192_ED03);
    for round in 0..20_000 {
        let len = rng.below(200);
        let text: String = if round % 2 == 0 {
            // Mostly base64 characters behind the right prefix, to get past the first checks.
            let body: String = (0..len).map(|_| char::from(BASE64[rng.below(BASE64.len())])).collect();
            format!("007eJ{body}")
        } else {
            (0..len).filter_map(|_| char::from_u32(rng.below(0x11_0000) as u32)).collect()
        };
        assert!(!exercise(&text));
    }
}

#[test]
fn random_mutations_of_a_valid_payload_never_panic() {
    let payload = sample().payload().expect("builds");
    let mut rng = XorShift(0x0123_4567_89AB_CDEF);
    let mut parsed_ok = 0;
    for _ in 0..20_000 {
        let mut mutated = payload.clone();
        for _ in 0..=rng.below(4) {
            let index = rng.below(mutated.len());
            match rng.below(3) {
                0 => mutated[index] ^= 1 << rng.below(8),
                1 => mutated[index] = rng.next_u64() as u8,
                _ => {
                    mutated.truncate(index.max(1));
                }
            }
        }
        if mutated == payload {
            continue;
        }
        if let Ok(parsed) = parse_payload(&mutated) {
            parsed_ok += 1;
            assert!(!parsed.verify(APP_CERT), "a mutation kept a valid signature");
        }
    }
    assert!(parsed_ok > 0, "some mutations (e.g. of the signature) still parse");
}

#[test]
fn random_mutations_of_a_valid_token_never_panic() {
    let builder = sample();
    let token = builder.build().expect("builds").into_bytes();
    let payload = builder.payload().expect("builds");
    let mut rng = XorShift(0xA076_1D64_78BD_642F);
    for _ in 0..10_000 {
        let mut mutated = token.clone();
        let index = 3 + rng.below(mutated.len() - 3);
        mutated[index] = b"AZaz09+/=!"[rng.below(10)];
        let text = String::from_utf8(mutated).expect("ascii");
        // A still-valid token must carry exactly the signed payload (deflate has don't-care bits).
        if exercise(&text) {
            assert_eq!(decode_payload(&text), Ok(payload.clone()));
        }
    }
}
