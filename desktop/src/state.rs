//! The app's state behind every command: the open core (or why it could not open), the media engine
//! relay, the live call's controls, the background sync loop and the browser bridge.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use psyter_core::{CallControls, CallView, Psyter, SessionPhase, SyncLoop};
use tokio::sync::watch;

use crate::bridge::BrowserBridge;
use crate::engine::WebviewEngine;
use crate::error::{IpcError, IpcResult};

/// How often the background sync runs when nothing wakes it.
const SYNC_INTERVAL: Duration = Duration::from_secs(30);

/// Where the app's data and server are (from the environment, with desktop defaults).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The API server's base URL.
    pub server_url: String,
    /// The data directory (profiles live under it).
    pub data_dir: PathBuf,
    /// The profile name.
    pub profile: String,
    /// The keychain service the secrets are stored under.
    pub keyring_service: String,
}

impl Settings {
    /// Reads `PSYTER_SERVER_URL`, `PSYTER_DATA_DIR`, `PSYTER_PROFILE` and `PSYTER_KEYRING_SERVICE`.
    pub fn from_env(default_data_dir: PathBuf) -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Self {
            server_url: var("PSYTER_SERVER_URL").unwrap_or_else(|| "http://127.0.0.1:8080".into()),
            data_dir: var("PSYTER_DATA_DIR").map(PathBuf::from).unwrap_or(default_data_dir),
            profile: var("PSYTER_PROFILE").unwrap_or_else(|| "default".into()),
            keyring_service: var("PSYTER_KEYRING_SERVICE").unwrap_or_else(|| "app.psyter.desktop".into()),
        }
    }
}

/// The latest call: its controls and its view.
#[derive(Clone)]
pub struct LiveCall {
    /// Leave, mute, switch devices.
    pub controls: CallControls,
    /// Where the call is.
    pub view: watch::Receiver<CallView>,
}

/// Everything the commands share.
pub struct AppState {
    core: Result<Psyter, IpcError>,
    /// Where the app's data and server are.
    pub settings: Settings,
    /// The media engine relay.
    pub engine: Arc<WebviewEngine>,
    call: Mutex<Option<LiveCall>>,
    sync: Mutex<Option<SyncLoop>>,
    /// The loopback page server for calls in the system browser, once started.
    pub bridge: tokio::sync::Mutex<Option<BrowserBridge>>,
}

impl AppState {
    /// The state around an opened core, or around the error that kept it from opening (every command
    /// then answers with that error, so the UI can say what is wrong).
    pub fn new(core: Result<Psyter, IpcError>, settings: Settings, engine: Arc<WebviewEngine>) -> Self {
        Self {
            core,
            settings,
            engine,
            call: Mutex::new(None),
            sync: Mutex::new(None),
            bridge: tokio::sync::Mutex::new(None),
        }
    }

    /// The open core.
    pub fn core(&self) -> IpcResult<&Psyter> {
        self.core.as_ref().map_err(Clone::clone)
    }

    /// Starts the background sync loop when signed in (again after a sign-in; the loop stops itself
    /// when the session ends).
    pub fn start_sync(&self) {
        let Ok(core) = self.core() else { return };
        if core.phase() == SessionPhase::SignedOut {
            return;
        }
        *self.sync.lock().unwrap_or_else(PoisonError::into_inner) = Some(core.sync().start(SYNC_INTERVAL));
    }

    /// Stops the background sync loop (signed out).
    pub fn stop_sync(&self) {
        self.sync.lock().unwrap_or_else(PoisonError::into_inner).take();
    }

    /// The latest call, if one was started.
    pub fn call(&self) -> Option<LiveCall> {
        self.call.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Records the latest call.
    pub fn set_call(&self, call: Option<LiveCall>) {
        *self.call.lock().unwrap_or_else(PoisonError::into_inner) = call;
    }
}
