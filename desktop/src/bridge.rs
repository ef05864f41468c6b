//! Calls in the system browser, for webviews without WebRTC (WebKitGTK on Linux): a loopback server
//! serves the app's own call page (the same embedded assets as the window) and a WebSocket through
//! which the page's engine takes the core's commands and reports its events. The socket needs a
//! one-time ticket from the URL the app opened; only 127.0.0.1 is bound.
//!
//! Frames: to the page `{"command": EngineCommand}`; from the page `{"event": EngineEvent}`,
//! `{"devices": DeviceStatus}`, or `{"user": UserRequest}` (the page's own buttons, carried out through
//! the core's call controls so the core never sees a leave it did not ask for).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::{SinkExt, StreamExt};
use psyter_core::video::{DeviceStatus, EngineEvent};
use serde::Deserialize;
use tauri::{AppHandle, Manager};
use tokio::sync::mpsc;

use crate::engine::{EngineCommand, WebviewEngine};
use crate::error::{IpcError, IpcResult};
use crate::state::AppState;

/// Largest frame accepted from the page.
const MAX_FRAME: usize = 64 * 1024;

/// The running loopback bridge.
pub struct BrowserBridge {
    addr: SocketAddr,
    ticket: Arc<Mutex<Option<String>>>,
    task: tauri::async_runtime::JoinHandle<()>,
}

impl Drop for BrowserBridge {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone)]
struct Shared {
    app: AppHandle,
    engine: Arc<WebviewEngine>,
    ticket: Arc<Mutex<Option<String>>>,
}

/// A frame from the page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
enum PageFrame {
    #[serde(rename = "event")]
    Event(EngineEvent),
    #[serde(rename = "devices")]
    Devices(DeviceStatus),
    #[serde(rename = "user")]
    User(UserRequest),
}

/// What the user pressed on the call page.
#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
enum UserRequest {
    Leave,
    SetAudioMuted { muted: bool },
    SetVideoMuted { muted: bool },
}

/// Carries out a request from the page's buttons on the live call, if there is one.
fn user_request(app: &AppHandle, request: UserRequest) {
    let Some(call) = app.try_state::<AppState>().and_then(|s| s.call()) else { return };
    let result = match request {
        UserRequest::Leave => {
            call.controls.leave();
            Ok(())
        }
        UserRequest::SetAudioMuted { muted } => call.controls.mute_audio(muted),
        UserRequest::SetVideoMuted { muted } => call.controls.mute_video(muted),
    };
    if let Err(e) = result {
        tracing::debug!(code = e.code(), "the call page's request was refused");
    }
}

#[derive(Deserialize)]
struct TicketQuery {
    ticket: String,
}

impl BrowserBridge {
    /// Starts the bridge on a free loopback port.
    pub async fn start(app: AppHandle, engine: Arc<WebviewEngine>) -> IpcResult<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|_| IpcError::internal("browser_bridge_unavailable"))?;
        let addr = listener.local_addr().map_err(|_| IpcError::internal("browser_bridge_unavailable"))?;
        let ticket = Arc::new(Mutex::new(None));
        let shared = Shared { app, engine, ticket: ticket.clone() };
        let router = Router::new().route("/engine", get(engine_socket)).fallback(get(asset)).with_state(shared);
        let task = tauri::async_runtime::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::warn!(error = %e, "the browser call bridge stopped");
            }
        });
        Ok(Self { addr, ticket, task })
    }

    /// A fresh one-time ticket and the page URL that uses it (an earlier unused ticket stops working).
    pub fn page_url(&self, lang: &str) -> String {
        let ticket = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
        *self.ticket.lock().unwrap_or_else(PoisonError::into_inner) = Some(ticket.clone());
        let lang = if lang == "ar" { "ar" } else { "en-US" };
        format!("http://{addr}/call.html?lang={lang}#bridge=ws://{addr}/engine?ticket={ticket}", addr = self.addr)
    }
}

/// Serves the app's embedded UI files.
async fn asset(State(shared): State<Shared>, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let path = if path.is_empty() { "call.html" } else { path };
    match shared.app.asset_resolver().get(path.to_owned()) {
        Some(asset) => {
            let mut response = asset.bytes.into_response();
            let headers = response.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&asset.mime_type) {
                headers.insert(header::CONTENT_TYPE, v);
            }
            if let Some(v) = asset.csp_header.and_then(|c| HeaderValue::from_str(&c).ok()) {
                headers.insert(header::CONTENT_SECURITY_POLICY, v);
            }
            headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
            headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
            response
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The page's engine socket: one connection per ticket.
async fn engine_socket(
    State(shared): State<Shared>,
    Query(query): Query<TicketQuery>,
    ws: WebSocketUpgrade,
) -> Response {
    let expected = shared.ticket.lock().unwrap_or_else(PoisonError::into_inner).take();
    if expected.as_deref() != Some(query.ticket.as_str()) {
        return StatusCode::FORBIDDEN.into_response();
    }
    ws.max_message_size(MAX_FRAME).on_upgrade(move |socket| relay(socket, shared.app, shared.engine))
}

/// Relays commands to the page and its frames to the engine until either side closes.
async fn relay(socket: WebSocket, app: AppHandle, engine: Arc<WebviewEngine>) {
    let (mut to_page, mut from_page) = socket.split();
    let (tx, mut commands) = mpsc::unbounded_channel::<EngineCommand>();
    engine.use_socket(tx);
    loop {
        tokio::select! {
            command = commands.recv() => {
                let Some(command) = command else { break };
                let frame = serde_json::json!({ "command": command }).to_string();
                if to_page.send(Message::Text(frame.into())).await.is_err() {
                    break;
                }
            }
            frame = from_page.next() => match frame {
                Some(Ok(Message::Text(text))) => match serde_json::from_str::<PageFrame>(&text) {
                    Ok(PageFrame::Event(event)) => engine.event(event),
                    Ok(PageFrame::Devices(status)) => engine.set_devices(status),
                    Ok(PageFrame::User(request)) => user_request(&app, request),
                    Err(_) => tracing::debug!("ignored a malformed frame from the call page"),
                },
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            }
        }
    }
    engine.use_webview();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_frames_are_strict() {
        let ok: PageFrame = serde_json::from_str(r#"{"event":{"type":"remote_joined","uid":2}}"#).expect("event");
        assert!(matches!(ok, PageFrame::Event(EngineEvent::RemoteJoined { uid: 2 })));
        let devices =
            r#"{"devices":{"microphone":true,"microphone_allowed":true,"camera":false,"camera_allowed":false}}"#;
        assert!(matches!(serde_json::from_str::<PageFrame>(devices), Ok(PageFrame::Devices(_))));
        let user = r#"{"user":{"op":"set_audio_muted","muted":true}}"#;
        assert!(matches!(
            serde_json::from_str::<PageFrame>(user),
            Ok(PageFrame::User(UserRequest::SetAudioMuted { muted: true }))
        ));
        for bad in
            [r#"{"command":{"op":"leave"}}"#, r#"{"user":{"op":"join"}}"#, r#"{"event":{"type":"nope"}}"#, "[]", "{}"]
        {
            assert!(serde_json::from_str::<PageFrame>(bad).is_err(), "{bad}");
        }
    }
}
