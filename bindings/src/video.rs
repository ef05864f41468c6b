//! The video consultation: the pre-call check and a call session driven by the core's state machine
//! through the shell's `MediaEngine`.

use std::sync::{Arc, Mutex};

use psyter_core::video::{CallRecord, Device, PreCallReport, VideoPolicy};
use psyter_core::{CallControls, CallView, CoreError, Video, VideoCall};
use psyter_domain::AppointmentId;
use tokio::sync::watch;

use crate::media::EngineAdapter;
use crate::runtime::{TaskHandle, guard, run};
use crate::{MediaEngine, PsyterError};

/// Receives a call's state (connecting, connected, reconnecting, audio-only, ended) as it changes.
#[uniffi::export(with_foreign)]
pub trait CallViewListener: Send + Sync {
    /// The latest view of the call.
    fn on_view(&self, view: CallView);
}

/// The pre-call check and joining consultations.
#[derive(uniffi::Object)]
pub struct VideoApi(Video);

impl VideoApi {
    /// Wraps the core's `Video`.
    pub(crate) fn new(inner: Video) -> Self {
        Self(inner)
    }
}

#[uniffi::export]
impl VideoApi {
    /// Checks microphone, camera and network through `engine`; verdicts come with advice in the
    /// user's language.
    pub async fn check(&self, engine: Arc<dyn MediaEngine>) -> Result<PreCallReport, PsyterError> {
        let video = self.0.clone();
        run(async move { video.check(EngineAdapter::new(engine)).await }).await
    }

    /// Joins the consultation of `appointment_id` (inside its join window) with `engine`.
    pub async fn join(
        &self,
        appointment_id: AppointmentId,
        engine: Arc<dyn MediaEngine>,
    ) -> Result<Arc<CallSession>, PsyterError> {
        let video = self.0.clone();
        let call =
            run(async move { video.join(appointment_id, EngineAdapter::new(engine), VideoPolicy::default()).await })
                .await?;
        let (controls, view) = ((*call).clone(), call.view());
        Ok(Arc::new(CallSession { controls, view, call: Mutex::new(Some(call)) }))
    }
}

/// A live consultation: controls, its state, and its record once it has ended.
#[derive(uniffi::Object)]
pub struct CallSession {
    controls: CallControls,
    view: watch::Receiver<CallView>,
    /// The call until `finished` takes it to wait for the record.
    call: Mutex<Option<VideoCall>>,
}

impl CallSession {
    /// Runs `action` on the call's controls, which work until the call has ended.
    fn with_call(&self, action: impl FnOnce(&CallControls) -> Result<(), CoreError>) -> Result<(), PsyterError> {
        guard(|| action(&self.controls))
    }
}

#[uniffi::export]
impl CallSession {
    /// Leaves the call (always possible, always clean).
    pub fn leave(&self) -> Result<(), PsyterError> {
        self.with_call(|call| {
            call.leave();
            Ok(())
        })
    }

    /// Mutes or unmutes the microphone.
    pub fn mute_audio(&self, muted: bool) -> Result<(), PsyterError> {
        self.with_call(|call| call.mute_audio(muted))
    }

    /// Stops or restarts the camera.
    pub fn mute_video(&self, muted: bool) -> Result<(), PsyterError> {
        self.with_call(|call| call.mute_video(muted))
    }

    /// Switches the microphone, camera or speaker to the platform's `device_id`.
    pub fn switch_device(&self, device: Device, device_id: String) -> Result<(), PsyterError> {
        self.with_call(|call| call.switch_device(device, &device_id))
    }

    /// The call's state now.
    pub fn view(&self) -> CallView {
        self.view.borrow().clone()
    }

    /// Delivers the call's state now and on every change until the handle is cancelled or dropped.
    pub fn subscribe(&self, listener: Arc<dyn CallViewListener>) -> Arc<TaskHandle> {
        let mut view = self.view.clone();
        TaskHandle::spawn(async move {
            loop {
                let current = view.borrow_and_update().clone();
                listener.on_view(current);
                if view.changed().await.is_err() {
                    break;
                }
            }
        })
    }

    /// Waits until the call has ended or failed and returns its record (once).
    pub async fn finished(&self) -> Result<CallRecord, PsyterError> {
        let call = self.call.lock().unwrap_or_else(|p| p.into_inner()).take();
        let Some(call) = call else {
            let detail = "this call's record was already taken".into();
            return Err(PsyterError::Internal { code: "internal".into(), detail });
        };
        run(async move { call.finished().await }).await
    }
}
