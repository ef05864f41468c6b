//! Sandbox WebRTC signalling, so two clients can hold a real call with no external service.
//!
//! `GET /v1/signalling` upgrades to a WebSocket. The first frame must be `{"type":"auth","token":...}`
//! with a signalling token from the video-token endpoint (sent as a frame, not in the URL, so it never
//! reaches access logs), within 5 seconds. The token names the channel and uid; the server also checks
//! that its holder takes part in the appointment and that the join window is open. Text frames of type
//! `offer`, `answer`, `candidate` and `bye` (at most 64 KiB) are then relayed to the other participant
//! with a `from` uid added; `peer-joined` / `peer-left` tell each side about the other. At the end of
//! the window the server closes the socket (code 4408). Close codes: 4400 bad frame, 4401 bad token,
//! 4403 not allowed now, 4409 replaced by a newer connection of the same uid.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use psyter_domain::{AppointmentId, UserId, in_join_window};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::AppState;
use crate::appointments::store::load_visible;
use crate::error::ApiError;

/// Largest relayed frame.
const MAX_FRAME: usize = 64 * 1024;
/// How long a new socket may take to authenticate.
const AUTH_WAIT: Duration = Duration::from_secs(5);
/// How often an open socket checks the window.
const WINDOW_CHECK: Duration = Duration::from_secs(1);
/// The message types relayed between peers.
const RELAYED: [&str; 4] = ["offer", "answer", "candidate", "bye"];

/// The signalling route.
pub fn router() -> Router<AppState> {
    Router::new().route("/signalling", get(upgrade))
}

/// One connected participant.
struct Peer {
    conn: u64,
    tx: mpsc::UnboundedSender<Message>,
}

/// The open sockets, by channel and uid.
#[derive(Default)]
pub struct Hub {
    rooms: Mutex<HashMap<String, HashMap<u32, Peer>>>,
    next_conn: AtomicU64,
}

impl Hub {
    /// Registers a socket; returns its connection number. A previous socket of the same uid is told to
    /// close (4409), and the others learn that this uid joined.
    fn join(&self, channel: &str, uid: u32, tx: mpsc::UnboundedSender<Message>) -> (u64, Vec<u32>) {
        let conn = self.next_conn.fetch_add(1, Ordering::Relaxed);
        let mut rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        let room = rooms.entry(channel.to_owned()).or_default();
        if let Some(old) = room.insert(uid, Peer { conn, tx }) {
            let _ = old.tx.send(close(4409, "replaced by a newer connection"));
        }
        let others: Vec<u32> = room.keys().copied().filter(|u| *u != uid).collect();
        for u in &others {
            if let Some(peer) = room.get(u) {
                let _ = peer.tx.send(text(&json!({ "type": "peer-joined", "uid": uid })));
            }
        }
        (conn, others)
    }

    /// Sends `frame` to every other peer of the channel.
    fn relay(&self, channel: &str, from: u32, frame: Message) {
        let rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        for (uid, peer) in rooms.get(channel).into_iter().flatten() {
            if *uid != from {
                let _ = peer.tx.send(frame.clone());
            }
        }
    }

    /// Removes a socket (unless a newer one of the same uid replaced it) and tells the others.
    fn leave(&self, channel: &str, uid: u32, conn: u64) {
        let mut rooms = self.rooms.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(room) = rooms.get_mut(channel) else { return };
        if room.get(&uid).is_some_and(|p| p.conn == conn) {
            room.remove(&uid);
            for peer in room.values() {
                let _ = peer.tx.send(text(&json!({ "type": "peer-left", "uid": uid })));
            }
        }
        if room.is_empty() {
            rooms.remove(channel);
        }
    }
}

fn text(value: &Value) -> Message {
    Message::Text(Utf8Bytes::from(value.to_string()))
}

fn close(code: u16, reason: &'static str) -> Message {
    Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }))
}

/// Upgrades to the signalling socket; a plain HTTP request gets a problem+json 400.
async fn upgrade(
    State(state): State<AppState>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let ws = ws.map_err(|_| ApiError::BadRequest {
        code: "websocket_required",
        detail: "this endpoint speaks WebSocket only".into(),
    })?;
    Ok(ws.max_message_size(MAX_FRAME).on_upgrade(move |socket| session(state, socket)))
}

