//! Wire types of the API (request and response bodies) that are not domain types.

use jiff::Timestamp;
use psyter_domain::{AppointmentId, AppointmentStatus, ProviderProfile, Role, UserId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The signed-in user's account.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token last issued.
    pub refresh_token: String,
}

/// Tokens issued at sign-in and on refresh.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TotpSetup {
    /// Base32 secret to type into an authenticator.
    pub secret: String,
    /// `otpauth://` URI to show as a QR code.
    pub otpauth_uri: String,
}

/// A TOTP code confirming enrolment or removal.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpCode {
    /// Six-digit code.
    pub code: String,
}

/// One page of providers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProviderPage {
    /// The providers on this page.
    pub items: Vec<ProviderProfile>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Free slots of a provider in a range.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SlotList {
    /// The provider.
    pub provider_id: UserId,
    /// The provider's IANA zone.
    pub time_zone: String,
    /// Free slots in start order.
    pub slots: Vec<psyter_domain::Slot>,
}

/// An appointment as its participants see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Appointment {
    /// Appointment id.
    pub id: AppointmentId,
    /// The patient.
    pub patient_id: UserId,
    /// The patient's display name.
    pub patient_name: String,
    /// The provider.
    pub provider_id: UserId,
    /// The provider's display name.
    pub provider_name: String,
    /// The provider's IANA zone.
    pub provider_time_zone: String,
    /// Session start (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub start: Timestamp,
    /// Session end (UTC).
    #[schema(value_type = String, format = DateTime)]
    pub end: Timestamp,
    /// FHIR status.
    pub status: AppointmentStatus,
    /// The patient's reason for the visit.
    pub reason: String,
    /// Why it was cancelled, if it was.
    pub cancel_reason: Option<String>,
    /// Who cancelled it, if anyone.
    pub cancelled_by: Option<Role>,
    /// Price in minor units at booking.
    pub price_cents: u32,
    /// ISO 4217 currency.
    pub currency: String,
    /// Creation instant.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Last change instant.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// Incremented on every change.
    pub version: i64,
}

/// A booking request.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookRequest {
    /// The provider to book.
    pub provider_id: UserId,
    /// A slot start as returned by the slots endpoint.
    #[schema(value_type = String, format = DateTime)]
    pub start: Timestamp,
    /// Reason for the visit (optional, at most 1000 characters).
    #[serde(default)]
    pub reason: String,
}

/// A cancellation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Why (optional, at most 1000 characters).
    #[serde(default)]
    pub reason: String,
}

/// A move to another slot.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleRequest {
    /// The new slot start.
    #[schema(value_type = String, format = DateTime)]
    pub start: Timestamp,
}

/// Status actions a provider can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StatusAction {
    /// The patient has arrived.
    Arrived,
    /// The session took place.
    Fulfilled,
    /// The patient did not come.
    Noshow,
    /// The appointment was created by mistake.
    EnteredInError,
}

impl From<StatusAction> for AppointmentStatus {
    fn from(a: StatusAction) -> Self {
        match a {
            StatusAction::Arrived => AppointmentStatus::Arrived,
            StatusAction::Fulfilled => AppointmentStatus::Fulfilled,
            StatusAction::Noshow => AppointmentStatus::Noshow,
            StatusAction::EnteredInError => AppointmentStatus::EnteredInError,
        }
    }
}

/// A provider status change.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// The new status.
    pub status: StatusAction,
}

/// A session note (provider only).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Note {
    /// The appointment the note belongs to.
    pub appointment_id: AppointmentId,
    /// The note text.
    pub text: String,
    /// Last change instant.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// The body of a note update; empty text deletes the note.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// The note text (at most 20000 characters); empty deletes.
    pub text: String,
}

/// A page of appointments.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AppointmentPage {
    /// Appointments on this page.
    pub items: Vec<Appointment>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}
