//! The video consultation: the pre-call check, the call and its controls, the page engine's reports,
//! and opening the call in the system browser.

use psyter_core::CallView;
use psyter_core::video::{Device, DeviceStatus, EngineEvent, PreCallReport, VideoPolicy};
use psyter_domain::AppointmentId;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_opener::OpenerExt;

use crate::bridge::BrowserBridge;
use crate::error::{IpcError, IpcResult};
use crate::events::CALL_VIEW;
use crate::state::{AppState, LiveCall};

/// The pre-call check: devices as the page reported them and a network probe, each with a verdict.
#[tauri::command(rename_all = "snake_case")]
pub async fn video_check(state: State<'_, AppState>) -> IpcResult<PreCallReport> {
    Ok(state.core()?.video().check(state.engine.clone()).await?)
}

/// Joins the consultation; the call's view then arrives as `core://call-view` events.
#[tauri::command(rename_all = "snake_case")]
pub async fn video_join(app: AppHandle, state: State<'_, AppState>, id: AppointmentId) -> IpcResult<CallView> {
    if state.call().is_some_and(|call| !call.view.borrow().state.is_terminal()) {
        return Err(IpcError::from(psyter_core::CoreError::Conflict {
            code: "call_in_progress".into(),
            detail: "leave the current call first".into(),
        }));
    }
    let call = state.core()?.video().join(id, state.engine.clone(), VideoPolicy::default()).await?;
    let mut view = call.view();
    let first = view.borrow().clone();
    state.set_call(Some(LiveCall { controls: (*call).clone(), view: view.clone() }));
    tauri::async_runtime::spawn(async move {
        loop {
            let now = view.borrow_and_update().clone();
            let _ = app.emit(CALL_VIEW, &now);
            if now.state.is_terminal() || view.changed().await.is_err() {
                break;
            }
        }
        if let Err(e) = call.finished().await {
            tracing::warn!(code = e.code(), "the call ended with an error");
        }
    });
    Ok(first)
}

/// Leaves the call (always possible).
#[tauri::command(rename_all = "snake_case")]
pub async fn video_leave(state: State<'_, AppState>) -> IpcResult<()> {
    if let Some(call) = state.call() {
        call.controls.leave();
    }
    Ok(())
}

/// The live (or last) call's view.
#[tauri::command(rename_all = "snake_case")]
pub async fn video_view(state: State<'_, AppState>) -> IpcResult<Option<CallView>> {
    Ok(state.call().map(|c| c.view.borrow().clone()))
}

/// Mutes or unmutes the microphone.
#[tauri::command(rename_all = "snake_case")]
pub async fn video_mute_audio(state: State<'_, AppState>, muted: bool) -> IpcResult<()> {
    Ok(live(&state)?.controls.mute_audio(muted)?)
}

/// Stops or restarts the camera.
#[tauri::command(rename_all = "snake_case")]
pub async fn video_mute_video(state: State<'_, AppState>, muted: bool) -> IpcResult<()> {
    Ok(live(&state)?.controls.mute_video(muted)?)
}

/// Switches the microphone, camera or speaker.
#[tauri::command(rename_all = "snake_case")]
pub async fn video_switch_device(state: State<'_, AppState>, device: Device, device_id: String) -> IpcResult<()> {
    Ok(live(&state)?.controls.switch_device(device, &device_id)?)
}

/// Opens the call page in the system browser (engine commands go there until it closes); gives its URL.
#[tauri::command(rename_all = "snake_case")]
pub async fn video_open_in_browser(
    app: AppHandle,
    state: State<'_, AppState>,
    lang: Option<String>,
) -> IpcResult<String> {
    let mut bridge = state.bridge.lock().await;
    if bridge.is_none() {
        *bridge = Some(BrowserBridge::start(app.clone(), state.engine.clone()).await?);
    }
    let url = bridge.as_ref().map(|b| b.page_url(lang.as_deref().unwrap_or("en-US"))).unwrap_or_default();
    app.opener().open_url(url.clone(), None::<&str>).map_err(|_| IpcError::internal("browser_unavailable"))?;
    Ok(url)
}

/// An event from the page's media engine.
#[tauri::command(rename_all = "snake_case")]
pub async fn engine_event(state: State<'_, AppState>, event: EngineEvent) -> IpcResult<()> {
    state.engine.event(event);
    Ok(())
}

/// The page's devices (present and allowed), for the pre-call check.
#[tauri::command(rename_all = "snake_case")]
pub async fn engine_devices(state: State<'_, AppState>, status: DeviceStatus) -> IpcResult<()> {
    state.engine.set_devices(status);
    Ok(())
}

fn live(state: &AppState) -> IpcResult<LiveCall> {
    state.call().filter(|c| !c.view.borrow().state.is_terminal()).ok_or_else(|| {
        IpcError::from(psyter_core::CoreError::Conflict { code: "no_call".into(), detail: "no call is running".into() })
    })
}
