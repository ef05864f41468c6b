//! A scripted media engine for tests and the CLI: after `join` it replays a script of engine events at
//! their offsets, in any of Agora's vocabularies, and logs every call the core makes.
//!
//! Script lines are `+<milliseconds> <event>`; `#` starts a comment. Events:
//! `native <state> <reason>` (iOS/Android numbers), `web <STATE> [REASON]` (Web SDK words),
//! `quality <uplink> <downlink>`, `token-will-expire`, `token-expired`, `remote-joined <uid>`,
//! `remote-left <uid>`, `permission-denied microphone|camera`, `device-error microphone|camera|speaker`,
//! `probe <uplink> <downlink> <rtt-ms>`.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::agora::{native_connection, quality, web_connection};
use super::engine::{Device, DeviceStatus, EngineEvent, EngineListener, JoinParams, MediaEngine, ProbeResult};
use crate::CoreError;

/// One scripted event and when it fires after `join`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptStep {
    /// Offset from the join call.
    pub after: Duration,
    /// The event.
    pub event: EngineEvent,
}

/// Parses a script (see the module docs); errors name the line.
pub fn parse_script(text: &str) -> Result<Vec<ScriptStep>, CoreError> {
    let mut steps = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let bad = |why: &str| CoreError::Validation {
            code: "invalid_script".into(),
            detail: format!("line {}: {why}: {line}", n + 1),
        };
        let mut words = line.split_whitespace();
        let offset = words.next().and_then(|w| w.strip_prefix('+')).ok_or_else(|| bad("expected +<ms>"))?;
        let after = Duration::from_millis(offset.parse().map_err(|_| bad("the offset is not a number"))?);
        let kind = words.next().ok_or_else(|| bad("missing event"))?;
        let args: Vec<&str> = words.collect();
        let num = |i: usize| -> Result<i32, CoreError> {
            args.get(i).and_then(|a| a.parse().ok()).ok_or_else(|| bad("expected a number"))
        };
        let device = |i: usize| match args.get(i).copied() {
            Some("microphone") => Ok(Device::Microphone),
            Some("camera") => Ok(Device::Camera),
            Some("speaker") => Ok(Device::Speaker),
            _ => Err(bad("expected microphone, camera or speaker")),
        };
        let event = match kind {
            "native" => native_connection(num(0)?, num(1)?),
            "web" => web_connection(args.first().ok_or_else(|| bad("expected a state"))?, args.get(1).copied()),
            "quality" => quality(num(0)?, num(1)?),
            "token-will-expire" => EngineEvent::TokenWillExpire,
            "token-expired" => EngineEvent::TokenExpired,
            "remote-joined" => EngineEvent::RemoteJoined { uid: num(0)? as u32 },
            "remote-left" => EngineEvent::RemoteLeft { uid: num(0)? as u32 },
            "permission-denied" => EngineEvent::PermissionDenied { device: device(0)? },
            "device-error" => EngineEvent::DeviceError { device: device(0)? },
            "probe" => EngineEvent::Probe(ProbeResult {
                uplink: num(0)?.clamp(0, 6) as u8,
                downlink: num(1)?.clamp(0, 6) as u8,
                rtt_ms: num(2)?.max(0) as u32,
            }),
            _ => return Err(bad("unknown event")),
        };
        steps.push(ScriptStep { after, event });
    }
    steps.sort_by_key(|s| s.after);
    Ok(steps)
}

/// The scripted engine.
pub struct FakeEngine {
    script: Vec<ScriptStep>,
    devices: DeviceStatus,
    probe: ProbeResult,
    listener: Mutex<Option<Arc<dyn EngineListener>>>,
    log: Arc<Mutex<Vec<String>>>,
    player: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl std::fmt::Debug for FakeEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeEngine").field("steps", &self.script.len()).finish_non_exhaustive()
    }
}

impl FakeEngine {
    /// An engine that plays `script` after each join, with every device present and allowed.
    pub fn new(script: Vec<ScriptStep>) -> Self {
        Self {
            script,
            devices: DeviceStatus { microphone: true, microphone_allowed: true, camera: true, camera_allowed: true },
            probe: ProbeResult { uplink: 1, downlink: 1, rtt_ms: 40 },
            listener: Mutex::new(None),
            log: Arc::new(Mutex::new(Vec::new())),
            player: Mutex::new(None),
        }
    }

