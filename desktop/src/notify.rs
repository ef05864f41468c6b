//! Reminders as native notifications: the core plans them, this shows each at its time through the
//! notification plugin (desktop notification servers have no scheduling of their own, so a timer per
//! reminder waits in the app).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use jiff::Timestamp;
use psyter_core::CoreError;
use psyter_core::platform::NotificationScheduler;
use psyter_core::reminders::Reminder;
use tauri::AppHandle;
use tauri::async_runtime::JoinHandle;
use tauri_plugin_notification::NotificationExt;

/// Shows planned reminders at their time while the app runs.
pub struct DesktopNotifier {
    app: AppHandle,
    timers: Mutex<HashMap<String, JoinHandle<()>>>,
}

impl DesktopNotifier {
    /// A scheduler showing notifications through `app`.
    pub fn new(app: AppHandle) -> Self {
        Self { app, timers: Mutex::new(HashMap::new()) }
    }
}

/// How long to wait until `at`; `None` when it has passed.
pub fn wait_until(at: Timestamp, now: Timestamp) -> Option<Duration> {
    let ms = at.as_millisecond() - now.as_millisecond();
    (ms >= 0).then(|| Duration::from_millis(ms.unsigned_abs()))
}

impl NotificationScheduler for DesktopNotifier {
    fn schedule(&self, reminder: &Reminder) -> Result<(), CoreError> {
        let Some(wait) = wait_until(reminder.fire_at, Timestamp::now()) else { return Ok(()) };
        let app = self.app.clone();
        let (title, body) = (reminder.title.clone(), reminder.body.clone());
        let task = tauri::async_runtime::spawn(async move {
            tokio::time::sleep(wait).await;
            if let Err(e) = app.notification().builder().title(title).body(body).show() {
                tracing::warn!(error = %e, "a reminder could not be shown");
            }
        });
        let previous = self.timers.lock().unwrap_or_else(PoisonError::into_inner).insert(reminder.id.clone(), task);
        if let Some(previous) = previous {
            previous.abort();
        }
        Ok(())
    }

    fn cancel(&self, id: &str) -> Result<(), CoreError> {
        if let Some(task) = self.timers.lock().unwrap_or_else(PoisonError::into_inner).remove(id) {
            task.abort();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_reminders_are_not_scheduled_and_future_ones_wait_the_difference() {
        let now = Timestamp::from_second(1_000_000).expect("ts");
        assert_eq!(wait_until(Timestamp::from_second(999_999).expect("ts"), now), None);
        assert_eq!(wait_until(Timestamp::from_second(1_000_090).expect("ts"), now), Some(Duration::from_secs(90)));
    }
}
