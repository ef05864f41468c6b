//! The object tree under `PsyterClient`, one object per core area. Every async method runs on the
//! core's runtime through `run`, so a panic or a cancelled coroutine never reaches the shell as a crash.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use psyter_core::api::ProviderSearch;
use psyter_core::cache::AppointmentFilter;
use psyter_core::events::SyncStatus;
use psyter_core::reminders::Reminder;
use psyter_core::video::CallRecord;
use psyter_core::{
    ActionOutcome, AppointmentView, Appointments, Auth, Availability, BookOutcome, LocalSettings, PendingAction,
    ProviderResults, Providers, Reminders, SessionPhase, Settings, SyncEngine, SyncLoop, SyncReport, UnlockMethod,
    ViewPage,
};
use psyter_domain::wire::{Me, Note, RegisterRequest, SlotList, StatusAction, TotpSetup, UpdateMe};
use psyter_domain::{AppointmentId, AvailabilityRules, ProviderProfile, UserId};

use crate::PsyterError;
use crate::runtime::{guard, run};

/// Sign-in, sign-out, lock and unlock.
#[derive(uniffi::Object)]
pub struct AuthApi(Auth);

impl AuthApi {
    /// Wraps the core's `Auth`.
    pub(crate) fn new(inner: Auth) -> Self {
        Self(inner)
    }
}

#[uniffi::export]
impl AuthApi {
    /// Creates an account and signs in.
    pub async fn register(&self, request: RegisterRequest) -> Result<Me, PsyterError> {
        let auth = self.0.clone();
        run(async move { auth.register(&request).await }).await
    }

    /// Signs in (with a TOTP code when the account has two-factor sign-in on).
    pub async fn login(&self, email: String, password: String, totp_code: Option<String>) -> Result<Me, PsyterError> {
        let auth = self.0.clone();
        run(async move { auth.login(&email, &password, totp_code.as_deref()).await }).await
    }

    /// The signed-in account.
    pub async fn me(&self) -> Result<Me, PsyterError> {
        let auth = self.0.clone();
        run(async move { auth.me().await }).await
    }

    /// Signed out, active or locked.
    pub fn phase(&self) -> SessionPhase {
        self.0.phase()
    }

    /// Signs out and wipes this profile; refuses with `unsent_actions` while actions are queued unless
    /// `force`. Returns whether the server confirmed the sign-out.
    pub async fn logout(&self, force: bool) -> Result<bool, PsyterError> {
        let auth = self.0.clone();
        run(async move { auth.logout(force).await }).await
    }

    /// Locks the session now (e.g. when the app goes to the background).
    pub fn lock(&self) -> Result<(), PsyterError> {
        guard(|| {
            self.0.lock();
            Ok(())
        })
    }

    /// How this profile unlocks: biometric when enabled and available, else the password.
    pub async fn unlock_method(&self) -> Result<UnlockMethod, PsyterError> {
        let auth = self.0.clone();
        run(async move { auth.unlock_method().await }).await
    }

    /// Unlocks with the platform's biometric prompt, showing `reason`.
    pub async fn unlock_with_biometric(&self, reason: String) -> Result<(), PsyterError> {
        let auth = self.0.clone();
        run(async move { auth.unlock_with_biometric(&reason).await }).await
    }

    /// Unlocks by checking the password (and TOTP code) with the server.
    pub async fn unlock_with_password(&self, password: String, totp_code: Option<String>) -> Result<(), PsyterError> {
        let auth = self.0.clone();
        run(async move { auth.unlock_with_password(&password, totp_code.as_deref()).await }).await
    }

    /// Starts two-factor sign-in: the secret and the `otpauth://` URI for an authenticator app.
    pub async fn totp_setup(&self) -> Result<TotpSetup, PsyterError> {
        let auth = self.0.clone();
        run(async move { auth.totp_setup().await }).await
    }

    /// Turns two-factor sign-in on with a code from the authenticator app.
    pub async fn totp_enable(&self, code: String) -> Result<Me, PsyterError> {
        let auth = self.0.clone();
        run(async move { auth.totp_enable(&code).await }).await
    }
}

/// Provider search, profiles and free slots.
#[derive(uniffi::Object)]
pub struct ProvidersApi(Providers);

impl ProvidersApi {
    /// Wraps the core's `Providers`.
    pub(crate) fn new(inner: Providers) -> Self {
        Self(inner)
    }
}

