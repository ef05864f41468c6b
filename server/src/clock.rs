//! The server's notion of now: the system clock plus an offset tests can move.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use jiff::{SignedDuration, Timestamp};

/// A shareable clock; `now()` is the system time shifted by an adjustable offset.
#[derive(Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The current instant, truncated to whole seconds (the API's resolution).
    pub fn now(&self) -> Timestamp {
        let shifted = Timestamp::now() + SignedDuration::from_millis(self.offset_ms.load(Ordering::Relaxed));
        Timestamp::from_second(shifted.as_second()).unwrap_or(shifted)
    }

    /// Moves this clock (and every clone) forward or back by `by`.
    pub fn advance(&self, by: SignedDuration) {
        self.offset_ms.fetch_add(by.as_millis() as i64, Ordering::Relaxed);
    }
}
