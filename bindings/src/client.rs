//! `PsyterClient`: one profile of the core, opened with the shell's platform services, and the
//! entry to its object tree. Subscriptions (events, sync status) return a `TaskHandle`.

use std::sync::Arc;
use std::time::Duration;

use psyter_core::api::{ApiConfig, parse_pin};
use psyter_core::events::{CoreEvent, SyncStatus};
use psyter_core::{Config, Psyter, SessionPhase};
use tokio::sync::broadcast::error::RecvError;

use crate::api::{AppointmentsApi, AuthApi, AvailabilityApi, ProvidersApi, RemindersApi, SettingsApi, SyncApi};
use crate::platform::{BiometricAdapter, NetworkAdapter, NotificationsAdapter, SecretsAdapter};
use crate::runtime::{TaskHandle, guard, run};
use crate::video::VideoApi;
use crate::{BiometricGate, NetworkMonitor, NotificationScheduler, PsyterError, SecretStore};

/// Where the server and the app's data are.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ClientConfig {
    /// The server's base URL (HTTPS; plain HTTP only on loopback).
    pub base_url: String,
    /// The app's private data directory (the encrypted cache and outbox live under it).
    pub data_dir: String,
    /// The profile name; one signed-in account per profile.
    pub profile: String,
    /// Accepted server key pins (`sha256/<base64>`); empty means no pinning.
    pub pins: Vec<String>,
    /// Longest time one request attempt may take, in seconds.
    pub request_timeout_secs: u32,
}

/// Receives every core event (session, sync, outbox, reminders) as it happens.
#[uniffi::export(with_foreign)]
pub trait CoreEventListener: Send + Sync {
    /// One event.
    fn on_event(&self, event: CoreEvent);
}

/// Receives the sync status each time it changes (and once at once with the current one).
#[uniffi::export(with_foreign)]
pub trait SyncStatusListener: Send + Sync {
    /// The latest status.
    fn on_status(&self, status: SyncStatus);
}

/// One profile of the core: sign-in, providers, appointments, sync, reminders, settings, video.
#[derive(uniffi::Object)]
pub struct PsyterClient {
    core: Psyter,
}

#[uniffi::export]
impl PsyterClient {
    /// Opens a profile with the shell's platform services; restores a stored session (locked when the
    /// biometric unlock is on).
    #[uniffi::constructor]
    pub async fn open(
        config: ClientConfig,
        secrets: Arc<dyn SecretStore>,
        biometric: Option<Arc<dyn BiometricGate>>,
        network: Option<Arc<dyn NetworkMonitor>>,
        notifications: Option<Arc<dyn NotificationScheduler>>,
    ) -> Result<Arc<Self>, PsyterError> {
        let core = run(async move {
            let mut server = ApiConfig::new(config.base_url);
            server.pins = config.pins.iter().map(|p| parse_pin(p)).collect::<Result<_, _>>()?;
            if config.request_timeout_secs > 0 {
                server.request_timeout = Duration::from_secs(config.request_timeout_secs.into());
            }
            let mut core_config = Config::new(server, config.data_dir, Arc::new(SecretsAdapter(secrets)));
            core_config.profile = config.profile;
            core_config.biometric = biometric.map(|b| Arc::new(BiometricAdapter(b)) as _);
            core_config.network = network.map(|n| Arc::new(NetworkAdapter(n)) as _);
            core_config.notifications = notifications.map(|n| Arc::new(NotificationsAdapter(n)) as _);
            Psyter::open(core_config).await
        })
        .await?;
        Ok(Arc::new(Self { core }))
    }

    /// Sign-in, sign-out, lock and unlock.
    pub fn auth(&self) -> Arc<AuthApi> {
        Arc::new(AuthApi::new(self.core.auth()))
    }

    /// Provider search, profiles and free slots.
    pub fn providers(&self) -> Arc<ProvidersApi> {
        Arc::new(ProvidersApi::new(self.core.providers()))
    }

    /// The user's appointments: lists, history, search and actions.
    pub fn appointments(&self) -> Arc<AppointmentsApi> {
        Arc::new(AppointmentsApi::new(self.core.appointments()))
    }

    /// A provider's own availability rules.
    pub fn availability(&self) -> Arc<AvailabilityApi> {
        Arc::new(AvailabilityApi::new(self.core.availability()))
    }

    /// Sync and the outbox.
    pub fn sync(&self) -> Arc<SyncApi> {
        Arc::new(SyncApi::new(self.core.sync()))
    }

    /// Reminders of upcoming appointments.
    pub fn reminders(&self) -> Arc<RemindersApi> {
        Arc::new(RemindersApi::new(self.core.reminders()))
    }

    /// Account and device settings.
    pub fn settings(&self) -> Arc<SettingsApi> {
        Arc::new(SettingsApi::new(self.core.settings()))
    }

    /// The video consultation.
    pub fn video(&self) -> Arc<VideoApi> {
        Arc::new(VideoApi::new(self.core.video()))
    }

    /// Signed out, active or locked.
    pub fn phase(&self) -> SessionPhase {
        self.core.phase()
    }

    /// The profile's name.
    pub fn profile(&self) -> String {
        self.core.profile().to_owned()
    }

    /// Tells the core the network changed: sync wakes and live calls rejoin at once.
    pub fn network_changed(&self) -> Result<(), PsyterError> {
        guard(|| {
            self.core.network_changed();
            Ok(())
        })
    }

    /// Delivers every core event to `listener` (the first subscriber also gets what happened while
    /// opening) until the handle is cancelled or dropped.
    pub fn subscribe_events(&self, listener: Arc<dyn CoreEventListener>) -> Arc<TaskHandle> {
        let mut events = self.core.events();
        TaskHandle::spawn(async move {
            loop {
                match events.recv().await {
                    Ok(event) => listener.on_event(event),
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => break,
                }
            }
        })
    }

    /// Delivers the sync status now and on every change until the handle is cancelled or dropped.
    pub fn subscribe_sync_status(&self, listener: Arc<dyn SyncStatusListener>) -> Arc<TaskHandle> {
        let mut status = self.core.sync().status();
        TaskHandle::spawn(async move {
            loop {
                let current = status.borrow_and_update().clone();
                listener.on_status(current);
                if status.changed().await.is_err() {
                    break;
                }
            }
        })
    }
}
