//! Sign-in, sign-out, lock and unlock, and what the UI needs to know at start.

use psyter_core::{SessionPhase, UnlockMethod};
use psyter_domain::wire::{Me, RegisterRequest};
use serde::Serialize;
use tauri::State;

use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// What the UI needs to know at start.
#[derive(Debug, Clone, Serialize)]
pub struct AppInfo {
    /// The app's version.
    pub version: &'static str,
    /// The API server's base URL.
    pub server_url: String,
    /// The profile name.
    pub profile: String,
    /// The system's preferred locale (`LANG`), e.g. `ar` or `en-US`.
    pub system_locale: String,
    /// `linux`, `macos` or `windows`.
    pub platform: &'static str,
}

/// The app's version, server, profile, system locale and platform.
#[tauri::command(rename_all = "snake_case")]
pub async fn app_info(state: State<'_, AppState>) -> IpcResult<AppInfo> {
    let lang = std::env::var("LC_ALL").or_else(|_| std::env::var("LANG")).unwrap_or_default();
    let system_locale = lang.split(['.', '@']).next().unwrap_or_default().replace('_', "-");
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        server_url: state.settings.server_url.clone(),
        profile: state.settings.profile.clone(),
        system_locale: if system_locale.is_empty() || system_locale == "C" { "en-US".into() } else { system_locale },
        platform: std::env::consts::OS,
    })
}

/// Where the session is: signed out, active or locked.
#[tauri::command(rename_all = "snake_case")]
pub async fn session_phase(state: State<'_, AppState>) -> IpcResult<SessionPhase> {
    Ok(state.core()?.phase())
}

/// The user is active: the idle auto-lock starts over.
#[tauri::command(rename_all = "snake_case")]
pub async fn session_touch(state: State<'_, AppState>) -> IpcResult<()> {
    Ok(state.core()?.auth().touch()?)
}

/// Signs in (with a TOTP code when the account has one) and starts syncing.
#[tauri::command(rename_all = "snake_case")]
pub async fn auth_login(
    state: State<'_, AppState>,
    email: String,
    password: String,
    totp_code: Option<String>,
) -> IpcResult<Me> {
    let me = state.core()?.auth().login(&email, &password, totp_code.as_deref()).await?;
    state.start_sync();
    Ok(me)
}

/// Creates an account, signs in to it and starts syncing.
#[tauri::command(rename_all = "snake_case")]
pub async fn auth_register(state: State<'_, AppState>, request: RegisterRequest) -> IpcResult<Me> {
    let me = state.core()?.auth().register(&request).await?;
    state.start_sync();
    Ok(me)
}

/// Signs out: revokes on the server, deletes the keychain entries and this profile's local data.
/// Without `force`, refuses while actions are still queued (they would be lost).
#[tauri::command(rename_all = "snake_case")]
pub async fn auth_logout(state: State<'_, AppState>, force: bool) -> IpcResult<bool> {
    if let Some(call) = state.call() {
        call.controls.leave();
    }
    let revoked = state.core()?.auth().logout(force).await?;
    state.stop_sync();
    Ok(revoked)
}

/// Locks the session now.
#[tauri::command(rename_all = "snake_case")]
pub async fn auth_lock(state: State<'_, AppState>) -> IpcResult<()> {
    state.core()?.auth().lock();
    Ok(())
}

/// How the session can be unlocked here.
#[tauri::command(rename_all = "snake_case")]
pub async fn auth_unlock_method(state: State<'_, AppState>) -> IpcResult<UnlockMethod> {
    Ok(state.core()?.auth().unlock_method().await?)
}

/// Unlocks with the account password (checked by the server).
#[tauri::command(rename_all = "snake_case")]
pub async fn auth_unlock_password(
    state: State<'_, AppState>,
    password: String,
    totp_code: Option<String>,
) -> IpcResult<()> {
    state.core()?.auth().unlock_with_password(&password, totp_code.as_deref()).await?;
    state.start_sync();
    Ok(())
}

/// Unlocks with the operating system's own authentication where the platform offers it.
#[tauri::command(rename_all = "snake_case")]
pub async fn auth_unlock_os(state: State<'_, AppState>, reason: String) -> IpcResult<()> {
    state.core()?.auth().unlock_with_biometric(&reason).await.map_err(IpcError::from)?;
    state.start_sync();
    Ok(())
}
