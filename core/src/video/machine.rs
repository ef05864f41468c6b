//! The consultation as a pure state machine: inputs (user actions, credentials, engine events, timer
//! ticks) with the current instant in, effects (fetch a token, join, renew, leave, audio-only) out. No
//! I/O and no clock of its own, so every sequence can be replayed in tests; the driver performs the
//! effects and ticks it at `next_deadline()`.
//!
//! idle -> checking -> ready -> joining -> connected <-> reconnecting -> ended | failed

use jiff::{SignedDuration, Timestamp};
use psyter_domain::policy::in_join_window;

use super::engine::{ConnectionReason, Device, EngineConnection, EngineEvent, JoinParams};
use super::record::CallRecord;

/// Where the consultation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// Nothing started.
    Idle,
    /// The pre-call check runs.
    Checking,
    /// Checked; ready to join.
    Ready,
    /// Fetching credentials and joining.
    Joining,
    /// In the call.
    Connected,
    /// The connection dropped; getting it back.
    Reconnecting,
    /// Over (left, or the window closed).
    Ended,
    /// Could not continue (see the reason).
    Failed,
}

impl CallState {
    /// Whether nothing more can happen.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Ended | Self::Failed)
    }
}

/// Why the call ended or failed (stable codes with messages in both languages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallReason {
    /// The local user left.
    Left,
    /// The appointment's end passed.
    WindowClosed,
    /// Joining was tried outside the join window.
    OutsideWindow,
    /// Microphone access was refused.
    PermissionDenied,
    /// The service removed this user.
    Banned,
    /// The same account joined from another device.
    SameUidElsewhere,
    /// Reconnecting took longer than the policy allows.
    GaveUp,
    /// The media service refused the token.
    TokenRefused,
    /// The engine is misconfigured (app id, channel).
    EngineConfig,
    /// The server refused to issue credentials (its problem code).
    Credentials(String),
}

impl CallReason {
    /// The stable code.
    pub fn code(&self) -> &str {
        match self {
            Self::Left => "call_left",
            Self::WindowClosed => "call_window_closed",
            Self::OutsideWindow => "outside_join_window",
            Self::PermissionDenied => "call_permission_denied",
            Self::Banned => "call_banned",
            Self::SameUidElsewhere => "call_joined_elsewhere",
            Self::GaveUp => "call_gave_up",
            Self::TokenRefused => "call_token_refused",
            Self::EngineConfig => "call_engine_config",
            Self::Credentials(code) => code,
        }
    }
}

/// Credentials from the server's video-token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// What the engine joins with.
    pub params: JoinParams,
    /// When the token stops working.
    pub expires_at: Timestamp,
    /// When the join window closes.
    pub window_ends_at: Timestamp,
}

/// The knobs of the call policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VideoPolicy {
    /// Renew this long before the token expires.
    pub renew_before: SignedDuration,
    /// Wait this long before asking again when a renewal got no answer.
    pub renew_retry: SignedDuration,
    /// Give up reconnecting (or joining) after this long.
    pub give_up_after: SignedDuration,
    /// Least time between two rejoin attempts.
    pub rejoin_every: SignedDuration,
    /// Downlink quality at or above this (Agora scale, 4 = bad) counts as poor.
    pub poor_downlink: u8,
    /// Poor for this long switches to audio only.
    pub audio_only_after: SignedDuration,
    /// Downlink quality at or below this (2 = good) counts as recovered.
    pub good_downlink: u8,
    /// Recovered for this long switches video back on.
    pub video_back_after: SignedDuration,
}

impl Default for VideoPolicy {
    fn default() -> Self {
        Self {
            renew_before: SignedDuration::from_secs(120),
            renew_retry: SignedDuration::from_secs(10),
            give_up_after: SignedDuration::from_secs(120),
            rejoin_every: SignedDuration::from_secs(3),
            poor_downlink: 4,
            audio_only_after: SignedDuration::from_secs(10),
            good_downlink: 2,
            video_back_after: SignedDuration::from_secs(20),
        }
    }
}