#[uniffi::export]
impl ProvidersApi {
    /// Searches providers; offline, recent results matching the words come from the cache.
    pub async fn search(&self, search: ProviderSearch) -> Result<ProviderResults, PsyterError> {
        let providers = self.0.clone();
        run(async move { providers.search(&search).await }).await
    }

    /// One provider's profile (the cached one when offline).
    pub async fn profile(&self, id: UserId) -> Result<ProviderProfile, PsyterError> {
        let providers = self.0.clone();
        run(async move { providers.profile(id).await }).await
    }

    /// A provider's free slots in `[from, to)` (server defaults: now, 14 days); needs the server.
    pub async fn slots(
        &self,
        id: UserId,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<SlotList, PsyterError> {
        let providers = self.0.clone();
        run(async move { providers.slots(id, from, to).await }).await
    }
}

/// A provider's own availability rules.
#[derive(uniffi::Object)]
pub struct AvailabilityApi(Availability);

impl AvailabilityApi {
    /// Wraps the core's `Availability`.
    pub(crate) fn new(inner: Availability) -> Self {
        Self(inner)
    }
}

#[uniffi::export]
impl AvailabilityApi {
    /// The signed-in provider's rules.
    pub async fn get(&self) -> Result<AvailabilityRules, PsyterError> {
        let availability = self.0.clone();
        run(async move { availability.get().await }).await
    }

    /// Replaces the signed-in provider's rules; returns them as stored.
    pub async fn put(&self, rules: AvailabilityRules) -> Result<AvailabilityRules, PsyterError> {
        let availability = self.0.clone();
        run(async move { availability.put(&rules).await }).await
    }
}

/// The user's appointments: lists and history from the cache, actions through the outbox.
#[derive(uniffi::Object)]
pub struct AppointmentsApi(Appointments);

impl AppointmentsApi {
    /// Wraps the core's `Appointments`.
    pub(crate) fn new(inner: Appointments) -> Self {
        Self(inner)
    }
}

#[uniffi::export]
impl AppointmentsApi {
    /// Appointments that have not ended, soonest first; pass `after` from the previous page.
    pub async fn upcoming(
        &self,
        filter: AppointmentFilter,
        limit: u32,
        after: Option<String>,
    ) -> Result<ViewPage, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.upcoming(&filter, limit as usize, after.as_deref()).await }).await
    }

    /// The history: appointments that have ended, latest first; pass `before` from the previous page.
    pub async fn past(
        &self,
        filter: AppointmentFilter,
        limit: u32,
        before: Option<String>,
    ) -> Result<ViewPage, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.past(&filter, limit as usize, before.as_deref()).await }).await
    }

    /// Full-text search over the history (provider, reason), offline.
    pub async fn search(&self, query: String, limit: u32) -> Result<Vec<AppointmentView>, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.search(&query, limit as usize).await }).await
    }

    /// One appointment from the cache.
    pub async fn get(&self, id: AppointmentId) -> Result<AppointmentView, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.get(id).await }).await
    }

    /// The session note of an appointment, from the cache.
    pub async fn note(&self, id: AppointmentId) -> Result<Option<Note>, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.note(id).await }).await
    }

    /// The records of the video calls of an appointment, oldest first.
    pub async fn calls(&self, id: AppointmentId) -> Result<Vec<CallRecord>, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.calls(id).await }).await
    }

    /// Actions the server has not applied yet (queued, sending or failed).
    pub async fn pending_actions(&self) -> Result<Vec<PendingAction>, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.pending_actions().await }).await
    }

    /// Dismisses a failed action the user has seen.
    pub async fn dismiss(&self, outbox_id: i64) -> Result<(), PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.dismiss(outbox_id).await }).await
    }

    /// Books a slot; offline it is queued and shows as pending.
    pub async fn book(
        &self,
        provider_id: UserId,
        start: Timestamp,
        reason: String,
    ) -> Result<BookOutcome, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.book(provider_id, start, &reason).await }).await
    }

    /// Cancels an appointment (the policy is checked first); offline it is queued.
    pub async fn cancel(&self, id: AppointmentId, reason: String) -> Result<ActionOutcome, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.cancel(id, &reason).await }).await
    }

    /// Moves an appointment to another slot; offline it is queued.
    pub async fn reschedule(&self, id: AppointmentId, start: Timestamp) -> Result<ActionOutcome, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.reschedule(id, start).await }).await
    }

    /// A provider's status change (arrived, fulfilled, no-show, entered in error).
    pub async fn set_status(&self, id: AppointmentId, action: StatusAction) -> Result<ActionOutcome, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.set_status(id, action).await }).await
    }

    /// Writes (or, with empty text, deletes) the provider's session note.
    pub async fn write_note(&self, id: AppointmentId, text: String) -> Result<ActionOutcome, PsyterError> {
        let appointments = self.0.clone();
        run(async move { appointments.write_note(id, &text).await }).await
    }
}

