//! The outer envelope: `"007"` + standard base64 of the zlib-compressed payload.
//!
//! Decoding is bounded: the token text, and the payload it inflates to, both have hard caps, so a
//! hostile token cannot make the parser allocate more than a few tens of KiB.

use std::io::Write;

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use flate2::write::ZlibEncoder;
use flate2::{Compression, Decompress, FlushDecompress, Status};

use crate::TokenError;

/// The version prefix of AccessToken2 tokens.
pub const VERSION: &str = "007";

/// Longest token text [`decode_payload`] accepts (real RTC tokens are a few hundred bytes).
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// Largest payload a token may inflate to.
pub const MAX_PAYLOAD_LEN: usize = 64 * 1024;

/// Standard alphabet; writes padding, accepts it present or absent.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Wraps an uncompressed payload into token text.
pub(crate) fn encode_payload(payload: &[u8]) -> Result<String, TokenError> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(payload).map_err(|_| TokenError::CompressFailed)?;
    let compressed = encoder.finish().map_err(|_| TokenError::CompressFailed)?;
    Ok(format!("{VERSION}{}", BASE64.encode(compressed)))
}

/// Unwraps token text into its uncompressed payload: signature, then the signed fields.
///
/// Checks the length cap and the `"007"` prefix, decodes base64 and inflates with a
/// [`MAX_PAYLOAD_LEN`] cap; bytes after the end of the zlib stream are an error.
pub fn decode_payload(token: &str) -> Result<Vec<u8>, TokenError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(TokenError::TokenTooLong { len: token.len(), max: MAX_TOKEN_LEN });
    }
    let body = token.strip_prefix(VERSION).ok_or(TokenError::UnsupportedVersion)?;
    let compressed = BASE64.decode(body).map_err(|_| TokenError::InvalidBase64)?;
    inflate_bounded(&compressed, MAX_PAYLOAD_LEN)
}

/// Inflates one complete zlib stream to at most `max` bytes.
fn inflate_bounded(input: &[u8], max: usize) -> Result<Vec<u8>, TokenError> {
    // One byte beyond the cap is enough to tell "too large" from "exactly at the cap".
    let limit = max.saturating_add(1);
    let mut inflater = Decompress::new(true);
    let mut out = Vec::with_capacity(input.len().saturating_mul(4).max(64).min(limit));
    loop {
        let read = total_in(&inflater)?;
        let before = (read, out.len());
        if out.len() == out.capacity() {
            out.reserve_exact(out.len().min(limit - out.len()));
        }
        let rest = input.get(read..).unwrap_or_default();
        // `Finish` would make a first call that runs out of room fail for good; `None` resumes.
        let status =
            inflater.decompress_vec(rest, &mut out, FlushDecompress::None).map_err(|_| TokenError::InvalidZlib)?;
        if out.len() > max {
            return Err(TokenError::PayloadTooLarge { max });
        }
        match status {
            Status::StreamEnd => break,
            // No progress with all input given and room to write: the stream is cut short.
            Status::Ok | Status::BufError if before == (total_in(&inflater)?, out.len()) => {
                return Err(TokenError::InvalidZlib);
            }
            Status::Ok | Status::BufError => {}
        }
    }
    if total_in(&inflater)? != input.len() {
        return Err(TokenError::TrailingData);
    }
    Ok(out)
}

/// Input bytes the inflater has consumed so far.
fn total_in(inflater: &Decompress) -> Result<usize, TokenError> {
    usize::try_from(inflater.total_in()).map_err(|_| TokenError::InvalidZlib)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).expect("in memory");
        encoder.finish().expect("in memory")
    }

    #[test]
    fn payload_round_trips() {
        let payload: Vec<u8> = (0..=255).collect();
        let token = encode_payload(&payload).expect("encodes");
        assert!(token.starts_with("007eJ"), "zlib header 78 9c shows as eJ: {token}");
        assert_eq!(decode_payload(&token), Ok(payload));
    }

    #[test]
    fn padding_is_optional() {
        let mut padded = 0;
        for payload in [&b"a"[..], b"ab", b"abc", b"abcd"] {
            let token = encode_payload(payload).expect("encodes");
            padded += usize::from(token.ends_with('='));
            assert_eq!(decode_payload(&token), Ok(payload.to_vec()));
            let unpadded = token.trim_end_matches('=');
            assert_eq!(decode_payload(unpadded), Ok(payload.to_vec()));
        }
        assert!(padded > 0, "some of the samples need padding");
    }

    #[test]
    fn envelope_errors() {
        assert_eq!(decode_payload(""), Err(TokenError::UnsupportedVersion));
        assert_eq!(decode_payload("006eJx"), Err(TokenError::UnsupportedVersion));
        assert_eq!(decode_payload("007!!!!"), Err(TokenError::InvalidBase64));
        assert_eq!(decode_payload("007AAAA"), Err(TokenError::InvalidZlib));
        let long = "0".repeat(MAX_TOKEN_LEN + 1);
        assert_eq!(decode_payload(&long).map_err(|e| e.code()), Err("token_too_long"));
    }

    #[test]
    fn inflate_is_capped() {
        let bomb = zlib(&vec![0; 1 << 20]);
        assert!(bomb.len() < 2048, "a megabyte of zeros compresses to ~1 KiB");
        let token = format!("{VERSION}{}", BASE64.encode(&bomb));
        assert_eq!(decode_payload(&token), Err(TokenError::PayloadTooLarge { max: MAX_PAYLOAD_LEN }));
        let exact = zlib(&vec![7; MAX_PAYLOAD_LEN]);
        assert_eq!(inflate_bounded(&exact, MAX_PAYLOAD_LEN).map(|v| v.len()), Ok(MAX_PAYLOAD_LEN));
        assert!(inflate_bounded(&exact, MAX_PAYLOAD_LEN - 1).is_err());
        let tiny = zlib(b"abc");
        assert_eq!(inflate_bounded(&tiny, 0), Err(TokenError::PayloadTooLarge { max: 0 }));
        assert_eq!(inflate_bounded(&tiny, 3), Ok(b"abc".to_vec()));
    }

    #[test]
    fn truncated_corrupt_and_trailing_streams_fail() {
        let stream = zlib(b"hello hello hello token");
        for len in 0..stream.len() {
            assert!(inflate_bounded(&stream[..len], 1024).is_err(), "prefix of {len} bytes");
        }
        let mut bad_checksum = stream.clone();
        if let Some(last) = bad_checksum.last_mut() {
            *last ^= 1;
        }
        assert_eq!(inflate_bounded(&bad_checksum, 1024), Err(TokenError::InvalidZlib));
        let mut trailing = stream;
        trailing.push(0);
        assert_eq!(inflate_bounded(&trailing, 1024), Err(TokenError::TrailingData));
    }
}