/// Who a socket is, once authenticated.
struct Admitted {
    channel: String,
    uid: u32,
    window_end: jiff::Timestamp,
}

/// Reads the auth frame and checks the token, the participant and the window.
async fn admit(state: &AppState, socket: &mut WebSocket) -> Result<Admitted, Message> {
    let first = tokio::time::timeout(AUTH_WAIT, socket.recv()).await;
    let Ok(Some(Ok(Message::Text(frame)))) = first else { return Err(close(4401, "authenticate first")) };
    let token = serde_json::from_str::<Value>(&frame)
        .ok()
        .filter(|v| v["type"] == "auth")
        .and_then(|v| v["token"].as_str().map(str::to_owned))
        .ok_or_else(|| close(4400, "expected an auth frame"))?;
    let now = state.clock.now();
    let claims = state.keys.verify_signalling(&token, now).ok_or_else(|| close(4401, "invalid token"))?;
    let user: UserId = claims.sub.parse().map_err(|_| close(4401, "invalid token"))?;
    let id = claims
        .channel
        .strip_prefix("psyter-")
        .and_then(|hex| uuid::Uuid::try_parse(hex).ok())
        .map(AppointmentId)
        .ok_or_else(|| close(4401, "invalid token"))?;
    let appt =
        state.db.read(move |tx| load_visible(tx, id, user)).await.map_err(|_| close(4403, "not a participant"))?;
    if !in_join_window(appt.start, appt.end, now) {
        return Err(close(4403, "outside_join_window"));
    }
    Ok(Admitted { channel: claims.channel, uid: claims.uid, window_end: appt.end })
}

async fn session(state: AppState, mut socket: WebSocket) {
    let who = match admit(&state, &mut socket).await {
        Ok(who) => who,
        Err(refusal) => {
            let _ = socket.send(refusal).await;
            return;
        }
    };
    let (tx, mut outbox) = mpsc::unbounded_channel();
    let (conn, others) = state.signalling.join(&who.channel, who.uid, tx);
    let mut open = socket.send(text(&json!({ "type": "ready", "uid": who.uid, "peers": others }))).await.is_ok();
    let mut ticker = tokio::time::interval(WINDOW_CHECK);
    while open {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(frame))) => match relayable(&frame, who.uid) {
                    Some(out) => state.signalling.relay(&who.channel, who.uid, out),
                    None => {
                        let _ = socket.send(close(4400, "unknown frame")).await;
                        open = false;
                    }
                },
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                _ => open = false,
            },
            out = outbox.recv() => match out {
                Some(frame) => {
                    let closing = matches!(frame, Message::Close(_));
                    open = socket.send(frame).await.is_ok() && !closing;
                }
                None => open = false,
            },
            _ = ticker.tick() => {
                if state.clock.now() >= who.window_end {
                    let _ = socket.send(close(4408, "the consultation window has closed")).await;
                    open = false;
                }
            }
        }
    }
    state.signalling.leave(&who.channel, who.uid, conn);
}

/// A peer's frame made ready to relay: a known type, with the sender's uid stamped on it.
fn relayable(frame: &str, from: u32) -> Option<Message> {
    let mut value: Value = serde_json::from_str(frame).ok()?;
    let kind = value.get("type")?.as_str()?;
    if !RELAYED.contains(&kind) {
        return None;
    }
    value.as_object_mut()?.insert("from".into(), json!(from));
    Some(text(&value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_frames_are_relayed_with_the_sender_stamped() {
        let out = relayable(r#"{"type":"offer","sdp":"v=0"}"#, 7).expect("offer");
        let Message::Text(t) = out else { panic!("text") };
        let v: Value = serde_json::from_str(&t).expect("json");
        assert_eq!((v["type"].as_str(), v["from"].as_u64(), v["sdp"].as_str()), (Some("offer"), Some(7), Some("v=0")));
        for bad in [r#"{"type":"auth"}"#, r#"{"sdp":1}"#, "not json", r#"["offer"]"#] {
            assert!(relayable(bad, 1).is_none(), "{bad}");
        }
    }
}
