//! Accounts, sessions and errors on the wire.

use serde::{Deserialize, Serialize};

use crate::{Role, UserId};

/// The signed-in user's account.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// User id.
    pub id: UserId,
    /// Sign-in email.
    pub email: String,
    /// Name shown to others.
    pub display_name: String,
    /// Patient or provider.
    pub role: Role,
    /// UI locale: "en-US" or "ar".
    pub locale: String,
    /// IANA zone times are shown in.
    pub time_zone: String,
    /// Minutes before each appointment to remind, e.g. [1440, 60].
    pub reminder_minutes: Vec<u32>,
    /// Whether a TOTP second factor is required at sign-in.
    pub totp_enabled: bool,
}

/// Account creation.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// Sign-in email.
    pub email: String,
    /// Password, 10 to 256 characters.
    pub password: String,
    /// Name shown to others.
    pub display_name: String,
    /// Patient or provider.
    pub role: Role,
    /// IANA time zone; defaults to UTC.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// "en-US" (default) or "ar".
    #[serde(default)]
    pub locale: Option<String>,
}

/// Sign-in with password and, when enabled, a TOTP code.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Sign-in email.
    pub email: String,
    /// Password.
    pub password: String,
    /// Six-digit TOTP code, required when the account has TOTP enabled.
    #[serde(default)]
    pub totp_code: Option<String>,
}

/// A refresh-token exchange or logout.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token last issued.
    pub refresh_token: String,
}

/// Tokens issued at sign-in and on refresh.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// Short-lived bearer token for API calls.
    pub access_token: String,
    /// Single-use token to get the next pair; store it in the OS keychain.
    pub refresh_token: String,
    /// Always "Bearer".
    pub token_type: String,
    /// Access-token lifetime in seconds.
    pub expires_in: i64,
    /// The account.
    pub user: Me,
}

/// Partial update of the signed-in user's settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    /// New display name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// New locale: "en-US" or "ar".
    #[serde(default)]
    pub locale: Option<String>,
    /// New IANA time zone.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// New reminder offsets in minutes (at most 5, each 5 to 10080).
    #[serde(default)]
    pub reminder_minutes: Option<Vec<u32>>,
}

/// A TOTP enrolment in progress.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpSetup {
    /// Base32 secret to type into an authenticator.
    pub secret: String,
    /// `otpauth://` URI to show as a QR code.
    pub otpauth_uri: String,
}

/// A TOTP code confirming enrolment or removal.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TotpCode {
    /// Six-digit code.
    pub code: String,
}

/// An RFC 9457 problem document as this API sends it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI reference naming the problem type (`about:blank` or a stable tag URI).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short human-readable summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Human-readable explanation of this occurrence (never contains secrets or health data).
    pub detail: String,
    /// Stable machine-readable code clients switch on.
    pub code: String,
    /// Seconds to wait before retrying, for throttling responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// Debug output of types that carry passwords, codes or tokens: the type name and its safe fields only.
macro_rules! redacted_debug {
    ($t:ty, |$v:ident, $f:ident| $body:expr) => {
        impl std::fmt::Debug for $t {
            fn fmt(&self, $f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let $v = self;
                $body
            }
        }
    };
}

redacted_debug!(RegisterRequest, |v, f| f
    .debug_struct("RegisterRequest")
    .field("role", &v.role)
    .field("time_zone", &v.time_zone)
    .field("locale", &v.locale)
    .finish_non_exhaustive());
redacted_debug!(LoginRequest, |v, f| f
    .debug_struct("LoginRequest")
    .field("totp", &v.totp_code.is_some())
    .finish_non_exhaustive());
redacted_debug!(RefreshRequest, |_v, f| f.debug_struct("RefreshRequest").finish_non_exhaustive());
redacted_debug!(TokenResponse, |v, f| f
    .debug_struct("TokenResponse")
    .field("token_type", &v.token_type)
    .field("expires_in", &v.expires_in)
    .field("user", &v.user.id)
    .finish_non_exhaustive());
redacted_debug!(TotpSetup, |_v, f| f.debug_struct("TotpSetup").finish_non_exhaustive());
redacted_debug!(TotpCode, |_v, f| f.debug_struct("TotpCode").finish_non_exhaustive());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_secrets() {
        let login = LoginRequest {
            email: "a@b.co".into(),
            password: "hunter2-canary".into(),
            totp_code: Some("123456".into()),
        };
        let refresh = RefreshRequest { refresh_token: "rt-canary".into() };
        let totp =
            TotpSetup { secret: "JBSWY3DPCANARY".into(), otpauth_uri: "otpauth://totp/x?secret=JBSWY3DPCANARY".into() };
        let all = format!("{login:?} {refresh:?} {totp:?} {:?}", TotpCode { code: "654321".into() });
        for canary in ["hunter2-canary", "123456", "rt-canary", "JBSWY3DPCANARY", "654321", "a@b.co"] {
            assert!(!all.contains(canary), "{all}");
        }
    }
}
