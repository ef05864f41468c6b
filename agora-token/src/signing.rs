//! The HMAC-SHA256 chain that signs a token.
//!
//! The signing key is `HMAC(key = salt, HMAC(key = issue_ts, certificate))`, with the two integers
//! as 4 little-endian bytes and the certificate as its 32 ASCII hex characters (not hex-decoded).
//! The signature is `HMAC(key = signing key, signed fields)`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Length of an app id or app certificate: 32 hexadecimal characters.
const ID_LEN: usize = 32;

/// A MAC keyed with `key`.
fn keyed(key: &[u8]) -> HmacSha256 {
    // HMAC hashes or pads keys of any length (RFC 2104); this constructor cannot fail.
    HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// The MAC that signs (or verifies) the signed fields of a token.
fn signer(app_certificate: &str, issue_ts: u32, salt: u32) -> HmacSha256 {
    let mut by_ts = keyed(&issue_ts.to_le_bytes());
    by_ts.update(app_certificate.as_bytes());
    let mut by_salt = keyed(&salt.to_le_bytes());
    by_salt.update(&by_ts.finalize().into_bytes());
    keyed(&by_salt.finalize().into_bytes())
}

/// The 32-byte signature of `signing_info`.
pub(crate) fn sign(app_certificate: &str, issue_ts: u32, salt: u32, signing_info: &[u8]) -> [u8; 32] {
    let mut mac = signer(app_certificate, issue_ts, salt);
    mac.update(signing_info);
    mac.finalize().into_bytes().into()
}

/// Whether `signature` signs `signing_info`, compared in constant time.
pub(crate) fn verify(app_certificate: &str, issue_ts: u32, salt: u32, signing_info: &[u8], signature: &[u8]) -> bool {
    let mut mac = signer(app_certificate, issue_ts, salt);
    mac.update(signing_info);
    mac.verify_slice(signature).is_ok()
}

/// Whether `s` has the shape of an Agora app id or certificate: 32 hexadecimal characters.
pub(crate) fn is_hex_id(s: &str) -> bool {
    s.len() == ID_LEN && s.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_accepts_only_the_exact_signature() {
        let cert = "5CFd2fd1755d40ecb72977518be15d3b";
        let signature = sign(cert, 1_111_111, 1, b"fields");
        assert!(verify(cert, 1_111_111, 1, b"fields", &signature));
        assert!(!verify(cert, 1_111_111, 2, b"fields", &signature));
        assert!(!verify(cert, 1_111_112, 1, b"fields", &signature));
        assert!(!verify(cert, 1_111_111, 1, b"fieldz", &signature));
        assert!(!verify(cert, 1_111_111, 1, b"fields", &signature[..31]));
        assert!(!verify(cert, 1_111_111, 1, b"fields", &[]));
    }

    #[test]
    fn hex_ids() {
        assert!(is_hex_id("970CA35de60c44645bbae8a215061b33"));
        assert!(!is_hex_id("970CA35de60c44645bbae8a215061b3"));
        assert!(!is_hex_id("970CA35de60c44645bbae8a215061b3z"));
        assert!(!is_hex_id("970CA35de60c44645bbae8a215061b3é"));
    }
}
