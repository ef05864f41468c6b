//! Who may change an appointment, to what, and when.

use jiff::{SignedDuration, Timestamp};

use crate::{AppointmentStatus as S, DomainError, Role};

/// How long before the start a participant may join the video consultation.
pub const JOIN_WINDOW_BEFORE: SignedDuration = SignedDuration::from_mins(10);

/// Whether `now` is inside the join window: from ten minutes before `start` until `end`.
pub fn in_join_window(start: Timestamp, end: Timestamp, now: Timestamp) -> bool {
    now >= start.checked_sub(JOIN_WINDOW_BEFORE).unwrap_or(Timestamp::MIN) && now < end
}

/// The cancel/reschedule policy: inside the cut-off a patient can neither cancel nor reschedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CancelPolicy {
    /// How long before the start the patient's right to cancel ends.
    pub cutoff: SignedDuration,
}

impl Default for CancelPolicy {
    fn default() -> Self {
        Self { cutoff: SignedDuration::from_hours(24) }
    }
}

impl CancelPolicy {
    /// The last instant at which a patient may still cancel or move an appointment starting at `start`.
    pub fn cutoff_instant(&self, start: Timestamp) -> Timestamp {
        start.checked_sub(self.cutoff).unwrap_or(Timestamp::MIN)
    }

    /// Checks that `role` may cancel an appointment in `status` running `[start, end)` at `now`.
    pub fn check_cancel(
        &self,
        role: Role,
        status: S,
        start: Timestamp,
        end: Timestamp,
        now: Timestamp,
    ) -> Result<(), DomainError> {
        if !matches!(status, S::Proposed | S::Pending | S::Booked | S::Waitlist | S::CheckedIn) {
            return Err(transition_error(status, S::Cancelled));
        }
        match role {
            Role::Patient if status.holds_time() && now > self.cutoff_instant(start) => Err(DomainError::InsideCutoff),
            Role::Patient => Ok(()),
            Role::Provider if now >= end => Err(DomainError::WrongTime),
            Role::Provider => Ok(()),
        }
    }

    /// Checks that `role` may move an appointment in `status` that starts at `start`.
    pub fn check_reschedule(&self, role: Role, status: S, start: Timestamp, now: Timestamp) -> Result<(), DomainError> {
        if !matches!(status, S::Pending | S::Booked) {
            return Err(transition_error(status, S::Booked));
        }
        match role {
            Role::Patient if now > self.cutoff_instant(start) => Err(DomainError::InsideCutoff),
            _ if now >= start => Err(DomainError::WrongTime),
            _ => Ok(()),
        }
    }
}

/// Checks a status change made through the status action (not cancel, which has its own policy).
///
/// Providers move booked appointments to arrived (inside the join window), fulfilled or noshow (once
/// started), and may mark any live appointment entered-in-error. Patients change no status this way.
pub fn check_transition(
    from: S,
    to: S,
    role: Role,
    start: Timestamp,
    end: Timestamp,
    now: Timestamp,
) -> Result<(), DomainError> {
    if role != Role::Provider {
        return Err(DomainError::NotAllowed);
    }
    let allowed = match (from, to) {
        (S::Pending | S::Proposed | S::Waitlist, S::Booked) => true,
        (S::Booked | S::CheckedIn, S::Arrived) => {
            if !in_join_window(start, end, now) {
                return Err(DomainError::WrongTime);
            }
            true
        }
        (S::Booked, S::CheckedIn) => true,
        (S::Booked | S::Arrived | S::CheckedIn, S::Fulfilled) | (S::Booked | S::CheckedIn, S::Noshow) => {
            if now < start {
                return Err(DomainError::WrongTime);
            }
            true
        }
        (f, S::EnteredInError) => !f.is_terminal(),
        _ => false,
    };
    if allowed { Ok(()) } else { Err(transition_error(from, to)) }
}

fn transition_error(from: S, to: S) -> DomainError {
    DomainError::InvalidTransition { from: from.as_str(), to: to.as_str() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().expect("test timestamp")
    }

    #[test]
    fn patient_cannot_cancel_inside_cutoff_but_provider_can() {
        let p = CancelPolicy::default();
        let (start, end) = (t("2026-03-10T15:00:00Z"), t("2026-03-10T15:50:00Z"));
        let inside = t("2026-03-09T15:00:01Z");
        let outside = t("2026-03-09T14:59:59Z");
        assert_eq!(p.check_cancel(Role::Patient, S::Booked, start, end, inside), Err(DomainError::InsideCutoff));
        assert_eq!(p.check_cancel(Role::Patient, S::Booked, start, end, outside), Ok(()));
        assert_eq!(p.check_cancel(Role::Provider, S::Booked, start, end, inside), Ok(()));
        assert_eq!(p.check_cancel(Role::Provider, S::Booked, start, end, end), Err(DomainError::WrongTime));
    }

    #[test]
    fn terminal_appointments_cannot_be_cancelled_or_moved() {
        let p = CancelPolicy::default();
        let (start, end, now) = (t("2026-03-10T15:00:00Z"), t("2026-03-10T15:50:00Z"), t("2026-01-01T00:00:00Z"));
        for st in [S::Fulfilled, S::Cancelled, S::Noshow, S::EnteredInError] {
            assert!(matches!(
                p.check_cancel(Role::Provider, st, start, end, now),
                Err(DomainError::InvalidTransition { .. })
            ));
            assert!(p.check_reschedule(Role::Provider, st, start, now).is_err());
        }
    }

    #[test]
    fn arrived_only_inside_join_window_and_fulfilled_only_after_start() {
        let (start, end) = (t("2026-03-10T15:00:00Z"), t("2026-03-10T15:50:00Z"));
        let early = t("2026-03-10T14:49:59Z");
        let window = t("2026-03-10T14:50:00Z");
        let p = Role::Provider;
        assert_eq!(check_transition(S::Booked, S::Arrived, p, start, end, early), Err(DomainError::WrongTime));
        assert_eq!(check_transition(S::Booked, S::Arrived, p, start, end, window), Ok(()));
        assert_eq!(check_transition(S::Arrived, S::Fulfilled, p, start, end, window), Err(DomainError::WrongTime));
        assert_eq!(check_transition(S::Arrived, S::Fulfilled, p, start, end, start), Ok(()));
        assert_eq!(check_transition(S::Booked, S::Noshow, p, start, end, start), Ok(()));
        assert_eq!(
            check_transition(S::Booked, S::Arrived, Role::Patient, start, end, window),
            Err(DomainError::NotAllowed)
        );
        assert!(check_transition(S::Fulfilled, S::Noshow, p, start, end, end).is_err());
        assert!(check_transition(S::Cancelled, S::EnteredInError, p, start, end, end).is_err());
    }

    #[test]
    fn join_window_is_ten_minutes_before_until_end() {
        let (start, end) = (t("2026-03-10T15:00:00Z"), t("2026-03-10T15:50:00Z"));
        assert!(!in_join_window(start, end, t("2026-03-10T14:49:59Z")));
        assert!(in_join_window(start, end, t("2026-03-10T14:50:00Z")));
        assert!(in_join_window(start, end, t("2026-03-10T15:49:59Z")));
        assert!(!in_join_window(start, end, end));
    }
}
