//! The client object tree: `Psyter::open(config)` gives one handle per profile, and from it `auth()`,
//! `providers()`, `appointments()`, `availability()`, `sync()`, `reminders()` and `settings()`.
//! Every handle is a cheap clone of one shared `Arc`; every method is async and cancel-safe (writes that
//! have started finish in their own task).

mod appointments;
mod auth;
mod providers;
mod reminders;
mod sender;
mod settings;
mod stores;
mod sync;
mod video;

use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use tokio::sync::{Notify, broadcast, watch};

pub use appointments::{
    ActionOutcome, AppointmentView, Appointments, BookOutcome, ChangePolicy, PendingAction, Stats, ViewPage,
};
pub use auth::{Auth, UnlockMethod};
pub use providers::{Availability, ProviderResults, Providers};
pub use reminders::Reminders;
pub use settings::{LocalSettings, Settings};
pub use sync::{SyncEngine, SyncLoop, SyncReport};
pub use video::{CallControls, CallView, Video, VideoCall};

use crate::CoreError;
use crate::api::{ApiClient, ApiConfig};
use crate::events::{CoreEvent, SyncStatus};
use crate::platform::{BiometricGate, Clock, NetworkMonitor, NotificationScheduler, SystemClock};
use crate::profile::ProfilePaths;
use crate::secret::SecretStore;
use crate::session::{Session, SessionPhase, not_signed_in};
use stores::Stores;

/// Everything `Psyter::open` needs: where the server and the data are, and the platform's services.
#[derive(Clone)]
pub struct Config {
    /// How to reach the server.
    pub server: ApiConfig,
    /// The app's data directory; each profile gets `profiles/<name>/` under it.
    pub data_dir: PathBuf,
    /// The profile: one signed-in account per profile (`default` unless the user keeps several).
    pub profile: String,
    /// The OS keychain.
    pub secrets: Arc<dyn SecretStore>,
    /// The biometric prompt, if the platform has one.
    pub biometric: Option<Arc<dyn BiometricGate>>,
    /// The network hint, if the platform has one (otherwise the core assumes online and finds out).
    pub network: Option<Arc<dyn NetworkMonitor>>,
    /// Local notifications, if the platform has them (otherwise reminders are planned but not shown).
    pub notifications: Option<Arc<dyn NotificationScheduler>>,
    /// The clock for idle locking and reminders.
    pub clock: Arc<dyn Clock>,
}

impl Config {
    /// A configuration with the system clock and no optional platform services.
    pub fn new(server: ApiConfig, data_dir: impl Into<PathBuf>, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            server,
            data_dir: data_dir.into(),
            profile: "default".into(),
            secrets,
            biometric: None,
            network: None,
            notifications: None,
            clock: Arc::new(SystemClock),
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("server", &self.server)
            .field("profile", &self.profile)
            .field("biometric", &self.biometric.is_some())
            .field("network", &self.network.is_some())
            .field("notifications", &self.notifications.is_some())
            .finish_non_exhaustive()
    }
}

/// The Psyter client of one profile: cheap to clone, safe to share across tasks.
#[derive(Clone)]
pub struct Psyter {
    inner: Arc<Inner>,
}

/// State shared by every handle.
struct Inner {
    config: Config,
    session: Arc<Session>,
    stores: RwLock<Option<Stores>>,
    events: broadcast::Sender<CoreEvent>,
    /// Subscribed at open and handed to the first `events()` caller, so what happened while opening
    /// (a rebuilt cache, a reset outbox) is not lost before anyone could subscribe.
    backlog: std::sync::Mutex<Option<broadcast::Receiver<CoreEvent>>>,
    status: watch::Sender<SyncStatus>,
    /// Serialises outbox sending (foreground actions and the sync loop).
    send_lock: tokio::sync::Mutex<()>,
    /// Serialises sync runs.
    sync_lock: tokio::sync::Mutex<()>,
    /// Wakes the sync loop (a queued action, a network change).
    wake: Notify,
    /// The inputs of live calls, told about network changes (closed ones are dropped on the way).
    calls: std::sync::Mutex<Vec<tokio::sync::mpsc::UnboundedSender<crate::video::Input>>>,
}

impl std::fmt::Debug for Psyter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Psyter").field("profile", &self.inner.config.profile).finish_non_exhaustive()
    }
}

impl Psyter {
    /// Opens a profile: restores its session from the keychain if one is stored (locked when the
    /// biometric gate is on), opening its cache and outbox. A cache that cannot be read is rebuilt
    /// (queued actions are kept); a profile signed in to another server is refused.
    pub async fn open(config: Config) -> Result<Self, CoreError> {
        let api = ApiClient::new(config.server.clone())?;
        let paths = ProfilePaths::new(&config.data_dir, &config.profile)?;
        let (events, _) = broadcast::channel(256);
        let session =
            Session::new(api, config.secrets.clone(), paths.clone(), config.clock.clone(), None, events.clone());
        let (status, _) = watch::channel(SyncStatus::default());
        let backlog = std::sync::Mutex::new(Some(events.subscribe()));
        let psyter = Self {
            inner: Arc::new(Inner {
                config,
                session,
                stores: RwLock::new(None),
                events,
                backlog,
                status,
                send_lock: tokio::sync::Mutex::new(()),
                sync_lock: tokio::sync::Mutex::new(()),
                wake: Notify::new(),
                calls: std::sync::Mutex::new(Vec::new()),
            }),
        };
        psyter.restore().await?;
        Ok(psyter)
    }