/// Sync with the server and the outbox.
#[derive(uniffi::Object)]
pub struct SyncApi(SyncEngine);

impl SyncApi {
    /// Wraps the core's `SyncEngine`.
    pub(crate) fn new(inner: SyncEngine) -> Self {
        Self(inner)
    }
}

#[uniffi::export]
impl SyncApi {
    /// The latest sync status.
    pub fn status(&self) -> SyncStatus {
        self.0.status().borrow().clone()
    }

    /// Asks the background loop to run now.
    pub fn wake(&self) {
        self.0.wake();
    }

    /// Sends the outbox, then pulls the change feed until caught up.
    pub async fn run(&self) -> Result<SyncReport, PsyterError> {
        let sync = self.0.clone();
        run(async move { sync.run().await }).await
    }

    /// Starts the background loop (every `interval`, sooner on wake); it stops when the returned
    /// handle is stopped or dropped.
    pub fn start(&self, interval: Duration) -> Arc<BackgroundSync> {
        let _enter = crate::runtime::runtime().enter();
        Arc::new(BackgroundSync(Mutex::new(Some(self.0.start(interval)))))
    }
}

/// The running background sync loop; `stop()` or dropping it stops the loop.
#[derive(uniffi::Object)]
pub struct BackgroundSync(Mutex<Option<SyncLoop>>);

#[uniffi::export]
impl BackgroundSync {
    /// Stops the loop (idempotent).
    pub fn stop(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take();
    }
}

/// Reminders of upcoming appointments.
#[derive(uniffi::Object)]
pub struct RemindersApi(Reminders);

impl RemindersApi {
    /// Wraps the core's `Reminders`.
    pub(crate) fn new(inner: Reminders) -> Self {
        Self(inner)
    }
}

#[uniffi::export]
impl RemindersApi {
    /// The reminders scheduled now.
    pub async fn scheduled(&self) -> Result<Vec<Reminder>, PsyterError> {
        let reminders = self.0.clone();
        run(async move { reminders.scheduled().await }).await
    }

    /// Plans reminders again from the cache and hands the differences to the notification scheduler.
    pub async fn replan(&self) -> Result<Vec<Reminder>, PsyterError> {
        let reminders = self.0.clone();
        run(async move { reminders.replan().await }).await
    }
}

/// Account settings (server) and device settings (local).
#[derive(uniffi::Object)]
pub struct SettingsApi(Settings);

impl SettingsApi {
    /// Wraps the core's `Settings`.
    pub(crate) fn new(inner: Settings) -> Self {
        Self(inner)
    }
}

#[uniffi::export]
impl SettingsApi {
    /// The account as last known (offline: from the cache).
    pub async fn me(&self) -> Result<Me, PsyterError> {
        let settings = self.0.clone();
        run(async move { settings.me().await }).await
    }

    /// The account, fetched from the server.
    pub async fn refresh(&self) -> Result<Me, PsyterError> {
        let settings = self.0.clone();
        run(async move { settings.refresh().await }).await
    }

    /// Changes the account's name, language, time zone or reminder offsets.
    pub async fn update(&self, update: UpdateMe) -> Result<Me, PsyterError> {
        let settings = self.0.clone();
        run(async move { settings.update(&update).await }).await
    }

    /// This device's settings (biometric unlock, auto-lock).
    pub async fn local(&self) -> Result<LocalSettings, PsyterError> {
        let settings = self.0.clone();
        run(async move { settings.local().await }).await
    }

    /// Turns biometric unlock on or off on this device.
    pub async fn set_biometric(&self, enabled: bool) -> Result<LocalSettings, PsyterError> {
        let settings = self.0.clone();
        run(async move { settings.set_biometric(enabled).await }).await
    }

    /// Sets the idle time before the app locks, in seconds (0: never).
    pub async fn set_auto_lock(&self, secs: u64) -> Result<LocalSettings, PsyterError> {
        let settings = self.0.clone();
        run(async move { settings.set_auto_lock(secs).await }).await
    }
}
