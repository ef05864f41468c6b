//! Psyter's scheduling domain: identifiers, roles, provider profiles, availability rules, DST-correct
//! slot generation, FHIR R4 appointment statuses and their transitions, the cancel/reschedule policy and
//! input validation. Pure code: no I/O, no async; rules never read the clock (callers pass `now`). Only
//! fresh identifiers (`UserId::new()`, UUIDv7) read the time and a random source.

pub mod availability;
pub mod error;
#[cfg(feature = "uniffi")]
mod ffi;
pub mod ids;
pub mod policy;
pub mod provider;
pub mod slots;
pub mod status;
pub mod validate;
pub mod wire;

pub use availability::{AvailabilityRules, DateOverride, TimeRange, Weekday, WeeklyHours};
pub use error::DomainError;
pub use ids::{AppointmentId, UserId};
pub use policy::{CancelPolicy, JOIN_WINDOW_BEFORE, check_transition, in_join_window};
pub use provider::{Gender, ProviderProfile};
pub use slots::{Booking, MAX_RANGE_DAYS, Slot, blocked_range, check_bookable, generate_slots};
pub use status::{AppointmentStatus, SlotStatus};

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

/// The role a signed-in user acts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Books and attends consultations.
    Patient,
    /// Offers availability and runs consultations.
    Provider,
}

impl Role {
    /// The stable wire word for this role.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Patient => "patient",
            Role::Provider => "provider",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "patient" => Ok(Role::Patient),
            "provider" => Ok(Role::Provider),
            _ => Err(DomainError::Invalid { field: "role", reason: "must be patient or provider" }),
        }
    }
}
