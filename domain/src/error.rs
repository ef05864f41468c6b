//! The domain's one error enum. Every variant has a stable machine code.

/// A rule of the domain was broken by the input or by the requested change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A field is malformed or out of range.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The offending field, in wire spelling.
        field: &'static str,
        /// What is wrong with it, in plain words (never echoes the value).
        reason: &'static str,
    },
    /// The IANA time zone name is unknown.
    #[error("unknown time zone")]
    UnknownTimeZone,
    /// The requested start does not match a generated slot of the provider.
    #[error("the requested time is not one of the provider's slots")]
    SlotUnaligned,
    /// The requested time is in the past or inside the minimum notice.
    #[error("the requested time is too soon")]
    TooSoon,
    /// The requested time is beyond the booking window.
    #[error("the requested time is beyond the booking window")]
    TooFarAhead,
    /// The time overlaps an existing booking (including buffers).
    #[error("that time is already taken")]
    SlotTaken,
    /// The provider's daily booking limit is reached for that day.
    #[error("the provider is fully booked that day")]
    DailyLimitReached,
    /// The status change is not allowed from the current status or for this actor.
    #[error("cannot change status from {from} to {to}")]
    InvalidTransition {
        /// Current status word.
        from: &'static str,
        /// Requested status word.
        to: &'static str,
    },
    /// A patient tried to cancel or reschedule inside the cut-off.
    #[error("inside the cancellation cut-off")]
    InsideCutoff,
    /// The action is not allowed for this role.
    #[error("not allowed for this role")]
    NotAllowed,
    /// The action needs a time that has not come yet, or has passed.
    #[error("not allowed at this time")]
    WrongTime,
}

impl DomainError {
    /// A stable snake_case code for clients and problem+json.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "validation_failed",
            Self::UnknownTimeZone => "unknown_time_zone",
            Self::SlotUnaligned => "slot_unaligned",
            Self::TooSoon => "slot_too_soon",
            Self::TooFarAhead => "slot_too_far_ahead",
            Self::SlotTaken => "slot_taken",
            Self::DailyLimitReached => "daily_limit_reached",
            Self::InvalidTransition { .. } => "invalid_transition",
            Self::InsideCutoff => "cancel_cutoff",
            Self::NotAllowed => "not_allowed",
            Self::WrongTime => "wrong_time",
        }
    }
}
