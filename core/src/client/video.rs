//! The consultation driver: runs a `CallMachine` for one appointment, performs its effects (credentials
//! from the server, engine calls), feeds it the engine's events and timer ticks, publishes its state,
//! and when it ends stores the call record and moves the appointment through the outbox (arrived when
//! the provider connects, fulfilled when the provider's call ends).

use std::sync::Arc;
use std::time::Duration;

use psyter_domain::wire::{Appointment, Engine, StatusAction};
use psyter_domain::{AppointmentId, Role};
use tokio::sync::{mpsc, watch};

use super::Psyter;
use crate::video::agora;
use crate::video::precall::{self, PreCallReport};
use crate::video::{
    CallMachine, CallRecord, CallState, Credentials, Effect, EngineEvent, EngineListener, Input, JoinParams,
    MediaEngine, VideoPolicy,
};
use crate::{CoreError, ErrorKind};

/// How long the pre-call check waits for the network probe.
const PROBE_WAIT: Duration = Duration::from_secs(5);

/// What a UI shows of a call.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CallView {
    /// Where the call is.
    pub state: CallState,
    /// Why it ended or failed (a stable code).
    pub reason: Option<String>,
    /// Whether video is off (poor network or blocked camera).
    pub audio_only: bool,
}

/// Video consultations.
#[derive(Clone, Debug)]
pub struct Video {
    psyter: Psyter,
}

/// A running call; dropping it does not end the call, `leave` does. It derefs to its controls.
pub struct VideoCall {
    controls: CallControls,
    view: watch::Receiver<CallView>,
    task: tokio::task::JoinHandle<CallRecord>,
}

/// The controls of a running call; clones stay usable while another task waits for the record.
#[derive(Clone)]
pub struct CallControls {
    inputs: mpsc::UnboundedSender<Input>,
    engine: Arc<dyn MediaEngine>,
}

impl std::ops::Deref for VideoCall {
    type Target = CallControls;
    fn deref(&self) -> &CallControls {
        &self.controls
    }
}

impl std::fmt::Debug for VideoCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VideoCall").field("view", &*self.view.borrow()).finish_non_exhaustive()
    }
}

/// Forwards engine events into the driver.
struct Listener(mpsc::UnboundedSender<Input>);

impl EngineListener for Listener {
    fn on_event(&self, event: EngineEvent) {
        let _ = self.0.send(Input::Engine(event));
    }
}

impl Video {
    pub(super) fn new(psyter: Psyter) -> Self {
        Self { psyter }
    }

    /// The pre-call check: devices from the engine and a network probe (waiting at most 5 seconds for
    /// its result), judged and explained in the user's language.
    pub async fn check(&self, engine: Arc<dyn MediaEngine>) -> Result<PreCallReport, CoreError> {
        let p = &self.psyter;
        p.session().touch()?;
        let (tx, mut rx) = mpsc::unbounded_channel();
        engine.set_listener(Arc::new(Listener(tx)));
        let devices = engine.devices()?;
        engine.start_probe()?;
        let probe = tokio::time::timeout(PROBE_WAIT, async {
            while let Some(input) = rx.recv().await {
                if let Input::Engine(EngineEvent::Probe(result)) = input {
                    return Some(result);
                }
            }
            None
        })
        .await
        .ok()
        .flatten();
        let locale = p.account().await.map(|me| me.locale).unwrap_or_default();
        let l10n = crate::i18n::Localizer::negotiate(&[locale.as_str()]);
        Ok(precall::judge(devices, probe, &l10n))
    }

    /// Joins the consultation of appointment `id` with `engine`: checks the join window locally, fetches
    /// credentials, joins, and keeps the call alive (renewal, reconnection, audio-only) until `leave`.
    pub async fn join(
        &self,
        id: AppointmentId,
        engine: Arc<dyn MediaEngine>,
        policy: VideoPolicy,
    ) -> Result<VideoCall, CoreError> {
        let p = &self.psyter;
        p.session().touch()?;
        let appointment = p.stores()?.cache.appointment(&id.to_string()).await?.ok_or(CoreError::NotFound)?;
        let mut machine = CallMachine::new(policy, appointment.start, appointment.end);
        let (inputs, rx) = mpsc::unbounded_channel();
        engine.set_listener(Arc::new(Listener(inputs.clone())));
        let first = machine.handle(Input::Join, p.inner.config.clock.now());
        let (view_tx, view) = watch::channel(view_of(&machine));
        let driver =
            Driver { psyter: p.clone(), appointment, engine: engine.clone(), inputs: inputs.clone(), view: view_tx };
        let task = tokio::spawn(driver.run(machine, rx, first));
        p.register_call(inputs.clone());
        Ok(VideoCall { controls: CallControls { inputs, engine }, view, task })
    }
}

impl CallControls {
    /// Leaves the call (always possible, always clean).
    pub fn leave(&self) {
        let _ = self.inputs.send(Input::Leave);
    }

    /// Tells the call the device's network changed (a fast rejoin follows). `Psyter::network_changed`
    /// does this for every live call.
    pub fn network_changed(&self) {
        let _ = self.inputs.send(Input::NetworkChanged);
    }

    /// Mutes or unmutes the microphone.
    pub fn mute_audio(&self, muted: bool) -> Result<(), CoreError> {
        self.engine.set_audio_muted(muted)
    }

    /// Stops or restarts the camera.
    pub fn mute_video(&self, muted: bool) -> Result<(), CoreError> {
        self.engine.set_video_muted(muted)
    }

