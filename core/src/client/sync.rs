//! The sync engine: a run sends the outbox, then pulls the server's change feed into the cache from the
//! stored cursor (so an interrupted run resumes where it stopped), then re-plans reminders. The
//! background loop runs it on a timer, when woken (a queued action, the network returning), and after
//! failures with exponential backoff and jitter.

use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::Psyter;
use crate::events::{CoreEvent, SyncActivity, SyncStatus};
use crate::{CoreError, ErrorKind};

/// Feed page size requested from the server.
const PAGE_SIZE: u32 = 500;

/// First wait after a failed run; doubles per failure up to `MAX_BACKOFF`.
const FIRST_BACKOFF: Duration = Duration::from_secs(2);

/// Longest wait between failed runs.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// What one sync run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncReport {
    /// Queued actions the server applied.
    pub sent: u32,
    /// Queued actions the server refused (now shown as failed).
    pub refused: u32,
    /// Feed pages applied.
    pub pages: u32,
    /// Feed changes applied.
    pub changes: u64,
}

/// The sync engine of a profile.
#[derive(Clone, Debug)]
pub struct SyncEngine {
    psyter: Psyter,
}

/// The background sync loop; stops when dropped (or with `stop`).
#[derive(Debug)]
pub struct SyncLoop {
    task: JoinHandle<()>,
}

impl SyncLoop {
    /// Stops the loop (a run in progress stops at its next await; committed pages stay).
    pub fn stop(self) {}
}

impl Drop for SyncLoop {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl SyncEngine {
    pub(super) fn new(psyter: Psyter) -> Self {
        Self { psyter }
    }

    /// The latest status (a watch: `changed().await` to follow it).
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.psyter.inner.status.subscribe()
    }

    /// Wakes the loop now (the network came back, the app came to the foreground).
    pub fn wake(&self) {
        self.psyter.inner.wake.notify_one();
    }

    /// One run: send the outbox, pull every page of the feed, re-plan reminders. One run at a time.
    pub async fn run(&self) -> Result<SyncReport, CoreError> {
        let p = &self.psyter;
        let _one_at_a_time = p.inner.sync_lock.lock().await;
        p.inner.status.send_modify(|s| s.activity = SyncActivity::Syncing);
        p.emit(CoreEvent::SyncStarted);
        let outcome = self.run_inner().await;
        match &outcome {
            Ok(report) => {
                p.inner.status.send_modify(|s| {
                    s.activity = SyncActivity::Idle;
                    s.last_synced_at = Some(Timestamp::now());
                });
                p.emit(CoreEvent::SyncFinished { changes: report.changes });
            }
            Err(e) => {
                let activity = if e.kind() == ErrorKind::Offline {
                    SyncActivity::Offline
                } else {
                    SyncActivity::Failed { code: e.code().to_owned() }
                };
                p.inner.status.send_modify(|s| s.activity = activity);
                p.emit(CoreEvent::SyncFailed { code: e.code().to_owned() });
            }
        }
        outcome
    }

    async fn run_inner(&self) -> Result<SyncReport, CoreError> {
        let p = &self.psyter;
        if !p.online() {
            return Err(CoreError::Offline);
        }
        let stores = p.stores()?;
        let sent = p.send_outbox().await?;
        let mut report =
            SyncReport { sent: sent.applied.len() as u32, refused: sent.refused.len() as u32, ..SyncReport::default() };
        if let Some(stopped) = sent.stopped {
            return Err(stopped);
        }
        loop {
            let since = stores.cache.cursor().await?;
            let page = p.api(|api, t| async move { api.sync(&t, since, Some(PAGE_SIZE)).await }).await?;
            stores.cache.apply_sync_page(&page).await?;
            report.pages += 1;
            report.changes += page.changes.len() as u64;
            p.emit(CoreEvent::SyncProgress { pages: report.pages, changes: report.changes });
            if !page.has_more {
                break;
            }
        }
        if report.changes > 0 || report.sent > 0 {
            p.reminders().replan().await?;
        }
        Ok(report)
    }

    /// Starts the background loop: a run now, then every `interval`, when woken, and after a failure
    /// with backoff (2 s doubling to 5 min, with jitter). It pauses while the network monitor says
    /// offline (waking on `wake`), and stops when the session ends.
    pub fn start(&self, interval: Duration) -> SyncLoop {
        let engine = self.clone();
        let task = tokio::spawn(async move {
            let mut failures = 0u32;
            loop {
                let wait = if !engine.psyter.online() {
                    engine.psyter.inner.status.send_modify(|s| s.activity = SyncActivity::Offline);
                    interval
                } else {
                    match engine.run().await {
                        Ok(_) => {
                            failures = 0;
                            interval
                        }
                        Err(e) if e.kind() == ErrorKind::Auth => {
                            tracing::info!(code = e.code(), "sync loop stops: not signed in");
                            return;
                        }
                        Err(e) => {
                            failures = failures.saturating_add(1);
                            let wait = backoff(failures, rand::random::<f64>());
                            tracing::debug!(code = e.code(), wait_ms = wait.as_millis() as u64, "sync retry scheduled");
                            wait
                        }
                    }
                };
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = engine.psyter.inner.wake.notified() => {}
                }
            }
        });
        SyncLoop { task }
    }
}

/// The wait after `failures` consecutive failures: a random time between half and all of
/// `FIRST_BACKOFF * 2^(failures-1)`, capped at `MAX_BACKOFF` (`unit` is uniform in [0, 1)).
fn backoff(failures: u32, unit: f64) -> Duration {
    let ceiling = FIRST_BACKOFF.saturating_mul(1u32 << failures.saturating_sub(1).min(16)).min(MAX_BACKOFF);
    ceiling.mul_f64(0.5 + 0.5 * unit.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        assert_eq!(backoff(1, 1.0), FIRST_BACKOFF);
        assert_eq!(backoff(1, 0.0), FIRST_BACKOFF / 2);
        assert_eq!(backoff(3, 1.0), FIRST_BACKOFF * 4);
        assert_eq!(backoff(40, 1.0), MAX_BACKOFF);
        assert!(backoff(40, 0.0) >= MAX_BACKOFF / 2);
    }
}