/// What the driver must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Ask the server for credentials (first join, renewal, or a rejoin after expiry).
    FetchCredentials,
    /// Run the pre-call network probe.
    StartProbe,
    /// Join the channel.
    EngineJoin(JoinParams),
    /// Give the engine a fresh token.
    EngineRenew(String),
    /// Leave the channel.
    EngineLeave,
    /// Switch audio-only on or off.
    SetAudioOnly(bool),
    /// The state changed (for subscribers and the record).
    StateChanged(CallState),
}

/// The consultation's state machine.
#[derive(Debug, Clone)]
pub struct CallMachine {
    policy: VideoPolicy,
    start: Timestamp,
    end: Timestamp,
    state: CallState,
    reason: Option<CallReason>,
    creds: Option<Credentials>,
    /// When a credentials request went out without an answer yet.
    fetching_since: Option<Timestamp>,
    /// The next proactive renewal.
    renew_at: Option<Timestamp>,
    /// A rejoin is owed: when the credentials arrive (expired token), or at `rejoin_at`.
    rejoin_owed: bool,
    rejoin_at: Option<Timestamp>,
    /// When the current trouble (joining or reconnecting) began, for the give-up limit.
    trouble_since: Option<Timestamp>,
    engine_joined: bool,
    camera_blocked: bool,
    audio_only: bool,
    poor_since: Option<Timestamp>,
    good_since: Option<Timestamp>,
    record: CallRecord,
}

impl CallMachine {
    /// A machine for the appointment running `[start, end)`.
    pub fn new(policy: VideoPolicy, start: Timestamp, end: Timestamp) -> Self {
        Self {
            policy,
            start,
            end,
            state: CallState::Idle,
            reason: None,
            creds: None,
            fetching_since: None,
            renew_at: None,
            rejoin_owed: false,
            rejoin_at: None,
            trouble_since: None,
            engine_joined: false,
            camera_blocked: false,
            audio_only: false,
            poor_since: None,
            good_since: None,
            record: CallRecord::default(),
        }
    }

    /// The current state.
    pub fn state(&self) -> CallState {
        self.state
    }

    /// Why it ended or failed.
    pub fn reason(&self) -> Option<&CallReason> {
        self.reason.as_ref()
    }

    /// Whether video is off for poor quality or a blocked camera.
    pub fn audio_only(&self) -> bool {
        self.audio_only
    }

    /// What happened so far.
    pub fn record(&self) -> &CallRecord {
        &self.record
    }

    /// When the driver must tick next (renewal, give-up, rejoin, window end, quality timers).
    pub fn next_deadline(&self) -> Option<Timestamp> {
        if self.state.is_terminal() || !self.engine_joined && self.state != CallState::Joining {
            return None;
        }
        let window_end = self.creds.as_ref().map_or(self.end, |c| c.window_ends_at.min(self.end));
        let renewal = match self.fetching_since {
            Some(since) => since.checked_add(self.policy.renew_retry).ok(),
            None => self.renew_at,
        };
        let give_up = self.trouble_since.and_then(|t| t.checked_add(self.policy.give_up_after).ok());
        // Only deadlines a tick would act on: a stale one would have the driver spin.
        let connected = self.state == CallState::Connected;
        let audio = self.poor_since.filter(|_| connected && !self.audio_only);
        let audio = audio.and_then(|t| t.checked_add(self.policy.audio_only_after).ok());
        let video = self.good_since.filter(|_| connected && self.audio_only && !self.camera_blocked);
        let video = video.and_then(|t| t.checked_add(self.policy.video_back_after).ok());
        let rejoin = self.rejoin_at.filter(|_| self.state == CallState::Reconnecting && !self.rejoin_owed);
        let renewal = renewal.filter(|_| self.fetching_since.is_some() || self.engine_joined);
        [Some(window_end), renewal, give_up, rejoin, audio, video].into_iter().flatten().min()
    }

