//! What the core tells the UI, forwarded as Tauri events: core events, the sync status, and deep
//! links; plus the idle timer that lets the auto-lock show while nobody touches the app.

use std::time::Duration;

use psyter_core::Psyter;
use psyter_domain::AppointmentId;
use serde::Serialize;
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;

/// Core events (`CoreEvent`).
pub const CORE_EVENT: &str = "core://event";
/// The sync status (`SyncStatus`), on every change.
pub const SYNC_STATUS: &str = "core://sync-status";
/// The live call's view (`CallView`), on every change.
pub const CALL_VIEW: &str = "core://call-view";
/// An appointment to open (deep link or notification).
pub const OPEN_APPOINTMENT: &str = "core://open-appointment";

/// How often the idle auto-lock is checked.
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// The payload of `core://open-appointment`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenAppointment {
    /// The appointment.
    pub id: AppointmentId,
}

/// Forwards core events and sync status changes to the UI, and runs the idle check, for the app's life.
pub fn forward(app: &AppHandle, core: &Psyter) {
    let (events_app, mut events) = (app.clone(), core.events());
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => {
                    let _ = events_app.emit(CORE_EVENT, &event);
                }
                Err(RecvError::Lagged(skipped)) => tracing::debug!(skipped, "the UI missed core events"),
                Err(RecvError::Closed) => break,
            }
        }
    });
    let (status_app, mut status) = (app.clone(), core.sync().status());
    tauri::async_runtime::spawn(async move {
        loop {
            let now = status.borrow_and_update().clone();
            let _ = status_app.emit(SYNC_STATUS, &now);
            if status.changed().await.is_err() {
                break;
            }
        }
    });
    let idle = core.clone();
    tauri::async_runtime::spawn(async move {
        let mut tick = tokio::time::interval(IDLE_CHECK);
        loop {
            tick.tick().await;
            idle.auth().check_idle();
        }
    });
}

/// The appointment a `psyter://appointment/<id>` link names; anything else is ignored.
pub fn parse_deep_link(url: &str) -> Option<AppointmentId> {
    let rest = url.strip_prefix("psyter://appointment/")?;
    let id = rest.trim_end_matches('/');
    if id.len() != 36 || id.contains(['/', '?', '#']) {
        return None;
    }
    id.parse::<uuid::Uuid>().ok().map(AppointmentId)
}

/// Tells the UI to open the appointment a deep link names (ignoring links that name none).
pub fn open_links<'a>(app: &AppHandle, urls: impl IntoIterator<Item = &'a str>) {
    for id in urls.into_iter().filter_map(parse_deep_link) {
        let _ = app.emit(OPEN_APPOINTMENT, OpenAppointment { id });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_appointment_links_are_followed() {
        let id = "0195f3a2-7c4e-7000-8000-000000000001";
        assert_eq!(
            parse_deep_link(&format!("psyter://appointment/{id}")).map(|a| a.0.to_string()),
            Some(id.to_owned())
        );
        assert!(parse_deep_link(&format!("psyter://appointment/{id}/")).is_some());
        for bad in [
            "psyter://appointment/",
            "psyter://appointment/not-a-uuid",
            "https://appointment/0195f3a2-7c4e-7000-8000-000000000001",
            "psyter://settings/0195f3a2-7c4e-7000-8000-000000000001",
            "psyter://appointment/0195f3a2-7c4e-7000-8000-000000000001?x=1",
            "psyter://appointment/0195f3a2-7c4e-7000-8000-000000000001/../x",
        ] {
            assert_eq!(parse_deep_link(bad), None, "{bad}");
        }
    }
}
