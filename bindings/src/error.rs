//! The bindings' one public error enum, `PsyterError`: a family per core `ErrorKind`, each with the
//! core's stable `code` (for the shell's localised message) and an English `detail` for logs. And
//! `PlatformError`, what the shells' implementations of foreign traits throw.

use psyter_core::{CoreError, ErrorKind};

/// Everything a call into the core can fail with; `code` is stable (e.g. `slot_taken`, `offline`).
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum PsyterError {
    /// No connection: the call could not reach the server (reads still work from the cache).
    #[error("{code}: {detail}")]
    Offline {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data (not `message`, which Kotlin's
        /// `Throwable` already has).
        detail: String,
    },
    /// Sign in again, or unlock.
    #[error("{code}: {detail}")]
    Auth {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data (not `message`, which Kotlin's
        /// `Throwable` already has).
        detail: String,
    },
    /// The server's state disagrees (e.g. `slot_taken`).
    #[error("{code}: {detail}")]
    Conflict {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data (not `message`, which Kotlin's
        /// `Throwable` already has).
        detail: String,
    },
    /// A booking policy forbids it (e.g. `cancel_cutoff`).
    #[error("{code}: {detail}")]
    Policy {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data (not `message`, which Kotlin's
        /// `Throwable` already has).
        detail: String,
    },
    /// The input is wrong.
    #[error("{code}: {detail}")]
    Validation {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data (not `message`, which Kotlin's
        /// `Throwable` already has).
        detail: String,
    },
    /// The thing asked for does not exist.
    #[error("{code}: {detail}")]
    NotFound {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data (not `message`, which Kotlin's
        /// `Throwable` already has).
        detail: String,
    },
    /// The server failed or throttled.
    #[error("{code}: {detail}")]
    Server {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data (not `message`, which Kotlin's
        /// `Throwable` already has).
        detail: String,
    },
    /// Transport security refused the connection.
    #[error("{code}: {detail}")]
    Security {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data (not `message`, which Kotlin's
        /// `Throwable` already has).
        detail: String,
    },
    /// The device's keychain, storage or another platform service failed.
    #[error("{code}: {detail}")]
    Device {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data (not `message`, which Kotlin's
        /// `Throwable` already has).
        detail: String,
    },
    /// A bug in the core (including a caught panic); the app keeps running.
    #[error("{code}: {detail}")]
    Internal {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data (not `message`, which Kotlin's
        /// `Throwable` already has).
        detail: String,
    },
}

impl PsyterError {
    /// The error for a panic caught at the boundary.
    pub(crate) fn panicked() -> Self {
        Self::Internal { code: "internal".into(), detail: "the core hit a bug and stopped this call".into() }
    }
}

impl From<CoreError> for PsyterError {
    fn from(err: CoreError) -> Self {
        let code = err.code().to_owned();
        let detail = err.to_string();
        match err.kind() {
            ErrorKind::Offline => Self::Offline { code, detail },
            ErrorKind::Auth => Self::Auth { code, detail },
            ErrorKind::Conflict => Self::Conflict { code, detail },
            ErrorKind::Policy => Self::Policy { code, detail },
            ErrorKind::Validation => Self::Validation { code, detail },
            ErrorKind::NotFound => Self::NotFound { code, detail },
            ErrorKind::Server => Self::Server { code, detail },
            ErrorKind::Security => Self::Security { code, detail },
            ErrorKind::Device => Self::Device { code, detail },
            ErrorKind::Internal => Self::Internal { code, detail },
        }
    }
}

/// What a shell's platform service reports when it fails (thrown in Kotlin and Swift).
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum PlatformError {
    /// The service is missing or refused (no keychain, permission denied, no camera).
    #[error("unavailable: {reason}")]
    Unavailable {
        /// What the platform said, without secrets.
        reason: String,
    },
    /// The service failed.
    #[error("failed: {reason}")]
    Failed {
        /// What the platform said, without secrets.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for PlatformError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        // Only the exception's first line, bounded: the rest is a foreign stack trace for no one's logs.
        let first: String = err.reason.lines().next().unwrap_or_default().chars().take(200).collect();
        Self::Failed { reason: format!("the platform service threw: {first}") }
    }
}

impl PlatformError {
    /// This failure as a keychain error of the core.
    pub(crate) fn into_keychain(self) -> CoreError {
        match self {
            Self::Unavailable { reason } => CoreError::KeychainUnavailable { detail: reason },
            Self::Failed { reason } => CoreError::Keychain { detail: reason },
        }
    }

    /// This failure as a platform-service error of the core (media, notifications).
    pub(crate) fn into_platform(self) -> CoreError {
        match self {
            Self::Unavailable { reason } | Self::Failed { reason } => CoreError::Platform { detail: reason },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_code_and_family() {
        let taken = CoreError::Conflict { code: "slot_taken".into(), detail: "taken".into() };
        assert!(matches!(PsyterError::from(taken), PsyterError::Conflict { code, .. } if code == "slot_taken"));
        assert!(
            matches!(PsyterError::from(CoreError::Offline), PsyterError::Offline { code, .. } if code == "offline")
        );
        let bad = CoreError::Unauthorized { code: "invalid_credentials".into() };
        assert!(matches!(PsyterError::from(bad), PsyterError::Auth { code, .. } if code == "invalid_credentials"));
    }

    #[test]
    fn an_unexpected_foreign_exception_keeps_only_its_first_line() {
        let trace = format!("java.lang.IllegalStateException: boom\n{}", "\tat app.Foo.bar(Foo.kt:1)\n".repeat(200));
        let PlatformError::Failed { reason } = uniffi::UnexpectedUniFFICallbackError::new(trace).into() else {
            panic!("an unexpected exception is a failure")
        };
        assert_eq!(reason, "the platform service threw: java.lang.IllegalStateException: boom");
    }

    #[test]
    fn platform_failures_become_keychain_errors() {
        let err = PlatformError::Unavailable { reason: "locked".into() }.into_keychain();
        assert_eq!(err.code(), "keychain_unavailable");
        let err = PlatformError::Failed { reason: "io".into() }.into_keychain();
        assert_eq!(err.kind(), ErrorKind::Device);
    }
}
