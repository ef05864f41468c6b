//! The core's one error enum. Every variant has a stable machine `code()`; none carries a token,
//! password or health data.

use psyter_domain::DomainError;

/// Everything that can go wrong in the client core.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoreError {
    /// The device is offline or the server cannot be reached.
    #[error("the server cannot be reached")]
    Offline,
    /// The connection failed mid-way (reset, truncated response, TLS failure after connect).
    #[error("network error: {detail}")]
    Network {
        /// What failed, without secrets.
        detail: String,
    },
    /// The request took longer than the configured timeout.
    #[error("the request timed out")]
    Timeout,
    /// Credentials are missing, wrong or expired; `code()` is the specific reason (`invalid_credentials`,
    /// `totp_required`, `token_invalid`, `not_signed_in`, `biometric_failed`, ...).
    #[error("not signed in: {code}")]
    Unauthorized {
        /// The server's problem code.
        code: String,
    },
    /// The session was ended (refresh token reuse, revoked, or signed out elsewhere).
    #[error("the session has ended; sign in again")]
    SessionEnded,
    /// The change conflicts with the server's state (slot taken, idempotency in flight, ...).
    #[error("conflict: {detail}")]
    Conflict {
        /// The server's problem code, e.g. `slot_taken`.
        code: String,
        /// Human-readable explanation from the server.
        detail: String,
    },
    /// A booking policy forbids the action (e.g. cancel inside the cut-off).
    #[error("not allowed: {detail}")]
    Policy {
        /// The server's or domain's code, e.g. `cancel_cutoff`.
        code: String,
        /// Human-readable explanation.
        detail: String,
    },
    /// The input was rejected (client-side by the domain rules, or by the server).
    #[error("invalid input: {detail}")]
    Validation {
        /// The code, e.g. `validation_failed`, `slot_unaligned`.
        code: String,
        /// Human-readable explanation.
        detail: String,
    },
    /// The resource does not exist or is not visible to this user.
    #[error("not found")]
    NotFound,
    /// Too many attempts; retry after the given seconds.
    #[error("too many attempts; retry in {retry_after_secs} s")]
    RateLimited {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// The server failed (5xx) after retries.
    #[error("server error ({status})")]
    Server {
        /// HTTP status.
        status: u16,
    },
    /// A non-loopback server URL was not HTTPS.
    #[error("refusing to talk to a server without HTTPS")]
    InsecureTransport,
    /// The server's certificate was refused (wrong host, untrusted, or not matching a pin).
    #[error("the server's certificate was refused")]
    Certificate,
    /// No usable OS keychain (e.g. no Secret Service running).
    #[error("no usable keychain: {detail}")]
    KeychainUnavailable {
        /// Why, in plain words.
        detail: String,
    },
    /// The keychain failed an operation.
    #[error("keychain error: {detail}")]
    Keychain {
        /// What failed, without secrets.
        detail: String,
    },
    /// The local cache failed an operation.
    #[error("local storage error: {detail}")]
    Storage {
        /// What failed, without data.
        detail: String,
    },
    /// A platform service of the shell (media engine, notifications) failed.
    #[error("platform service error: {detail}")]
    Platform {
        /// What the platform said, without secrets.
        detail: String,
    },
    /// The cache file could not be opened with the stored key, or is corrupt; it will be rebuilt.
    #[error("the local cache is unreadable")]
    CacheUnreadable,
    /// The session is locked (idle timeout or app start) and must be unlocked first.
    #[error("locked; unlock to continue")]
    Locked,
    /// A domain rule rejected the action before it was sent.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// An unexpected failure (a bug); details are logged without secrets.
    #[error("internal error: {detail}")]
    Internal {
        /// What failed.
        detail: String,
    },
}

impl CoreError {
    /// A stable snake_case code shells and the CLI switch on.
    pub fn code(&self) -> &str {
        match self {
            Self::Offline => "offline",
            Self::Network { .. } => "network",
            Self::Timeout => "timeout",
            Self::SessionEnded => "session_ended",
            Self::Unauthorized { code }
            | Self::Conflict { code, .. }
            | Self::Policy { code, .. }
            | Self::Validation { code, .. } => code,
            Self::NotFound => "not_found",
            Self::RateLimited { .. } => "rate_limited",
            Self::Server { .. } => "server",
            Self::InsecureTransport => "insecure_transport",
            Self::Certificate => "certificate",
            Self::KeychainUnavailable { .. } => "keychain_unavailable",
            Self::Keychain { .. } => "keychain",
            Self::Storage { .. } => "storage",
            Self::Platform { .. } => "platform_service",
            Self::CacheUnreadable => "cache_unreadable",
            Self::Locked => "locked",
            Self::Domain(e) => e.code(),
            Self::Internal { .. } => "internal",
        }
    }