    /// Switches the microphone, camera or speaker to the device with the platform's `device_id`.
    pub fn switch_device(&self, device: crate::video::Device, device_id: &str) -> Result<(), CoreError> {
        self.engine.switch_device(device, device_id)
    }
}

impl VideoCall {
    /// The call's state as it changes.
    pub fn view(&self) -> watch::Receiver<CallView> {
        self.view.clone()
    }

    /// Waits until the call has ended or failed and returns its record.
    pub async fn finished(self) -> Result<CallRecord, CoreError> {
        self.task.await.map_err(|_| CoreError::Internal { detail: "the call driver failed".into() })
    }
}

fn view_of(m: &CallMachine) -> CallView {
    CallView { state: m.state(), reason: m.reason().map(|r| r.code().to_owned()), audio_only: m.audio_only() }
}

/// The task that runs one call.
struct Driver {
    psyter: Psyter,
    appointment: Appointment,
    engine: Arc<dyn MediaEngine>,
    inputs: mpsc::UnboundedSender<Input>,
    view: watch::Sender<CallView>,
}

impl Driver {
    async fn run(
        self,
        mut machine: CallMachine,
        mut rx: mpsc::UnboundedReceiver<Input>,
        first: Vec<Effect>,
    ) -> CallRecord {
        self.perform(first, &machine);
        let _ = self.view.send(view_of(&machine));
        while !machine.state().is_terminal() {
            let clock = &self.psyter.inner.config.clock;
            let wait = machine.next_deadline().map(|at| {
                let ms = at.duration_since(clock.now()).as_millis().max(0);
                Duration::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
            });
            let input = tokio::select! {
                message = rx.recv() => message.unwrap_or(Input::Leave),
                () = sleep_or_forever(wait) => Input::Tick,
            };
            let effects = machine.handle(input, clock.now());
            self.perform(effects, &machine);
            let _ = self.view.send(view_of(&machine));
        }
        self.settle(&machine).await;
        machine.record().clone()
    }

    /// Performs the machine's effects; engine failures are logged (the engine reports outcomes as events).
    fn perform(&self, effects: Vec<Effect>, machine: &CallMachine) {
        for effect in effects {
            let outcome = match effect {
                Effect::FetchCredentials => {
                    self.fetch();
                    Ok(())
                }
                Effect::StartProbe => self.engine.start_probe(),
                Effect::EngineJoin(params) => self.engine.join(&params),
                Effect::EngineRenew(token) => self.engine.renew_token(&token),
                Effect::EngineLeave => self.engine.leave(),
                Effect::SetAudioOnly(on) => self.engine.set_audio_only(on),
                Effect::StateChanged(CallState::Connected) if machine.record().reconnections == 0 => {
                    self.provider_status(StatusAction::Arrived);
                    Ok(())
                }
                Effect::StateChanged(_) => Ok(()),
            };
            if let Err(e) = outcome {
                tracing::warn!(code = e.code(), "the media engine refused a call");
            }
        }
    }

    /// Asks the server for credentials in the background; the answer comes back as an input.
    fn fetch(&self) {
        let (psyter, inputs, id) = (self.psyter.clone(), self.inputs.clone(), self.appointment.id);
        tokio::spawn(async move {
            let answer = psyter.api(|api, t| async move { api.video_token(&t, id).await }).await;
            let input = match answer {
                Ok(c) => {
                    // Renewal follows the token itself when it says it expires sooner than the server did.
                    let parsed = (c.engine == Engine::Agora).then(|| agora::token_expiry(&c.token)).flatten();
                    let expires_at = parsed.map_or(c.expires_at, |p| p.min(c.expires_at));
                    Input::Credentials(Credentials {
                        params: JoinParams { app_id: c.app_id, channel: c.channel, token: c.token, uid: c.uid },
                        expires_at,
                        window_ends_at: c.window_ends_at,
                    })
                }
                Err(e) => Input::CredentialsFailed {
                    code: e.code().to_owned(),
                    retryable: matches!(e.kind(), ErrorKind::Offline | ErrorKind::Server),
                },
            };
            let _ = inputs.send(input);
        });
    }

    /// Moves the appointment through the outbox when the provider is the one calling.
    fn provider_status(&self, action: StatusAction) {
        let psyter = self.psyter.clone();
        let id = self.appointment.id;
        tokio::spawn(async move {
            if psyter.session().user().is_some_and(|u| u.role == Role::Provider)
                && let Err(e) = psyter.appointments().set_status(id, action).await
            {
                tracing::info!(code = e.code(), "the call could not update the appointment's status");
            }
        });
    }

    /// After the end: stores the record and, for a provider whose call connected, marks it fulfilled.
    async fn settle(&self, machine: &CallMachine) {
        let record = machine.record();
        if let Ok(stores) = self.psyter.stores()
            && let Err(e) = stores.cache.store_call(&self.appointment.id.to_string(), record).await
        {
            tracing::warn!(code = e.code(), "storing the call record failed");
        }
        let is_provider = self.psyter.session().user().is_some_and(|u| u.role == Role::Provider);
        if is_provider
            && record.connected_at.is_some()
            && let Err(e) = self.psyter.appointments().set_status(self.appointment.id, StatusAction::Fulfilled).await
        {
            tracing::info!(code = e.code(), "the call could not mark the appointment fulfilled");
        }
    }
}

async fn sleep_or_forever(wait: Option<Duration>) {
    match wait {
        Some(wait) => tokio::time::sleep(wait).await,
        None => std::future::pending().await,
    }
}
