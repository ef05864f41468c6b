//! Lists, history search, actions and statistics of the user's appointments; sync and reminders.

use jiff::Timestamp;
use psyter_core::cache::AppointmentFilter;
use psyter_core::events::SyncStatus;
use psyter_core::reminders::Reminder;
use psyter_core::video::CallRecord;
use psyter_core::{
    ActionOutcome, AppointmentView, BookOutcome, ChangePolicy, PendingAction, Stats, SyncReport, ViewPage,
};
use psyter_domain::wire::{Note, StatusAction};
use psyter_domain::{AppointmentId, UserId};
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// Largest page a list may ask for.
const MAX_LIMIT: u32 = 200;

fn limit_of(limit: u32) -> IpcResult<usize> {
    if (1..=MAX_LIMIT).contains(&limit) {
        Ok(limit as usize)
    } else {
        Err(IpcError::from(psyter_core::CoreError::Validation { code: "invalid_limit".into(), detail: "limit".into() }))
    }
}

/// Appointments that have not ended, soonest first (from the cache).
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_upcoming(
    state: State<'_, AppState>,
    filter: AppointmentFilter,
    limit: u32,
    cursor: Option<String>,
) -> IpcResult<ViewPage> {
    Ok(state.core()?.appointments().upcoming(&filter, limit_of(limit)?, cursor.as_deref()).await?)
}

/// Past appointments, latest first (from the cache).
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_past(
    state: State<'_, AppState>,
    filter: AppointmentFilter,
    limit: u32,
    cursor: Option<String>,
) -> IpcResult<ViewPage> {
    Ok(state.core()?.appointments().past(&filter, limit_of(limit)?, cursor.as_deref()).await?)
}

/// Full-text search of the cached history (works offline).
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_search(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
) -> IpcResult<Vec<AppointmentView>> {
    Ok(state.core()?.appointments().search(&query, limit_of(limit)?).await?)
}

/// One appointment with any action still pending on it.
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_get(state: State<'_, AppState>, id: AppointmentId) -> IpcResult<AppointmentView> {
    Ok(state.core()?.appointments().get(id).await?)
}

/// What the user may do to it now, and the rule behind it.
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_policy(state: State<'_, AppState>, id: AppointmentId) -> IpcResult<ChangePolicy> {
    Ok(state.core()?.appointments().policy(id).await?)
}

/// The provider's session note.
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_note(state: State<'_, AppState>, id: AppointmentId) -> IpcResult<Option<Note>> {
    Ok(state.core()?.appointments().note(id).await?)
}

/// The records of its video calls.
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_calls(state: State<'_, AppState>, id: AppointmentId) -> IpcResult<Vec<CallRecord>> {
    Ok(state.core()?.appointments().calls(id).await?)
}

/// Actions the server has not applied yet (queued, sending, refused).
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_pending(state: State<'_, AppState>) -> IpcResult<Vec<PendingAction>> {
    Ok(state.core()?.appointments().pending_actions().await?)
}

/// Forgets a refused action.
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_dismiss(state: State<'_, AppState>, outbox_id: i64) -> IpcResult<()> {
    Ok(state.core()?.appointments().dismiss(outbox_id).await?)
}

/// Sends a queued action now, or tries a refused one again.
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_retry(state: State<'_, AppState>, outbox_id: i64) -> IpcResult<()> {
    Ok(state.core()?.appointments().retry(outbox_id).await?)
}

/// Books a slot (offline: queued as a pending request).
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_book(
    state: State<'_, AppState>,
    provider_id: UserId,
    start: Timestamp,
    reason: String,
) -> IpcResult<BookOutcome> {
    Ok(state.core()?.appointments().book(provider_id, start, &reason).await?)
}

/// Cancels (checked against the policy first).
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_cancel(
    state: State<'_, AppState>,
    id: AppointmentId,
    reason: String,
) -> IpcResult<ActionOutcome> {
    Ok(state.core()?.appointments().cancel(id, &reason).await?)
}

/// Moves it to another start (checked against the policy first).
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_reschedule(
    state: State<'_, AppState>,
    id: AppointmentId,
    start: Timestamp,
) -> IpcResult<ActionOutcome> {
    Ok(state.core()?.appointments().reschedule(id, start).await?)
}

/// The provider's status action: arrived, fulfilled, noshow or entered-in-error.
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_set_status(
    state: State<'_, AppState>,
    id: AppointmentId,
    action: StatusAction,
) -> IpcResult<ActionOutcome> {
    Ok(state.core()?.appointments().set_status(id, action).await?)
}

/// Saves the provider's session note (queued when offline, so nothing typed is lost).
#[tauri::command(rename_all = "snake_case")]
pub async fn appointments_write_note(
    state: State<'_, AppState>,
    id: AppointmentId,
    text: String,
) -> IpcResult<ActionOutcome> {
    Ok(state.core()?.appointments().write_note(id, &text).await?)
}

/// Counts by status and fulfilled earnings of appointments starting in `[from, to)`.
#[tauri::command(rename_all = "snake_case")]
pub async fn stats(state: State<'_, AppState>, from: Timestamp, to: Timestamp) -> IpcResult<Stats> {
    Ok(state.core()?.appointments().stats(from, to).await?)
}

/// The latest sync status.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_status(state: State<'_, AppState>) -> IpcResult<SyncStatus> {
    Ok(state.core()?.sync().status().borrow().clone())
}

/// Sends queued actions and pulls the server's changes now.
#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(state: State<'_, AppState>) -> IpcResult<SyncReport> {
    Ok(state.core()?.sync().run().await?)
}

/// The reminders planned for upcoming appointments.
#[tauri::command(rename_all = "snake_case")]
pub async fn reminders_scheduled(state: State<'_, AppState>) -> IpcResult<Vec<Reminder>> {
    Ok(state.core()?.reminders().scheduled().await?)
}