    /// The broad family of this error, for exit codes and UI treatment.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Offline | Self::Network { .. } | Self::Timeout => ErrorKind::Offline,
            Self::Unauthorized { .. } | Self::SessionEnded | Self::Locked => ErrorKind::Auth,
            Self::Conflict { .. } => ErrorKind::Conflict,
            Self::Policy { .. } => ErrorKind::Policy,
            Self::Validation { .. } | Self::Domain(_) => ErrorKind::Validation,
            Self::NotFound => ErrorKind::NotFound,
            Self::RateLimited { .. } | Self::Server { .. } => ErrorKind::Server,
            Self::InsecureTransport | Self::Certificate => ErrorKind::Security,
            Self::KeychainUnavailable { .. }
            | Self::Keychain { .. }
            | Self::Storage { .. }
            | Self::Platform { .. }
            | Self::CacheUnreadable => ErrorKind::Device,
            Self::Internal { .. } => ErrorKind::Internal,
        }
    }
}

/// Families of errors, each with its own treatment in shells and its own CLI exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// No connection: work continues from the cache and the outbox.
    Offline,
    /// Sign in (again) or unlock.
    Auth,
    /// The server's state disagrees (e.g. slot taken).
    Conflict,
    /// A policy forbids it.
    Policy,
    /// The input is wrong.
    Validation,
    /// Not found.
    NotFound,
    /// The server failed or throttled.
    Server,
    /// Transport security refused.
    Security,
    /// Keychain or storage on this device.
    Device,
    /// A bug.
    Internal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_server_codes_pass_through() {
        assert_eq!(CoreError::Offline.code(), "offline");
        let c = CoreError::Conflict { code: "slot_taken".into(), detail: "taken".into() };
        assert_eq!((c.code(), c.kind()), ("slot_taken", ErrorKind::Conflict));
        assert_eq!(CoreError::from(DomainError::InsideCutoff).code(), "cancel_cutoff");
        assert_eq!(CoreError::SessionEnded.kind(), ErrorKind::Auth);
        let totp = CoreError::Unauthorized { code: "totp_required".into() };
        assert_eq!((totp.code(), totp.kind()), ("totp_required", ErrorKind::Auth));
    }

    #[test]
    fn every_code_the_core_produces_has_a_message_in_every_locale() {
        let s = || String::new();
        let fixed = [
            CoreError::Offline,
            CoreError::Network { detail: s() },
            CoreError::Timeout,
            CoreError::SessionEnded,
            CoreError::NotFound,
            CoreError::RateLimited { retry_after_secs: 1 },
            CoreError::Server { status: 500 },
            CoreError::InsecureTransport,
            CoreError::Certificate,
            CoreError::KeychainUnavailable { detail: s() },
            CoreError::Keychain { detail: s() },
            CoreError::Storage { detail: s() },
            CoreError::Platform { detail: s() },
            CoreError::CacheUnreadable,
            CoreError::Locked,
            CoreError::Internal { detail: s() },
        ];
        let mut codes: Vec<String> = fixed.iter().map(|e| e.code().to_owned()).collect();
        // Codes the core itself puts into the variants that carry one.
        for local in [
            "unauthorized",
            "not_signed_in",
            "biometric_failed",
            "biometric_unavailable",
            "account_mismatch",
            "unsent_actions",
            "action_not_failed",
            "booking_pending",
            "invalid_profile",
            "invalid_server_url",
            "invalid_pin",
            "invalid_cursor",
        ] {
            codes.push(local.into());
        }
        let domain = [
            DomainError::UnknownTimeZone,
            DomainError::SlotUnaligned,
            DomainError::TooSoon,
            DomainError::TooFarAhead,
            DomainError::SlotTaken,
            DomainError::DailyLimitReached,
            DomainError::InsideCutoff,
            DomainError::NotAllowed,
            DomainError::WrongTime,
        ];
        codes.extend(domain.into_iter().map(|e| CoreError::from(e).code().to_owned()));
        for locale in psyter_i18n::SUPPORTED_LOCALES {
            let l10n = psyter_i18n::Localizer::for_locale(locale).expect("locale");
            for code in &codes {
                assert!(psyter_i18n::ERROR_CODES.contains(&code.as_str()), "{code} has no message");
                assert_ne!(l10n.error_message(code), l10n.error_message("no_such_code_x"), "{locale}: {code}");
            }
        }
    }
}
