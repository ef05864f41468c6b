//! The error codes that have user-facing messages, and their message ids.

/// Every error code with a message of its own in every locale: the client core's `CoreError::code()`
/// values, the server's problem codes and the shells' local codes. Any other code gets `error-unknown`.
pub const ERROR_CODES: &[&str] = &[
    // Client core and shells.
    "offline",
    "network",
    "timeout",
    "unauthorized",
    "session_ended",
    "not_found",
    "rate_limited",
    "server",
    "insecure_transport",
    "certificate",
    "keychain_unavailable",
    "keychain",
    "storage",
    "platform_service",
    "cache_unreadable",
    "locked",
    "internal",
    "biometric_failed",
    "biometric_unavailable",
    "invalid_server_url",
    "invalid_pin",
    "invalid_profile",
    "not_signed_in",
    "account_mismatch",
    "unsent_actions",
    "action_not_failed",
    "booking_pending",
    // Server problem codes.
    "appointment_not_active",
    "email_taken",
    "idempotency_in_flight",
    "idempotency_key_reused",
    "invalid_credentials",
    "invalid_refresh_token",
    "outside_join_window",
    "patient_overlap",
    "refresh_token_reused",
    "session_revoked",
    "token_invalid",
    "totp_already_enabled",
    "totp_invalid",
    "totp_not_set_up",
    "totp_required",
    "totp_state",
    "cancel_cutoff",
    "daily_limit_reached",
    "invalid_body",
    "invalid_cursor",
    "invalid_query",
    "invalid_transition",
    "malformed_json",
    "method_not_allowed",
    "not_allowed",
    "payload_too_large",
    "slot_taken",
    "slot_too_far_ahead",
    "slot_too_soon",
    "slot_unaligned",
    "too_many_requests",
    "unknown_time_zone",
    "unsupported_media_type",
    "validation_failed",
    "wrong_time",
];

/// The message shown for a code without a message of its own.
pub(crate) const UNKNOWN_ERROR_ID: &str = "error-unknown";

/// The message id for an error code: `error-` and the code with `_` written as `-`, or `None` when the
/// code is not a plain lower-case word (so arbitrary input can never name a non-error message).
pub(crate) fn error_message_id(code: &str) -> Option<String> {
    let plain = !code.is_empty()
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    plain.then(|| format!("error-{}", code.replace('_', "-")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(error_message_id("slot_taken").as_deref(), Some("error-slot-taken"));
        assert_eq!(error_message_id("offline").as_deref(), Some("error-offline"));
        assert_eq!(error_message_id(""), None);
        assert_eq!(error_message_id("Slot Taken"), None);
        assert_eq!(error_message_id("x.y"), None);
    }

    #[test]
    fn codes_are_unique_and_plain() {
        let mut seen = std::collections::HashSet::new();
        for code in ERROR_CODES {
            assert!(seen.insert(code), "duplicate {code}");
            assert!(error_message_id(code).is_some(), "{code}");
        }
        assert_eq!(ERROR_CODES.len(), 62);
    }
}
