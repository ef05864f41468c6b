//! Services the platform supplies to the core: the clock, the biometric gate, the network hint and the
//! notification scheduler. Shells implement them (through the bindings on mobile); the core brings
//! desktop defaults. All are synchronous and object safe, so they can be foreign (UniFFI) traits.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};

use crate::CoreError;
use crate::reminders::Reminder;

/// The time source for idle locking and reminder planning (injectable, so tests can move time).
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Timestamp;
}

/// The system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that runs with the system clock plus an offset tests can move.
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset_ms: AtomicI64,
}

impl OffsetClock {
    /// Moves this clock forward (or back, with a negative duration).
    pub fn advance(&self, by: SignedDuration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> Timestamp {
        let offset = SignedDuration::from_millis(self.offset_ms.load(Ordering::SeqCst));
        Timestamp::now().checked_add(offset).unwrap_or_else(|_| Timestamp::now())
    }
}

/// What a biometric check answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum BiometricOutcome {
    /// The user proved presence (Face ID, fingerprint, Windows Hello, ...).
    Passed,
    /// The user failed or cancelled the check.
    Failed,
    /// No biometric hardware or enrolment on this device: fall back to the password.
    Unavailable,
}

/// The platform's biometric prompt. When the user enables it, unlocking the session requires it.
pub trait BiometricGate: Send + Sync {
    /// Shows the platform prompt with `reason` and returns the outcome (may block while it is shown).
    fn authenticate(&self, reason: &str) -> BiometricOutcome;
}

/// The platform's hint whether the device has a network; the sync loop does not try while offline.
pub trait NetworkMonitor: Send + Sync {
    /// Whether a network path is available (a hint: the server may still be unreachable).
    fn is_online(&self) -> bool;
}

/// A network hint a shell (or test) sets by hand; starts online.
#[derive(Debug)]
pub struct ManualNetwork(AtomicBool);

impl Default for ManualNetwork {
    fn default() -> Self {
        Self(AtomicBool::new(true))
    }
}

impl ManualNetwork {
    /// Records whether the device is online.
    pub fn set_online(&self, online: bool) {
        self.0.store(online, Ordering::SeqCst);
    }
}

impl NetworkMonitor for ManualNetwork {
    fn is_online(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// The platform's local notifications. The core plans reminders and tells the scheduler which to add
/// and which to withdraw; ids are stable, so a re-plan only touches what changed.
pub trait NotificationScheduler: Send + Sync {
    /// Schedules (or replaces) the reminder with `reminder.id`.
    fn schedule(&self, reminder: &Reminder) -> Result<(), CoreError>;
    /// Withdraws the reminder with `id`; an unknown id is not an error.
    fn cancel(&self, id: &str) -> Result<(), CoreError>;
}
