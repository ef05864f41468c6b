//! The bindings' one public error enum, `PsyterError`: a family per core `ErrorKind`, each with the
//! core's stable `code` (for the shell's localised message) and an English `message` for logs. And
//! `PlatformError`, what the shells' implementations of foreign traits throw.

use psyter_core::{CoreError, ErrorKind};

/// Everything a call into the core can fail with; `code` is stable (e.g. `slot_taken`, `offline`).
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum PsyterError {
    /// No connection: the call could not reach the server (reads still work from the cache).
    #[error("{code}: {message}")]
    Offline {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data.
        message: String,
    },
    /// Sign in again, or unlock.
    #[error("{code}: {message}")]
    Auth {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data.
        message: String,
    },
    /// The server's state disagrees (e.g. `slot_taken`).
    #[error("{code}: {message}")]
    Conflict {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data.
        message: String,
    },
    /// A booking policy forbids it (e.g. `cancel_cutoff`).
    #[error("{code}: {message}")]
    Policy {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data.
        message: String,
    },
    /// The input is wrong.
    #[error("{code}: {message}")]
    Validation {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data.
        message: String,
    },
    /// The thing asked for does not exist.
    #[error("{code}: {message}")]
    NotFound {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data.
        message: String,
    },
    /// The server failed or throttled.
    #[error("{code}: {message}")]
    Server {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data.
        message: String,
    },
    /// Transport security refused the connection.
    #[error("{code}: {message}")]
    Security {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data.
        message: String,
    },
    /// The device's keychain, storage or another platform service failed.
    #[error("{code}: {message}")]
    Device {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data.
        message: String,
    },
    /// A bug in the core (including a caught panic); the app keeps running.
    #[error("{code}: {message}")]
    Internal {
        /// Stable machine code.
        code: String,
        /// English explanation, without secrets or health data.
        message: String,
    },
}

impl PsyterError {
    /// The error for a panic caught at the boundary.
    pub(crate) fn panicked() -> Self {
        Self::Internal { code: "internal".into(), message: "the core hit a bug and stopped this call".into() }
    }
}

impl From<CoreError> for PsyterError {
    fn from(err: CoreError) -> Self {
        let code = err.code().to_owned();
        let message = err.to_string();
        match err.kind() {
            ErrorKind::Offline => Self::Offline { code, message },
            ErrorKind::Auth => Self::Auth { code, message },
            ErrorKind::Conflict => Self::Conflict { code, message },
            ErrorKind::Policy => Self::Policy { code, message },
            ErrorKind::Validation => Self::Validation { code, message },
            ErrorKind::NotFound => Self::NotFound { code, message },
            ErrorKind::Server => Self::Server { code, message },
            ErrorKind::Security => Self::Security { code, message },
            ErrorKind::Device => Self::Device { code, message },
            ErrorKind::Internal => Self::Internal { code, message },
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
        Self::Failed { reason: format!("the platform service threw: {}", err.reason) }
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

    /// This failure as a device error of the core (media, notifications).
    pub(crate) fn into_device(self) -> CoreError {
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
    fn platform_failures_become_keychain_errors() {
        let err = PlatformError::Unavailable { reason: "locked".into() }.into_keychain();
        assert_eq!(err.code(), "keychain_unavailable");
        let err = PlatformError::Failed { reason: "io".into() }.into_keychain();
        assert_eq!(err.kind(), ErrorKind::Device);
    }
}
