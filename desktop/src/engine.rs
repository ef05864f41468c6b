//! The media engine of the desktop: the core's `MediaEngine` whose media runs in the webview (or in a
//! system-browser page through the loopback bridge). Commands go out as `core://engine` events (or
//! socket frames); the page answers through the `engine_event` and `engine_devices` commands.

use std::sync::{Arc, Mutex, PoisonError};

use psyter_core::CoreError;
use psyter_core::video::{Device, DeviceStatus, EngineEvent, EngineListener, JoinParams, MediaEngine};
use serde::Serialize;
use tauri::{AppHandle, Emitter};
use tokio::sync::mpsc;

/// The Tauri event that carries engine commands to the webview.
pub const ENGINE_EVENT: &str = "core://engine";

/// One command for the page's engine (the UI's `EngineCommand`).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum EngineCommand {
    /// Join a channel with the named engine; `server_url` is where the sandbox engine signals.
    Join {
        /// What to join with.
        params: JoinParams,
        /// `agora` or `sandbox`.
        engine: &'static str,
        /// The API server's base URL.
        server_url: String,
    },
    /// Leave the channel.
    Leave,
    /// Use a fresh token.
    RenewToken {
        /// The new token.
        token: String,
    },
    /// Mute or unmute the microphone.
    SetAudioMuted {
        /// Muted or not.
        muted: bool,
    },
    /// Stop or restart the camera.
    SetVideoMuted {
        /// Stopped or not.
        muted: bool,
    },
    /// Use another device.
    SwitchDevice {
        /// Which kind.
        device: Device,
        /// The browser's device id.
        device_id: String,
    },
    /// Stop or restart video both ways (poor network).
    SetAudioOnly {
        /// Audio only or not.
        audio_only: bool,
    },
    /// Measure the network.
    StartProbe,
}

/// Where commands go: the app's webview, or a browser page connected to the loopback bridge.
enum Sink {
    Webview,
    Socket(mpsc::UnboundedSender<EngineCommand>),
}

/// The desktop's media engine: a relay between the core and the page that holds the media.
pub struct WebviewEngine {
    app: AppHandle,
    server_url: String,
    listener: Mutex<Option<Arc<dyn EngineListener>>>,
    devices: Mutex<DeviceStatus>,
    sink: Mutex<Sink>,
}

impl WebviewEngine {
    /// An engine relaying to the main window; `server_url` goes with every join.
    pub fn new(app: AppHandle, server_url: String) -> Self {
        let none = DeviceStatus { microphone: false, microphone_allowed: false, camera: false, camera_allowed: false };
        Self { app, server_url, listener: Mutex::new(None), devices: Mutex::new(none), sink: Mutex::new(Sink::Webview) }
    }

    /// An event from the page's engine, handed to the core.
    pub fn event(&self, event: EngineEvent) {
        let listener = self.listener.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if let Some(listener) = listener {
            listener.on_event(event);
        }
    }

    /// The page's latest view of its devices (for the pre-call check).
    pub fn set_devices(&self, status: DeviceStatus) {
        *self.devices.lock().unwrap_or_else(PoisonError::into_inner) = status;
    }

    /// Sends commands to a browser page from now on (until `use_webview`).
    pub fn use_socket(&self, tx: mpsc::UnboundedSender<EngineCommand>) {
        *self.sink.lock().unwrap_or_else(PoisonError::into_inner) = Sink::Socket(tx);
    }

    /// Sends commands to the app's own webview again.
    pub fn use_webview(&self) {
        *self.sink.lock().unwrap_or_else(PoisonError::into_inner) = Sink::Webview;
    }

    fn send(&self, command: EngineCommand) -> Result<(), CoreError> {
        let sink = self.sink.lock().unwrap_or_else(PoisonError::into_inner);
        let sent = match &*sink {
            Sink::Socket(tx) => tx.send(command).is_ok(),
            Sink::Webview => self.app.emit_to("main", ENGINE_EVENT, command).is_ok(),
        };
        if sent { Ok(()) } else { Err(CoreError::Platform { detail: "the call page is gone".into() }) }
    }
}

