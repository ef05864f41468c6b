//! FHIR R4 status words for appointments and slots.

use serde::{Deserialize, Serialize};

/// FHIR R4 `Appointment.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AppointmentStatus {
    /// Some or all participants have not finalised their acceptance.
    Proposed,
    /// Requested, awaiting confirmation (offline requests show as this).
    Pending,
    /// Confirmed; the slot is taken.
    Booked,
    /// The patient has arrived (joined the consultation).
    Arrived,
    /// The consultation took place.
    Fulfilled,
    /// Cancelled before it took place.
    Cancelled,
    /// The patient did not attend.
    Noshow,
    /// Created by mistake; to be ignored.
    EnteredInError,
    /// Checked in, not yet seen.
    CheckedIn,
    /// On a waiting list.
    Waitlist,
}

impl AppointmentStatus {
    /// Every status, in FHIR's order.
    pub const ALL: [AppointmentStatus; 10] = [
        Self::Proposed,
        Self::Pending,
        Self::Booked,
        Self::Arrived,
        Self::Fulfilled,
        Self::Cancelled,
        Self::Noshow,
        Self::EnteredInError,
        Self::CheckedIn,
        Self::Waitlist,
    ];

    /// The FHIR wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Pending => "pending",
            Self::Booked => "booked",
            Self::Arrived => "arrived",
            Self::Fulfilled => "fulfilled",
            Self::Cancelled => "cancelled",
            Self::Noshow => "noshow",
            Self::EnteredInError => "entered-in-error",
            Self::CheckedIn => "checked-in",
            Self::Waitlist => "waitlist",
        }
    }

    /// Whether no further transition is possible.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Fulfilled | Self::Cancelled | Self::Noshow | Self::EnteredInError)
    }

    /// Whether an appointment in this status holds its time (blocks other bookings).
    pub fn holds_time(self) -> bool {
        matches!(self, Self::Booked | Self::Arrived | Self::CheckedIn | Self::Fulfilled | Self::Pending)
    }
}

impl std::fmt::Display for AppointmentStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for AppointmentStatus {
    type Err = crate::DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or(crate::DomainError::Invalid { field: "status", reason: "unknown appointment status" })
    }
}

/// FHIR R4 `Slot.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum SlotStatus {
    /// Open for booking.
    Free,
    /// Taken by an appointment.
    Busy,
    /// Held tentatively.
    BusyTentative,
    /// Not bookable (for example the provider's daily limit is reached).
    BusyUnavailable,
}