    /// Feeds one input at `now` and returns what to do.
    pub fn handle(&mut self, input: Input, now: Timestamp) -> Vec<Effect> {
        let mut fx = Vec::new();
        if self.state.is_terminal() {
            // Leaving a failed call settles it as ended; nothing else happens after the end.
            if input == Input::Leave && self.state == CallState::Failed {
                self.set(CallState::Ended, Some(CallReason::Left), now, &mut fx);
            }
            return fx;
        }
        match input {
            Input::Check => self.check(now, &mut fx),
            Input::CheckDone if self.state == CallState::Checking => self.set(CallState::Ready, None, now, &mut fx),
            Input::CheckDone => {}
            Input::Join => self.join(now, &mut fx),
            Input::Credentials(c) => self.credentials(c, now, &mut fx),
            Input::CredentialsFailed { code, retryable } => self.credentials_failed(code, retryable, now, &mut fx),
            Input::Engine(e) => self.engine(e, now, &mut fx),
            Input::NetworkChanged => self.network_changed(now, &mut fx),
            Input::Tick => self.tick(now, &mut fx),
            Input::Leave => self.finish(CallState::Ended, CallReason::Left, now, &mut fx),
        }
        fx
    }

    fn check(&mut self, now: Timestamp, fx: &mut Vec<Effect>) {
        if matches!(self.state, CallState::Idle | CallState::Ready) {
            self.set(CallState::Checking, None, now, fx);
            fx.push(Effect::StartProbe);
        }
    }

    fn join(&mut self, now: Timestamp, fx: &mut Vec<Effect>) {
        if !matches!(self.state, CallState::Idle | CallState::Checking | CallState::Ready) {
            return;
        }
        if !in_join_window(self.start, self.end, now) {
            self.finish(CallState::Failed, CallReason::OutsideWindow, now, fx);
            return;
        }
        self.set(CallState::Joining, None, now, fx);
        self.trouble_since = Some(now);
        self.fetch(now, fx);
    }

    fn fetch(&mut self, now: Timestamp, fx: &mut Vec<Effect>) {
        if self.fetching_since.is_none() {
            self.fetching_since = Some(now);
            fx.push(Effect::FetchCredentials);
        }
    }

    fn credentials(&mut self, creds: Credentials, now: Timestamp, fx: &mut Vec<Effect>) {
        self.fetching_since = None;
        self.renew_at = creds.expires_at.checked_sub(self.policy.renew_before).ok().map(|t| t.max(now));
        let params = creds.params.clone();
        let token = params.token.clone();
        self.creds = Some(creds);
        match self.state {
            CallState::Joining if !self.engine_joined => {
                self.engine_joined = true;
                fx.push(Effect::EngineJoin(params));
            }
            CallState::Joining | CallState::Reconnecting if self.rejoin_owed => {
                self.rejoin_owed = false;
                self.rejoin_at = now.checked_add(self.policy.rejoin_every).ok();
                fx.push(Effect::EngineJoin(params));
            }
            CallState::Joining | CallState::Connected | CallState::Reconnecting => {
                fx.push(Effect::EngineRenew(token));
            }
            _ => {}
        }
    }

    fn credentials_failed(&mut self, code: String, retryable: bool, now: Timestamp, fx: &mut Vec<Effect>) {
        // A retryable failure keeps `fetching_since`, so the next tick after `renew_retry` asks again.
        if retryable {
            return;
        }
        self.fetching_since = None;
        if code == "outside_join_window" && self.record.connected_at.is_some() {
            self.finish(CallState::Ended, CallReason::WindowClosed, now, fx);
        } else if code == "outside_join_window" {
            self.finish(CallState::Failed, CallReason::OutsideWindow, now, fx);
        } else {
            self.finish(CallState::Failed, CallReason::Credentials(code), now, fx);
        }
    }

