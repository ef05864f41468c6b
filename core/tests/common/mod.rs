//! Shared harness of the client tests: the real reference server on a loopback port (stoppable and
//! restartable on the same port and database, to take the device "offline" for real) and devices: a
//! `Psyter` in its own data directory with the real OS keychain under its own service name.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::civil::Time;
use jiff::{SignedDuration, Timestamp};
use psyter_core::api::{ApiClient, ApiConfig};
use psyter_core::platform::{ManualNetwork, NotificationScheduler, OffsetClock};
use psyter_core::reminders::Reminder;
use psyter_core::secret::{KeyringStore, SecretStore};
use psyter_core::{Config, CoreError, Psyter};
use psyter_domain::wire::{RegisterRequest, TokenResponse};
use psyter_domain::{AvailabilityRules, Role, TimeRange, UserId, Weekday, WeeklyHours};
use psyter_server::{AppState, Clock};
use tokio::task::JoinHandle;

#[allow(unused_imports)]
pub use psyter_server::seed::{DEMO_PASSWORD, DEMO_PATIENT, DEMO_PATIENT_2};

/// The reference server on a fixed loopback port with a temporary, demo-seeded database.
pub struct LiveServer {
    pub base: String,
    pub clock: Clock,
    addr: SocketAddr,
    db: PathBuf,
    access_ttl: Option<SignedDuration>,
    running: Option<(tokio::sync::oneshot::Sender<()>, JoinHandle<()>)>,
    _dir: tempfile::TempDir,
}

impl LiveServer {
    /// Starts a seeded server.
    pub async fn start() -> Self {
        Self::start_with_ttl(None).await
    }

    /// Starts a seeded server whose access tokens live `ttl` (default: the server's).
    pub async fn start_with_ttl(access_ttl: Option<SignedDuration>) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("server.db");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let clock = Clock::default();
        let mut server = Self { base: format!("http://{addr}"), clock, addr, db, access_ttl, running: None, _dir: dir };
        let state = server.state();
        let now = server.clock.now();
        state.db.with_writer(|c| psyter_server::seed::seed_demo(c, 20, now)).expect("seed");
        server.serve(listener, state);
        server
    }

    fn state(&self) -> AppState {
        let mut config = psyter_server::Config::new(self.db.clone());
        if let Some(ttl) = self.access_ttl {
            config.access_ttl = ttl;
        }
        AppState::open(config, self.clock.clone()).expect("server state")
    }

    fn serve(&mut self, listener: tokio::net::TcpListener, state: AppState) {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            psyter_server::serve(listener, state, async move {
                let _ = rx.await;
            })
            .await
            .expect("serve");
        });
        self.running = Some((tx, task));
    }

    /// Stops the server: its port refuses connections until `restart`.
    pub async fn stop(&mut self) {
        if let Some((tx, task)) = self.running.take() {
            let _ = tx.send(());
            tokio::time::timeout(Duration::from_secs(10), task).await.expect("server stops").expect("server task");
        }
    }

    /// Starts the server again on the same port with the same database.
    pub async fn restart(&mut self) {
        let state = self.state();
        let mut tries = 0;
        let listener = loop {
            match tokio::net::TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(e) if tries < 50 => {
                    tries += 1;
                    tracing::debug!("rebind: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("rebinding {}: {e}", self.addr),
            }
        };
        self.serve(listener, state);
    }

    /// A plain API client (for setting up the other side of a flow).
    pub fn api(&self) -> ApiClient {
        ApiClient::new(ApiConfig::new(&self.base)).expect("api")
    }

    /// Registers a provider bookable every hour from now on (UTC, no notice, no buffers, 50 minutes).
    pub async fn open_provider(&self) -> TokenResponse {
        let api = self.api();
        let req = RegisterRequest {
            email: format!("open-{}@test.psyter.app", uuid::Uuid::new_v4().simple()),
            password: "correct horse battery".into(),
            display_name: "Dr. Lena Openhour".into(),
            role: Role::Provider,
            time_zone: Some("UTC".into()),
            locale: None,
        };
        let provider = api.register(&req).await.expect("register provider");
        let all_day = TimeRange { start: Time::midnight(), end: Time::midnight() };
        let rules = AvailabilityRules {
            time_zone: "UTC".into(),
            weekly: Weekday::ALL.into_iter().map(|day| WeeklyHours { day, range: all_day }).collect(),
            overrides: vec![],
            buffer_before_minutes: 0,
            buffer_after_minutes: 0,
            minimum_notice_minutes: 0,
            booking_window_days: 30,
            slot_interval_minutes: 60,
            session_minutes: 50,
            daily_limit: None,
        };
        api.put_availability(&provider.access_token, &rules).await.expect("availability");
        provider
    }

    /// Free slot starts of `provider` in the next `days` days.
    pub async fn free_slots(&self, provider: UserId, days: i64) -> Vec<Timestamp> {
        let now = Timestamp::now();
        let list = self.api().slots(provider, Some(now), Some(now + SignedDuration::from_hours(24 * days))).await;
        list.expect("slots").slots.into_iter().map(|s| s.start).collect()
    }
}

