//! What the core tells a UI as it happens: session changes, sync progress, outbox results. Shells
//! subscribe with `Psyter::events()` (a broadcast: a slow subscriber skips, it never blocks the core)
//! and read the current sync status with `Psyter::sync().status()` (a watch: always the latest).

use jiff::Timestamp;

/// Something that happened in the core.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CoreEvent {
    /// The server ended the session (refresh token reused or revoked): sign in again.
    SessionEnded,
    /// The session locked (idle, or by request): unlock to continue.
    Locked,
    /// A sync run started.
    SyncStarted,
    /// A page of the change feed was applied.
    SyncProgress {
        /// Pages applied in this run.
        pages: u32,
        /// Changes applied in this run.
        changes: u64,
    },
    /// A sync run finished; the lists may have changed.
    SyncFinished {
        /// Changes applied in this run.
        changes: u64,
    },
    /// A sync run stopped with an error (offline is normal; the loop retries with backoff).
    SyncFailed {
        /// The error's stable code.
        code: String,
    },
    /// The outbox changed (queued, sent or refused actions).
    OutboxChanged {
        /// Actions still to send.
        pending: u32,
    },
    /// The server refused a queued action for good (e.g. the slot was taken while offline).
    ActionFailed {
        /// The outbox entry, for dismissing it.
        outbox_id: i64,
        /// The error's stable code, e.g. `slot_taken`.
        code: String,
    },
    /// The local cache could not be read (wrong key or corrupt) and was rebuilt empty; queued actions
    /// were kept and the next sync refills it.
    CacheRebuilt,
    /// The outbox could not be read and had to be reset: queued actions were lost.
    OutboxLost,
    /// Reminders were re-planned.
    RemindersPlanned {
        /// How many reminders are scheduled now.
        scheduled: u32,
    },
}

/// What the sync engine is doing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SyncActivity {
    /// Nothing is running.
    Idle,
    /// A sync run is in progress.
    Syncing,
    /// The last run could not reach the server; the loop retries.
    Offline,
    /// The last run failed for another reason.
    Failed {
        /// The error's stable code.
        code: String,
    },
}

/// The latest sync status, for a status bar.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncStatus {
    /// What the engine is doing.
    pub activity: SyncActivity,
    /// When the cache last caught up with the server.
    pub last_synced_at: Option<Timestamp>,
    /// Actions waiting in the outbox.
    pub pending_actions: u32,
}

impl Default for SyncStatus {
    fn default() -> Self {
        Self { activity: SyncActivity::Idle, last_synced_at: None, pending_actions: 0 }
    }
}