    fn engine(&mut self, event: EngineEvent, now: Timestamp, fx: &mut Vec<Effect>) {
        match event {
            EngineEvent::Connection { state, reason } => self.connection(state, reason, now, fx),
            EngineEvent::Quality { uplink, downlink } => {
                self.record.sample(now, uplink, downlink);
                self.quality(downlink, now, fx);
            }
            EngineEvent::TokenWillExpire => self.fetch(now, fx),
            EngineEvent::TokenExpired => {
                self.rejoin_owed = true;
                if self.state == CallState::Connected {
                    self.trouble(now, fx);
                }
                self.fetch(now, fx);
            }
            EngineEvent::PermissionDenied { device: Device::Microphone } => {
                self.finish(CallState::Failed, CallReason::PermissionDenied, now, fx);
            }
            EngineEvent::PermissionDenied { device: Device::Camera }
            | EngineEvent::DeviceError { device: Device::Camera } => {
                self.camera_blocked = true;
                self.switch_audio_only(true, now, fx);
            }
            EngineEvent::RemoteJoined { .. } => self.record.remote_joins += 1,
            EngineEvent::RemoteLeft { .. }
            | EngineEvent::RemotePublished { .. }
            | EngineEvent::DeviceError { .. }
            | EngineEvent::PermissionDenied { .. }
            | EngineEvent::Probe(_) => {}
        }
    }

    fn connection(&mut self, state: EngineConnection, reason: ConnectionReason, now: Timestamp, fx: &mut Vec<Effect>) {
        use ConnectionReason as R;
        match (state, reason) {
            (EngineConnection::Connected, _) => {
                if !self.engine_joined || !matches!(self.state, CallState::Joining | CallState::Reconnecting) {
                    return;
                }
                if self.state == CallState::Reconnecting {
                    self.record.reconnections += 1;
                }
                self.record.connected_at.get_or_insert(now);
                self.trouble_since = None;
                self.rejoin_at = None;
                self.set(CallState::Connected, None, now, fx);
            }
            (_, R::Banned) => self.finish(CallState::Failed, CallReason::Banned, now, fx),
            (_, R::SameUidElsewhere) => self.finish(CallState::Failed, CallReason::SameUidElsewhere, now, fx),
            (_, R::Config) => self.finish(CallState::Failed, CallReason::EngineConfig, now, fx),
            (_, R::TokenInvalid) => self.finish(CallState::Failed, CallReason::TokenRefused, now, fx),
            (_, R::TokenExpired) => {
                self.rejoin_owed = true;
                self.trouble(now, fx);
                self.fetch(now, fx);
            }
            (EngineConnection::Connecting, _) => {}
            (EngineConnection::Reconnecting, _) => self.trouble(now, fx),
            // Dropped for good (or "left" without us leaving): rejoin ourselves, throttled.
            (EngineConnection::Failed | EngineConnection::Disconnected, _) => {
                if !self.engine_joined {
                    return;
                }
                self.trouble(now, fx);
                if self.rejoin_at.is_none_or(|at| at <= now) {
                    self.rejoin(now, fx);
                }
            }
        }
    }

    /// Marks the call as in trouble: reconnecting (or still joining), with the give-up clock started.
    fn trouble(&mut self, now: Timestamp, fx: &mut Vec<Effect>) {
        self.trouble_since.get_or_insert(now);
        self.poor_since = None;
        self.good_since = None;
        if self.state == CallState::Connected {
            self.set(CallState::Reconnecting, None, now, fx);
        }
    }

    /// Joins again: with the current credentials while they last, else after fetching new ones.
    fn rejoin(&mut self, now: Timestamp, fx: &mut Vec<Effect>) {
        self.rejoin_at = now.checked_add(self.policy.rejoin_every).ok();
        let fresh = self.creds.as_ref().filter(|c| c.expires_at > now + SignedDuration::from_secs(10));
        match fresh {
            Some(c) => {
                let params = c.params.clone();
                fx.push(Effect::EngineLeave);
                fx.push(Effect::EngineJoin(params));
            }
            None => {
                self.rejoin_owed = true;
                self.fetch(now, fx);
            }
        }
    }

    fn network_changed(&mut self, now: Timestamp, fx: &mut Vec<Effect>) {
        if self.engine_joined && matches!(self.state, CallState::Connected | CallState::Reconnecting) {
            self.trouble(now, fx);
            self.rejoin(now, fx);
        }
    }

