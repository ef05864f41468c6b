//! DST-correct slot generation from availability rules.
//!
//! HELPER TO IMPLEMENT (see the brief): semantics are fixed by the doc comments below.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{AvailabilityRules, DomainError, SlotStatus};

/// The longest range one call may generate slots for, in days.
pub const MAX_RANGE_DAYS: i64 = 62;

/// An existing appointment that holds time: the session itself, without buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Booking {
    /// Session start.
    pub start: Timestamp,
    /// Session end (exclusive).
    pub end: Timestamp,
}

/// A bookable (or not) candidate time, FHIR `Slot`-like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    /// Session start (UTC instant).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub start: Timestamp,
    /// Session end (UTC instant, exclusive).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub end: Timestamp,
    /// FHIR slot status.
    pub status: SlotStatus,
}

/// The time an appointment blocks: `[start - buffer_before, end + buffer_after)`.
pub fn blocked_range(rules: &AvailabilityRules, start: Timestamp, end: Timestamp) -> (Timestamp, Timestamp) {
    todo!("helper: {rules:?} {start} {end}")
}

/// Every candidate slot whose start lies in `[from, to)`, in start order.
pub fn generate_slots(
    rules: &AvailabilityRules,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
    bookings: &[Booking],
) -> Result<Vec<Slot>, DomainError> {
    todo!("helper: {rules:?} {from} {to} {now} {bookings:?}")
}

/// Checks that a session may be booked at `start`: returns the slot, or why not.
pub fn check_bookable(
    rules: &AvailabilityRules,
    start: Timestamp,
    now: Timestamp,
    bookings: &[Booking],
) -> Result<Slot, DomainError> {
    todo!("helper: {rules:?} {start} {now} {bookings:?}")
}
