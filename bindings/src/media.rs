//! The media engine a shell implements (AgoraRtcEngineKit, io.agora.rtc, a fake in tests) as a foreign
//! trait, the listener object it reports to, and the adapter that hands it to the core.

use std::sync::{Arc, Mutex};

use psyter_core::CoreError;
use psyter_core::video::{
    Device, DeviceStatus, EngineEvent, EngineListener as CoreEngineListener, JoinParams, MediaEngine as CoreMediaEngine,
};

use crate::PlatformError;

/// The shell's media engine. Calls return at once; outcomes arrive as events on the listener that
/// the core hands over with `set_listener` before it joins.
#[uniffi::export(with_foreign)]
pub trait MediaEngine: Send + Sync {
    /// Where to send events from now on.
    fn set_listener(&self, listener: Arc<EngineListener>);
    /// Joins the channel.
    fn join(&self, params: JoinParams) -> Result<(), PlatformError>;
    /// Leaves the channel (idempotent).
    fn leave(&self) -> Result<(), PlatformError>;
    /// Hands the engine a fresh token for the current channel.
    fn renew_token(&self, token: String) -> Result<(), PlatformError>;
    /// Mutes or unmutes the microphone.
    fn set_audio_muted(&self, muted: bool) -> Result<(), PlatformError>;
    /// Stops or restarts sending the camera.
    fn set_video_muted(&self, muted: bool) -> Result<(), PlatformError>;
    /// Switches to another device of a kind, by the platform's device id.
    fn switch_device(&self, device: Device, device_id: String) -> Result<(), PlatformError>;
    /// Stops or restarts video both ways (the audio-only fallback).
    fn set_audio_only(&self, audio_only: bool) -> Result<(), PlatformError>;
    /// Starts a network probe; the result arrives as a `Probe` event.
    fn start_probe(&self) -> Result<(), PlatformError>;
    /// Which devices are present and allowed.
    fn devices(&self) -> Result<DeviceStatus, PlatformError>;
}

/// Where a media engine reports what happens (connection, quality, remote joins, probe results).
#[derive(uniffi::Object)]
pub struct EngineListener {
    inner: Arc<dyn CoreEngineListener>,
}

#[uniffi::export]
impl EngineListener {
    /// Reports one event to the core; safe from any thread.
    pub fn on_event(&self, event: EngineEvent) {
        self.inner.on_event(event);
    }
}

/// The shell's engine as the core's `MediaEngine`; keeps the listener object alive while set.
pub(crate) struct EngineAdapter {
    engine: Arc<dyn MediaEngine>,
    listener: Mutex<Option<Arc<EngineListener>>>,
}

impl EngineAdapter {
    /// Wraps the shell's engine.
    pub(crate) fn new(engine: Arc<dyn MediaEngine>) -> Arc<Self> {
        Arc::new(Self { engine, listener: Mutex::new(None) })
    }
}

impl CoreMediaEngine for EngineAdapter {
    fn set_listener(&self, listener: Arc<dyn CoreEngineListener>) {
        let listener = Arc::new(EngineListener { inner: listener });
        *self.listener.lock().unwrap_or_else(|p| p.into_inner()) = Some(listener.clone());
        self.engine.set_listener(listener);
    }

    fn join(&self, params: &JoinParams) -> Result<(), CoreError> {
        self.engine.join(params.clone()).map_err(PlatformError::into_platform)
    }

    fn leave(&self) -> Result<(), CoreError> {
        self.engine.leave().map_err(PlatformError::into_platform)
    }

    fn renew_token(&self, token: &str) -> Result<(), CoreError> {
        self.engine.renew_token(token.to_owned()).map_err(PlatformError::into_platform)
    }

    fn set_audio_muted(&self, muted: bool) -> Result<(), CoreError> {
        self.engine.set_audio_muted(muted).map_err(PlatformError::into_platform)
    }

    fn set_video_muted(&self, muted: bool) -> Result<(), CoreError> {
        self.engine.set_video_muted(muted).map_err(PlatformError::into_platform)
    }

    fn switch_device(&self, kind: Device, device_id: &str) -> Result<(), CoreError> {
        self.engine.switch_device(kind, device_id.to_owned()).map_err(PlatformError::into_platform)
    }

    fn set_audio_only(&self, audio_only: bool) -> Result<(), CoreError> {
        self.engine.set_audio_only(audio_only).map_err(PlatformError::into_platform)
    }

    fn start_probe(&self) -> Result<(), CoreError> {
        self.engine.start_probe().map_err(PlatformError::into_platform)
    }

    fn devices(&self) -> Result<DeviceStatus, CoreError> {
        self.engine.devices().map_err(PlatformError::into_platform)
    }
}
