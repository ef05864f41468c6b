//! The account's settings on the server and this device's own.

use psyter_core::LocalSettings;
use psyter_domain::wire::{Me, UpdateMe};
use tauri::State;

use crate::error::IpcResult;
use crate::state::AppState;

/// The signed-in account (from the cache when offline).
#[tauri::command(rename_all = "snake_case")]
pub async fn me(state: State<'_, AppState>) -> IpcResult<Me> {
    Ok(state.core()?.settings().me().await?)
}

/// Changes the account's name, language, time zone or reminders.
#[tauri::command(rename_all = "snake_case")]
pub async fn settings_update(state: State<'_, AppState>, update: UpdateMe) -> IpcResult<Me> {
    Ok(state.core()?.settings().update(&update).await?)
}

/// This device's settings (auto-lock, OS authentication).
#[tauri::command(rename_all = "snake_case")]
pub async fn settings_local(state: State<'_, AppState>) -> IpcResult<LocalSettings> {
    Ok(state.core()?.settings().local().await?)
}

/// Sets the idle time before the session locks (0: never).
#[tauri::command(rename_all = "snake_case")]
pub async fn settings_set_auto_lock(state: State<'_, AppState>, secs: u64) -> IpcResult<LocalSettings> {
    Ok(state.core()?.settings().set_auto_lock(secs).await?)
}

/// Turns unlocking with the operating system's authentication on or off.
#[tauri::command(rename_all = "snake_case")]
pub async fn settings_set_biometric(state: State<'_, AppState>, enabled: bool) -> IpcResult<LocalSettings> {
    Ok(state.core()?.settings().set_biometric(enabled).await?)
}