/// Notifications a test can inspect.
#[derive(Default)]
pub struct RecordingScheduler {
    pub scheduled: Mutex<Vec<Reminder>>,
}

impl NotificationScheduler for RecordingScheduler {
    fn schedule(&self, reminder: &Reminder) -> Result<(), CoreError> {
        let mut s = self.scheduled.lock().expect("lock");
        s.retain(|r| r.id != reminder.id);
        s.push(reminder.clone());
        Ok(())
    }

    fn cancel(&self, id: &str) -> Result<(), CoreError> {
        self.scheduled.lock().expect("lock").retain(|r| r.id != id);
        Ok(())
    }
}

/// One device: a data directory, the real keychain under a service of its own, a network switch, a
/// movable clock and a recording notification scheduler.
pub struct Device {
    pub dir: tempfile::TempDir,
    pub secrets: Arc<KeyringStore>,
    pub network: Arc<ManualNetwork>,
    pub clock: Arc<OffsetClock>,
    pub notifications: Arc<RecordingScheduler>,
    pub server: String,
}

impl Device {
    /// A fresh device talking to `server`.
    pub fn new(server: &LiveServer) -> Self {
        let service = format!("app.psyter.test.{}", uuid::Uuid::new_v4().simple());
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
            secrets: Arc::new(KeyringStore::open(&service).expect("the OS keychain")),
            network: Arc::new(ManualNetwork::default()),
            clock: Arc::new(OffsetClock::default()),
            notifications: Arc::new(RecordingScheduler::default()),
            server: server.base.clone(),
        }
    }

    /// The configuration of profile `name` (fast retries so offline tests take milliseconds).
    pub fn config(&self, profile: &str) -> Config {
        let mut api = ApiConfig::new(&self.server);
        api.retry_base_delay = Duration::from_millis(5);
        api.retry_max_delay = Duration::from_millis(20);
        api.connect_timeout = Duration::from_secs(2);
        let secrets: Arc<dyn SecretStore> = self.secrets.clone();
        let mut config = Config::new(api, self.dir.path(), secrets);
        config.profile = profile.into();
        config.network = Some(self.network.clone());
        config.clock = self.clock.clone();
        config.notifications = Some(self.notifications.clone());
        config
    }

    /// Opens profile `name`.
    pub async fn open(&self, profile: &str) -> Psyter {
        Psyter::open(self.config(profile)).await.expect("open profile")
    }

    /// Opens profile `name` and signs in with a demo account.
    pub async fn signed_in(&self, profile: &str, email: &str) -> Psyter {
        let psyter = self.open(profile).await;
        psyter.auth().login(email, DEMO_PASSWORD, None).await.expect("login");
        psyter
    }

    /// Every file under the data directory, with its bytes.
    pub fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            for entry in std::fs::read_dir(dir).expect("read_dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    let bytes = std::fs::read(&path).expect("read file");
                    out.push((path, bytes));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.dir.path(), &mut out);
        out
    }
}

/// Whether `needle` occurs in `hay`.
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
