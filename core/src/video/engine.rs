//! The media engine boundary: what the core asks a shell's engine to do, and the events the engine
//! reports back, in one vocabulary for every platform (Agora's three are mapped onto it in `agora.rs`).
//! Plain records and a listener trait, so UniFFI can carry them to Swift and Kotlin.

use crate::CoreError;

/// What the engine needs to join a channel.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JoinParams {
    /// The engine's application id (Agora App ID, or `sandbox`).
    pub app_id: String,
    /// The consultation's channel.
    pub channel: String,
    /// The token to join with.
    pub token: String,
    /// This participant's uid in the channel.
    pub uid: u32,
}

/// The engine's view of its connection to the media service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum EngineConnection {
    /// Not connected (before join, after leave, or dropped for good).
    Disconnected,
    /// Joining.
    Connecting,
    /// In the channel.
    Connected,
    /// Lost the connection and trying to get it back by itself.
    Reconnecting,
    /// Gave up; a new join is needed.
    Failed,
}

/// Why the engine's connection changed, normalised across SDKs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ConnectionReason {
    /// Nothing special (joining, joined, rejoined, renewal).
    Normal,
    /// The network dropped, timed out, or the address changed.
    Network,
    /// The local user left.
    Left,
    /// The token is expired.
    TokenExpired,
    /// The token was refused (wrong uid/channel/app).
    TokenInvalid,
    /// The server removed or banned this user or channel.
    Banned,
    /// The same uid joined from another device.
    SameUidElsewhere,
    /// The engine gave up rejoining (Agora: after 20 minutes).
    JoinFailed,
    /// A configuration error (app id, channel name).
    Config,
    /// The server failed.
    Server,
}

/// A device the engine uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Device {
    /// The microphone.
    Microphone,
    /// The camera.
    Camera,
    /// The speaker or headset.
    Speaker,
}

/// What a network probe measured (Agora's last-mile probe, or the sandbox engine's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProbeResult {
    /// Uplink quality, 0 (unknown) and 1 (excellent) to 6 (down), Agora's scale.
    pub uplink: u8,
    /// Downlink quality on the same scale.
    pub downlink: u8,
    /// Round-trip time, milliseconds.
    pub rtt_ms: u32,
}

/// Something the engine reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EngineEvent {
    /// The connection state changed.
    Connection {
        /// The new state.
        state: EngineConnection,
        /// Why.
        reason: ConnectionReason,
    },
    /// Periodic network quality (Agora's 0-6 scale: 0 unknown, 1 excellent ... 6 down).
    Quality {
        /// Uplink quality.
        uplink: u8,
        /// Downlink quality.
        downlink: u8,
    },
    /// The token expires soon (Agora: 30 s before); a backstop only, renewal is the core's own timer.
    TokenWillExpire,
    /// The token expired.
    TokenExpired,
    /// The other participant joined.
    RemoteJoined {
        /// Their uid.
        uid: u32,
    },
    /// The other participant left or dropped.
    RemoteLeft {
        /// Their uid.
        uid: u32,
    },
    /// The other participant's media changed.
    RemotePublished {
        /// Their uid.
        uid: u32,
        /// Whether they send audio.
        audio: bool,
        /// Whether they send video.
        video: bool,
    },
    /// A device failed or disappeared.
    DeviceError {
        /// Which one.
        device: Device,
    },
    /// The user (or the OS) refused access to a device.
    PermissionDenied {
        /// Which one.
        device: Device,
    },
    /// A network probe finished.
    Probe(ProbeResult),
}

/// Receives the engine's events (the core's side of the boundary; shells call it from any thread).
pub trait EngineListener: Send + Sync {
    /// One event from the engine.
    fn on_event(&self, event: EngineEvent);
}

/// The shell's media engine (Agora SDK, the sandbox WebRTC engine, or the fake one in tests). Calls
/// return at once; outcomes arrive as events on the listener.
pub trait MediaEngine: Send + Sync {
    /// Where to send events from now on (set by the core before it joins).
    fn set_listener(&self, listener: std::sync::Arc<dyn EngineListener>);
    /// Joins the channel.
    fn join(&self, params: &JoinParams) -> Result<(), CoreError>;
    /// Leaves the channel (idempotent).
    fn leave(&self) -> Result<(), CoreError>;
    /// Hands the engine a fresh token for the current channel.
    fn renew_token(&self, token: &str) -> Result<(), CoreError>;
    /// Mutes or unmutes the microphone.
    fn set_audio_muted(&self, muted: bool) -> Result<(), CoreError>;
    /// Stops or restarts sending the camera (the user's choice; audio-only is the network's).
    fn set_video_muted(&self, muted: bool) -> Result<(), CoreError>;
    /// Switches to another device of a kind, by the platform's device id.
    fn switch_device(&self, device: Device, device_id: &str) -> Result<(), CoreError>;
    /// Stops or restarts sending and receiving video (the audio-only fallback).
    fn set_audio_only(&self, audio_only: bool) -> Result<(), CoreError>;
    /// Starts a network probe; the result arrives as `EngineEvent::Probe`.
    fn start_probe(&self) -> Result<(), CoreError>;
    /// Which devices are present and allowed, for the pre-call check.
    fn devices(&self) -> Result<DeviceStatus, CoreError>;
}

/// The devices the pre-call check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DeviceStatus {
    /// A microphone is present.
    pub microphone: bool,
    /// Microphone access is allowed.
    pub microphone_allowed: bool,
    /// A camera is present.
    pub camera: bool,
    /// Camera access is allowed.
    pub camera_allowed: bool,
}