    /// Restores the stored session, if any.
    async fn restore(&self) -> Result<(), CoreError> {
        let paths = self.inner.session.paths().clone();
        let Some(record) = blocking(move || paths.read_record()).await? else { return Ok(()) };
        let server = self.inner.session.api().base_url().to_owned();
        if record.server != server {
            return Err(CoreError::Conflict {
                code: "account_mismatch".into(),
                detail: "this profile is signed in to another server; sign out or use another profile".into(),
            });
        }
        if self.inner.session.refresh_token().await?.is_none() {
            return Ok(());
        }
        let stores = self.open_stores().await?;
        let settings = stores.cache.meta::<LocalSettings>(settings::SETTINGS_KEY).await?.unwrap_or_default();
        self.inner.session.set_auto_lock(settings.auto_lock());
        let locked = settings.biometric && self.inner.config.biometric.is_some();
        self.inner.session.restore(record, locked);
        // The status bar shows what is still queued from before, not 0 until the first send.
        self.publish_pending(&stores.outbox).await?;
        self.set_stores(Some(stores));
        Ok(())
    }

    /// Sign-in, sign-out, lock and unlock.
    pub fn auth(&self) -> Auth {
        Auth::new(self.clone())
    }

    /// Provider search, profiles and slots.
    pub fn providers(&self) -> Providers {
        Providers::new(self.clone())
    }

    /// The user's appointments: lists, history, search, and every action.
    pub fn appointments(&self) -> Appointments {
        Appointments::new(self.clone())
    }

    /// A provider's own availability rules.
    pub fn availability(&self) -> Availability {
        Availability::new(self.clone())
    }

    /// The sync engine: one run, the background loop, status.
    pub fn sync(&self) -> SyncEngine {
        SyncEngine::new(self.clone())
    }

    /// Appointment reminders.
    pub fn reminders(&self) -> Reminders {
        Reminders::new(self.clone())
    }

    /// Video consultations.
    pub fn video(&self) -> Video {
        Video::new(self.clone())
    }

    /// Account and device settings.
    pub fn settings(&self) -> Settings {
        Settings::new(self.clone())
    }

    /// Subscribes to events (session, sync, outbox). The first subscriber also receives what happened
    /// while the profile was opening (e.g. `CacheRebuilt`).
    pub fn events(&self) -> broadcast::Receiver<CoreEvent> {
        let first = self.inner.backlog.lock().unwrap_or_else(PoisonError::into_inner).take();
        first.unwrap_or_else(|| self.inner.events.subscribe())
    }

    /// The platform says the network changed (Wi-Fi to cellular, back online, ...): sync runs now and
    /// every live call rejoins at once instead of waiting for the engine to notice.
    pub fn network_changed(&self) {
        self.inner.wake.notify_one();
        let mut calls = self.inner.calls.lock().unwrap_or_else(PoisonError::into_inner);
        calls.retain(|call| call.send(crate::video::Input::NetworkChanged).is_ok());
    }

    /// Remembers a live call for `network_changed`.
    fn register_call(&self, inputs: tokio::sync::mpsc::UnboundedSender<crate::video::Input>) {
        let mut calls = self.inner.calls.lock().unwrap_or_else(PoisonError::into_inner);
        calls.retain(|call| !call.is_closed());
        calls.push(inputs);
    }

    /// Where the session is.
    pub fn phase(&self) -> SessionPhase {
        self.inner.session.phase()
    }

    /// How many token refreshes this instance has made (diagnostics and tests).
    pub fn refresh_count(&self) -> u64 {
        self.inner.session.refresh_count()
    }

    /// The profile's name.
    pub fn profile(&self) -> &str {
        &self.inner.config.profile
    }

    /// The open stores, or `not_signed_in`.
    fn stores(&self) -> Result<Stores, CoreError> {
        self.inner.stores.read().unwrap_or_else(PoisonError::into_inner).clone().ok_or_else(not_signed_in)
    }

    fn set_stores(&self, stores: Option<Stores>) {
        *self.inner.stores.write().unwrap_or_else(PoisonError::into_inner) = stores;
    }

    /// Sends an event to subscribers (none listening is fine).
    fn emit(&self, event: CoreEvent) {
        let _ = self.inner.events.send(event);
    }

    /// `Offline` when the platform says the device is offline, so nothing is even tried.
    fn check_online(&self) -> Result<(), CoreError> {
        if self.online() { Ok(()) } else { Err(CoreError::Offline) }
    }

    /// Whether the platform says the device is online (true when there is no monitor).
    fn online(&self) -> bool {
        self.inner.config.network.as_ref().is_none_or(|n| n.is_online())
    }

    /// The session.
    fn session(&self) -> &Session {
        &self.inner.session
    }

    /// Runs an authenticated API call (refreshing the token once if the server asks for it).
    async fn api<T, F, Fut>(&self, call: F) -> Result<T, CoreError>
    where
        F: Fn(ApiClient, String) -> Fut,
        Fut: Future<Output = Result<T, CoreError>>,
    {
        self.check_online()?;
        let api = self.session().api().clone();
        self.session().authed(|token| call(api.clone(), token)).await
    }
}

/// Runs blocking work (file system, SQLite open, keychain) on the blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, CoreError> + Send + 'static,
) -> Result<T, CoreError> {
    tokio::task::spawn_blocking(f).await.map_err(|_| CoreError::Internal { detail: "a blocking task failed".into() })?
}

/// Idle time of the auto-lock, from whole seconds (0: never).
fn idle_limit(secs: u64) -> Option<Duration> {
    (secs > 0).then(|| Duration::from_secs(secs))
}
