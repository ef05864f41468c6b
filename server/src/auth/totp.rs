//! RFC 6238 TOTP second factor (SHA-1, 6 digits, 30 s steps, one step of skew).

use totp_rs::{Algorithm, TOTP};

/// Builds the TOTP checker for a stored secret.
pub fn totp(secret: &[u8]) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, 30, secret.to_vec()).ok()
}

/// A fresh 160-bit secret.
pub fn new_secret() -> Vec<u8> {
    rand::random::<[u8; 20]>().to_vec()
}

/// The time step (Unix time / 30) at which `code` is valid for `secret`, allowing one step of skew.
pub fn matching_step(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret)?;
    let step = now.div_euclid(30);
    [step - 1, step, step + 1].into_iter().find(|s| {
        u64::try_from(s * 30)
            .is_ok_and(|t| subtle::ConstantTimeEq::ct_eq(totp.generate(t).as_bytes(), code.as_bytes()).into())
    })
}

/// Whether `code` is valid at `now` and newer than `last_step` (RFC 6238 §5.2: a code is accepted once).
pub fn accept(secret: &[u8], code: &str, now: i64, last_step: Option<i64>) -> Option<i64> {
    matching_step(secret, code, now).filter(|s| last_step.is_none_or(|last| *s > last))
}

/// The `otpauth://` URI an authenticator app scans.
pub fn provisioning_uri(secret: &[u8], account: &str) -> String {
    let b32 = totp(secret).map(|t| t.get_secret_base32()).unwrap_or_default();
    let account: String = account
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._@".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("otpauth://totp/Psyter:{account}?secret={b32}&issuer=Psyter&algorithm=SHA1&digits=6&period=30")
}

/// The code valid at `now` (used by tests and the demo CLI).
pub fn code_at(secret: &[u8], now: i64) -> String {
    totp(secret).map(|t| t.generate(u64::try_from(now).unwrap_or(0))).unwrap_or_default()
}