    fn tick(&mut self, now: Timestamp, fx: &mut Vec<Effect>) {
        let window_end = self.creds.as_ref().map_or(self.end, |c| c.window_ends_at.min(self.end));
        if now >= window_end && self.state != CallState::Idle {
            let (state, reason) = if self.record.connected_at.is_some() {
                (CallState::Ended, CallReason::WindowClosed)
            } else {
                (CallState::Failed, CallReason::OutsideWindow)
            };
            self.finish(state, reason, now, fx);
            return;
        }
        if let Some(since) = self.trouble_since
            && now.duration_since(since) >= self.policy.give_up_after
            && matches!(self.state, CallState::Joining | CallState::Reconnecting)
        {
            self.finish(CallState::Failed, CallReason::GaveUp, now, fx);
            return;
        }
        match self.fetching_since {
            Some(since) if now.duration_since(since) >= self.policy.renew_retry => {
                self.fetching_since = None;
                self.fetch(now, fx);
            }
            None if self.renew_at.is_some_and(|at| at <= now) && self.engine_joined => {
                self.renew_at = None;
                self.fetch(now, fx);
            }
            _ => {}
        }
        if self.state == CallState::Reconnecting && self.rejoin_at.is_some_and(|at| at <= now) && !self.rejoin_owed {
            self.rejoin(now, fx);
        }
        self.quality_timers(now, fx);
    }

    fn quality(&mut self, downlink: u8, now: Timestamp, fx: &mut Vec<Effect>) {
        if self.state != CallState::Connected || downlink == 0 {
            return;
        }
        if downlink >= self.policy.poor_downlink {
            self.poor_since.get_or_insert(now);
            self.good_since = None;
        } else if downlink <= self.policy.good_downlink {
            self.poor_since = None;
            self.good_since.get_or_insert(now);
        } else {
            self.poor_since = None;
            self.good_since = None;
        }
        self.quality_timers(now, fx);
    }

    fn quality_timers(&mut self, now: Timestamp, fx: &mut Vec<Effect>) {
        if self.state != CallState::Connected {
            return;
        }
        let after =
            |since: Option<Timestamp>, wait: SignedDuration| since.is_some_and(|t| now.duration_since(t) >= wait);
        if !self.audio_only && after(self.poor_since, self.policy.audio_only_after) {
            self.poor_since = None;
            self.switch_audio_only(true, now, fx);
        } else if self.audio_only && !self.camera_blocked && after(self.good_since, self.policy.video_back_after) {
            self.good_since = None;
            self.switch_audio_only(false, now, fx);
        }
    }

    fn switch_audio_only(&mut self, on: bool, now: Timestamp, fx: &mut Vec<Effect>) {
        if self.audio_only != on {
            self.audio_only = on;
            self.record.audio_only(on, now);
            fx.push(Effect::SetAudioOnly(on));
        }
    }

    /// Ends the call: leaves the channel if joined, stops every timer.
    fn finish(&mut self, state: CallState, reason: CallReason, now: Timestamp, fx: &mut Vec<Effect>) {
        if self.engine_joined {
            fx.push(Effect::EngineLeave);
            self.engine_joined = false;
        }
        self.fetching_since = None;
        self.renew_at = None;
        self.rejoin_at = None;
        self.rejoin_owed = false;
        self.trouble_since = None;
        self.poor_since = None;
        self.good_since = None;
        self.record.audio_only(false, now);
        self.record.ended_at = Some(now);
        self.set(state, Some(reason), now, fx);
    }

    fn set(&mut self, state: CallState, reason: Option<CallReason>, now: Timestamp, fx: &mut Vec<Effect>) {
        if self.state != state {
            self.state = state;
            self.reason = reason;
            self.record.transition(now, state);
            fx.push(Effect::StateChanged(state));
        }
    }
}

/// What the machine reacts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Start the pre-call check.
    Check,
    /// The pre-call check finished.
    CheckDone,
    /// The user joins.
    Join,
    /// Credentials arrived.
    Credentials(Credentials),
    /// The server refused credentials (`retryable`: offline or server trouble, ask again later).
    CredentialsFailed {
        /// The error code.
        code: String,
        /// Whether asking again later may work.
        retryable: bool,
    },
    /// The engine reported something.
    Engine(EngineEvent),
    /// The device's network changed (Wi-Fi to cellular, ...).
    NetworkChanged,
    /// A deadline passed.
    Tick,
    /// The user leaves.
    Leave,
}
