//! Directory, slots and appointments on the wire.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{AppointmentId, AppointmentStatus, ProviderProfile, Role, UserId};

/// One page of providers.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderPage {
    /// The providers on this page.
    pub items: Vec<ProviderProfile>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Free slots of a provider in a range.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotList {
    /// The provider.
    pub provider_id: UserId,
    /// The provider's IANA zone.
    pub time_zone: String,
    /// Free slots in start order.
    pub slots: Vec<crate::Slot>,
}

/// An appointment as its participants see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: Timestamp,
    /// Session end (UTC).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
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
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// Last change instant.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
    /// Incremented on every change.
    pub version: i64,
}

/// A booking request.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BookRequest {
    /// The provider to book.
    pub provider_id: UserId,
    /// A slot start as returned by the slots endpoint.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: Timestamp,
    /// Reason for the visit (optional, at most 1000 characters).
    #[serde(default)]
    pub reason: String,
}

/// A cancellation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Why (optional, at most 1000 characters).
    #[serde(default)]
    pub reason: String,
}

/// A move to another slot.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RescheduleRequest {
    /// The new slot start.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: Timestamp,
}

/// Status actions a provider can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// A provider status change.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// The new status.
    pub status: StatusAction,
}

/// A session note (provider only).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    /// The appointment the note belongs to.
    pub appointment_id: AppointmentId,
    /// The note text.
    pub text: String,
    /// Last change instant.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// The body of a note update; empty text deletes the note.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// The note text (at most 20000 characters); empty deletes.
    pub text: String,
}

/// A page of appointments.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppointmentPage {
    /// Appointments on this page.
    pub items: Vec<Appointment>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
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