    /// The same with the given devices and probe result (for pre-call checks).
    pub fn with_devices(mut self, devices: DeviceStatus, probe: ProbeResult) -> Self {
        self.devices = devices;
        self.probe = probe;
        self
    }

    /// Every call the core made, in order (`join <channel> <uid>`, `renew`, `leave`, `audio-only on`, ...).
    pub fn calls(&self) -> Vec<String> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn note(&self, call: String) {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).push(call);
    }

    fn emit_later(&self, steps: Vec<ScriptStep>) {
        let listener = self.listener.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let Some(listener) = listener else { return };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let task = runtime.spawn(async move {
            let started = tokio::time::Instant::now();
            for step in steps {
                tokio::time::sleep_until(started + step.after).await;
                listener.on_event(step.event);
            }
        });
        if let Some(old) = self.player.lock().unwrap_or_else(PoisonError::into_inner).replace(task) {
            old.abort();
        }
    }
}

impl Drop for FakeEngine {
    fn drop(&mut self) {
        if let Some(task) = self.player.lock().unwrap_or_else(PoisonError::into_inner).take() {
            task.abort();
        }
    }
}

impl MediaEngine for FakeEngine {
    fn set_listener(&self, listener: Arc<dyn EngineListener>) {
        *self.listener.lock().unwrap_or_else(PoisonError::into_inner) = Some(listener);
    }

    fn join(&self, params: &JoinParams) -> Result<(), CoreError> {
        self.note(format!("join {} {}", params.channel, params.uid));
        self.emit_later(self.script.clone());
        Ok(())
    }

    fn leave(&self) -> Result<(), CoreError> {
        self.note("leave".into());
        if let Some(task) = self.player.lock().unwrap_or_else(PoisonError::into_inner).take() {
            task.abort();
        }
        Ok(())
    }

    fn renew_token(&self, _token: &str) -> Result<(), CoreError> {
        self.note("renew".into());
        Ok(())
    }

    fn set_audio_muted(&self, muted: bool) -> Result<(), CoreError> {
        self.note(format!("mute {}", if muted { "on" } else { "off" }));
        Ok(())
    }

    fn set_video_muted(&self, muted: bool) -> Result<(), CoreError> {
        self.note(format!("video-mute {}", if muted { "on" } else { "off" }));
        Ok(())
    }

    fn switch_device(&self, device: Device, device_id: &str) -> Result<(), CoreError> {
        self.note(format!("switch {device:?} {device_id}").to_lowercase());
        Ok(())
    }

    fn set_audio_only(&self, audio_only: bool) -> Result<(), CoreError> {
        self.note(format!("audio-only {}", if audio_only { "on" } else { "off" }));
        Ok(())
    }

    fn start_probe(&self) -> Result<(), CoreError> {
        self.note("probe".into());
        let step = ScriptStep { after: Duration::from_millis(50), event: EngineEvent::Probe(self.probe) };
        let listener = self.listener.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if let (Some(listener), Ok(runtime)) = (listener, tokio::runtime::Handle::try_current()) {
            runtime.spawn(async move {
                tokio::time::sleep(step.after).await;
                listener.on_event(step.event);
            });
        }
        Ok(())
    }

    fn devices(&self) -> Result<DeviceStatus, CoreError> {
        Ok(self.devices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::video::engine::{ConnectionReason, EngineConnection};

    #[test]
    fn scripts_parse_every_vocabulary_in_time_order() {
        let steps = parse_script(
            "# iOS drop and recover\n+2000 native 4 2\n+0 native 3 1   # joined\n+2500 web CONNECTED\n\
             +3000 quality 1 5\n+4000 permission-denied camera\n+5000 probe 1 2 80\n+6000 remote-joined 9\n",
        )
        .expect("parse");
        assert_eq!(steps.len(), 7);
        assert_eq!(steps[0].after, Duration::ZERO);
        assert_eq!(
            steps[1].event,
            EngineEvent::Connection { state: EngineConnection::Reconnecting, reason: ConnectionReason::Network }
        );
        assert_eq!(steps[4].event, EngineEvent::PermissionDenied { device: Device::Camera });
    }

    #[test]
    fn bad_lines_are_named() {
        for (script, line) in [("+x native 1 1", "line 1"), ("\n+5 teleport", "line 2"), ("+5 quality a b", "line 1")] {
            let e = parse_script(script).expect_err(script);
            assert_eq!(e.code(), "invalid_script");
            assert!(e.to_string().contains(line), "{e}");
        }
    }
}