/// Which page engine joins with these credentials.
pub fn engine_kind(params: &JoinParams) -> &'static str {
    if params.app_id == "sandbox" { "sandbox" } else { "agora" }
}

impl MediaEngine for WebviewEngine {
    fn set_listener(&self, listener: Arc<dyn EngineListener>) {
        *self.listener.lock().unwrap_or_else(PoisonError::into_inner) = Some(listener);
    }

    fn join(&self, params: &JoinParams) -> Result<(), CoreError> {
        let engine = engine_kind(params);
        self.send(EngineCommand::Join { params: params.clone(), engine, server_url: self.server_url.clone() })
    }

    fn leave(&self) -> Result<(), CoreError> {
        self.send(EngineCommand::Leave)
    }

    fn renew_token(&self, token: &str) -> Result<(), CoreError> {
        self.send(EngineCommand::RenewToken { token: token.to_owned() })
    }

    fn set_audio_muted(&self, muted: bool) -> Result<(), CoreError> {
        self.send(EngineCommand::SetAudioMuted { muted })
    }

    fn set_video_muted(&self, muted: bool) -> Result<(), CoreError> {
        self.send(EngineCommand::SetVideoMuted { muted })
    }

    fn switch_device(&self, device: Device, device_id: &str) -> Result<(), CoreError> {
        self.send(EngineCommand::SwitchDevice { device, device_id: device_id.to_owned() })
    }

    fn set_audio_only(&self, audio_only: bool) -> Result<(), CoreError> {
        self.send(EngineCommand::SetAudioOnly { audio_only })
    }

    fn start_probe(&self) -> Result<(), CoreError> {
        self.send(EngineCommand::StartProbe)
    }

    fn devices(&self) -> Result<DeviceStatus, CoreError> {
        Ok(*self.devices.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_serialise_as_the_ui_expects() {
        let params = JoinParams { app_id: "sandbox".into(), channel: "c1".into(), token: "t".into(), uid: 7 };
        let engine = engine_kind(&params);
        let join = EngineCommand::Join { params, engine, server_url: "http://127.0.0.1:8080".into() };
        let v = serde_json::to_value(&join).expect("json");
        assert_eq!(
            (v["op"].as_str(), v["engine"].as_str(), v["params"]["uid"].as_u64()),
            (Some("join"), Some("sandbox"), Some(7))
        );
        let v = serde_json::to_value(EngineCommand::SwitchDevice { device: Device::Camera, device_id: "x".into() })
            .expect("json");
        assert_eq!(v, serde_json::json!({"op": "switch_device", "device": "camera", "device_id": "x"}));
        assert_eq!(
            serde_json::to_value(EngineCommand::StartProbe).expect("json"),
            serde_json::json!({"op": "start_probe"})
        );
    }

    #[test]
    fn agora_credentials_pick_the_agora_engine() {
        let params = JoinParams {
            app_id: "0123456789abcdef0123456789abcdef".into(),
            channel: "c".into(),
            token: "t".into(),
            uid: 1,
        };
        assert_eq!(engine_kind(&params), "agora");
    }

    #[test]
    fn page_events_parse_from_the_ui_shape() {
        let e: EngineEvent = serde_json::from_value(
            serde_json::json!({"type": "connection", "state": "reconnecting", "reason": "network"}),
        )
        .expect("parses");
        assert!(matches!(e, EngineEvent::Connection { .. }));
        let p: EngineEvent =
            serde_json::from_value(serde_json::json!({"type": "probe", "uplink": 1, "downlink": 2, "rtt_ms": 30}))
                .expect("parses");
        assert!(matches!(p, EngineEvent::Probe(r) if r.rtt_ms == 30));
        assert!(
            serde_json::from_value::<EngineEvent>(serde_json::json!({"type": "quality", "uplink": 900, "downlink": 1}))
                .is_err()
        );
    }
}
