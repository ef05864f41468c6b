//! The desktop layer's one error: what a failed command rejects with in the UI.

use psyter_core::{CoreError, ErrorKind};
use serde::Serialize;

/// A failed command, as the UI receives it: a stable `code` (the UI shows `error-<code>` from
/// errors.ftl), its kind, and nothing secret or personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IpcError {
    /// The stable machine code, e.g. `slot_taken`.
    pub code: String,
    /// The error's family, e.g. `offline`, `conflict`, `validation`.
    pub kind: ErrorKind,
    /// Which input was wrong, for validation errors only (the core's detail names fields, never values).
    pub detail: Option<String>,
    /// Seconds to wait before trying again, when the server said so.
    pub retry_after_secs: Option<u64>,
}

impl IpcError {
    /// An error of the desktop shell itself (no core behind it).
    pub fn internal(code: &str) -> Self {
        Self { code: code.to_owned(), kind: ErrorKind::Internal, detail: None, retry_after_secs: None }
    }
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        let detail = match &e {
            CoreError::Validation { detail, .. } => Some(detail.clone()),
            _ => None,
        };
        let retry_after_secs = match &e {
            CoreError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        Self { code: e.code().to_owned(), kind: e.kind(), detail, retry_after_secs }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code)
    }
}

impl std::error::Error for IpcError {}

/// What every command returns.
pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_validation_errors_carry_detail_and_rate_limits_their_wait() {
        let v = IpcError::from(CoreError::Validation { code: "invalid_email".into(), detail: "email".into() });
        assert_eq!((v.code.as_str(), v.detail.as_deref()), ("invalid_email", Some("email")));
        let n = IpcError::from(CoreError::Network { detail: "connection refused to 10.0.0.1".into() });
        assert_eq!((n.code.as_str(), n.detail, n.kind), ("network", None, ErrorKind::Offline));
        let r = IpcError::from(CoreError::RateLimited { retry_after_secs: 30 });
        assert_eq!(r.retry_after_secs, Some(30));
        let json = serde_json::to_value(&r).expect("serialises");
        assert_eq!(json["kind"], "server", "{json}");
    }
}
