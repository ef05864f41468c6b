//! The signed-in session: the access token (in memory only), the refresh token (in the keychain only),
//! single-flight refresh, idle locking and ending the session.
//!
//! Refresh is single-flight and cancel-safe: the first caller that finds the token stale starts one
//! refresh task that owns the refresh lock; everyone else waits on the lock and then sees the new token.
//! The task runs to the end even if every caller goes away, so a rotated refresh token is always stored
//! in the keychain before the new access token is handed out, and never lost mid-way.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use psyter_domain::wire::TokenResponse;
use tokio::sync::broadcast;

use crate::CoreError;
use crate::api::ApiClient;
use crate::events::CoreEvent;
use crate::platform::Clock;
use crate::profile::{ProfilePaths, ProfileRecord};
use crate::secret::{Secret, SecretKey, SecretStore};

/// An access token is refreshed this long before the server says it expires.
const EXPIRY_MARGIN: SignedDuration = SignedDuration::from_secs(30);

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SessionPhase {
    /// Nobody is signed in on this profile.
    SignedOut,
    /// Signed in and usable.
    Active,
    /// Signed in, but locked (idle, or on start with the biometric gate on): unlock first.
    Locked,
}

/// The in-memory access token.
struct Access {
    token: Secret,
    expires_at: Timestamp,
}

/// Mutable session state, behind one short-held lock.
struct State {
    phase: SessionPhase,
    user: Option<ProfileRecord>,
    access: Option<Access>,
    /// Bumped on every new access token: a caller that saw generation `g` fail refreshes only if the
    /// token is still generation `g`.
    generation: u64,
    last_activity: Timestamp,
    auto_lock: Option<Duration>,
}

/// The session of one profile.
pub(crate) struct Session {
    api: ApiClient,
    secrets: Arc<dyn SecretStore>,
    paths: ProfilePaths,
    clock: Arc<dyn Clock>,
    state: Arc<Mutex<State>>,
    refresh_gate: Arc<tokio::sync::Mutex<()>>,
    refreshes: Arc<AtomicU64>,
    events: broadcast::Sender<CoreEvent>,
}

/// Runs a keychain call on the blocking pool (D-Bus round trips, unlock prompts).
pub(crate) async fn keychain<T, F>(secrets: &Arc<dyn SecretStore>, f: F) -> Result<T, CoreError>
where
    T: Send + 'static,
    F: FnOnce(&dyn SecretStore) -> Result<T, CoreError> + Send + 'static,
{
    let secrets = secrets.clone();
    tokio::task::spawn_blocking(move || f(secrets.as_ref()))
        .await
        .map_err(|_| CoreError::Keychain { detail: "the keychain call failed unexpectedly".into() })?
}

impl Session {
    /// A signed-out session of the profile at `paths`.
    pub(crate) fn new(
        api: ApiClient,
        secrets: Arc<dyn SecretStore>,
        paths: ProfilePaths,
        clock: Arc<dyn Clock>,
        auto_lock: Option<Duration>,
        events: broadcast::Sender<CoreEvent>,
    ) -> Arc<Self> {
        let now = clock.now();
        Arc::new(Self {
            api,
            secrets,
            paths,
            clock,
            state: Arc::new(Mutex::new(State {
                phase: SessionPhase::SignedOut,
                user: None,
                access: None,
                generation: 0,
                last_activity: now,
                auto_lock,
            })),
            refresh_gate: Arc::new(tokio::sync::Mutex::new(())),
            refreshes: Arc::new(AtomicU64::new(0)),
            events,
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The API client.
    pub(crate) fn api(&self) -> &ApiClient {
        &self.api
    }

    /// The profile's paths.
    pub(crate) fn paths(&self) -> &ProfilePaths {
        &self.paths
    }

    /// The keychain.
    pub(crate) fn secrets(&self) -> &Arc<dyn SecretStore> {
        &self.secrets
    }

    /// Where the session is.
    pub(crate) fn phase(&self) -> SessionPhase {
        self.state().phase
    }

    /// Who is signed in, if anyone.
    pub(crate) fn user(&self) -> Option<ProfileRecord> {
        self.state().user.clone()
    }

    /// How many refreshes this session has sent to the server.
    pub(crate) fn refresh_count(&self) -> u64 {
        self.refreshes.load(Ordering::SeqCst)
    }

    /// Restores a session on start for `record`, whose refresh token the caller found in the keychain.
    /// The access token is fetched lazily, on the first request.
    pub(crate) fn restore(&self, record: ProfileRecord, locked: bool) {
        let mut st = self.state();
        st.user = Some(record);
        st.phase = if locked { SessionPhase::Locked } else { SessionPhase::Active };
        st.last_activity = self.clock.now();
    }

    /// Starts the session from a fresh sign-in: the refresh token is stored in the keychain first, then
    /// the access token is kept in memory.
    pub(crate) async fn begin(&self, tokens: TokenResponse, record: ProfileRecord) -> Result<(), CoreError> {
        let TokenResponse { access_token, refresh_token, expires_in, .. } = tokens;
        let key = self.paths.refresh_key();
        let refresh = Secret::from(refresh_token);
        keychain(&self.secrets, move |s| s.set(key.as_str(), &refresh)).await?;
        let mut st = self.state();
        st.access = Some(Access { token: Secret::from(access_token), expires_at: expiry(expires_in) });
        st.generation += 1;
        st.user = Some(record);
        st.phase = SessionPhase::Active;
        st.last_activity = self.clock.now();
        Ok(())
    }

    /// Records user activity, or locks the session if it has been idle too long. Every user-facing call
    /// goes through here; background sync does not (it neither unlocks nor keeps the session awake).
    pub(crate) fn touch(&self) -> Result<(), CoreError> {
        let now = self.clock.now();
        let mut st = self.state();
        match st.phase {
            SessionPhase::SignedOut => return Err(not_signed_in()),
            SessionPhase::Locked => return Err(CoreError::Locked),
            SessionPhase::Active => {}
        }
        if Self::idle_too_long(&st, now) {
            st.phase = SessionPhase::Locked;
            drop(st);
            let _ = self.events.send(CoreEvent::Locked);
            return Err(CoreError::Locked);
        }
        st.last_activity = now;
        Ok(())
    }

    /// Locks the session if it has been idle too long, without counting as activity (a shell's timer
    /// calls this so the lock shows while nobody touches the app); gives the phase after the check.
    pub(crate) fn check_idle(&self) -> SessionPhase {
        let mut st = self.state();
        if st.phase == SessionPhase::Active && Self::idle_too_long(&st, self.clock.now()) {
            st.phase = SessionPhase::Locked;
            drop(st);
            let _ = self.events.send(CoreEvent::Locked);
            return SessionPhase::Locked;
        }
        st.phase
    }

    /// Whether the idle limit has passed since the last activity.
    fn idle_too_long(st: &State, now: Timestamp) -> bool {
        let idle = now.duration_since(st.last_activity);
        st.auto_lock.is_some_and(|limit| idle >= SignedDuration::try_from(limit).unwrap_or(SignedDuration::MAX))
    }

    /// Locks the session now (the user asked, or the app went to the background).
    pub(crate) fn lock(&self) {
        let mut st = self.state();
        if st.phase == SessionPhase::Active {
            st.phase = SessionPhase::Locked;
            drop(st);
            let _ = self.events.send(CoreEvent::Locked);
        }
    }

    /// Unlocks a locked session (the caller has checked the biometric gate or the password).
    pub(crate) fn unlock(&self) -> Result<(), CoreError> {
        let mut st = self.state();
        match st.phase {
            SessionPhase::SignedOut => Err(not_signed_in()),
            SessionPhase::Active | SessionPhase::Locked => {
                st.phase = SessionPhase::Active;
                st.last_activity = self.clock.now();
                Ok(())
            }
        }
    }

    /// Changes the idle time after which the session locks (`None`: never).
    pub(crate) fn set_auto_lock(&self, idle: Option<Duration>) {
        self.state().auto_lock = idle;
    }

    /// A valid access token and its generation, refreshing first if there is none or it is about to
    /// expire. Works while locked (background sync); user calls check the lock with `touch`.
    async fn access_token(&self) -> Result<(String, u64), CoreError> {
        loop {
            let seen = {
                let st = self.state();
                if st.phase == SessionPhase::SignedOut {
                    return Err(not_signed_in());
                }
                match &st.access {
                    Some(a) if a.expires_at > Timestamp::now() => {
                        let token = a.token.expose_str().unwrap_or_default().to_owned();
                        return Ok((token, st.generation));
                    }
                    _ => st.generation,
                }
            };
            self.refresh(seen).await?;
        }
    }

    /// Runs `call` with a valid access token; if the server says the token is no longer valid, refreshes
    /// once (single-flight) and runs it again. A revoked session ends the session.
    pub(crate) async fn authed<T, F, Fut>(&self, call: F) -> Result<T, CoreError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, CoreError>>,
    {
        let (token, generation) = self.access_token().await?;
        match call(token).await {
            Err(CoreError::Unauthorized { code }) if code == "token_invalid" || code == "unauthorized" => {
                self.refresh(generation).await?;
                let (token, _) = self.access_token().await?;
                self.ended_on(call(token).await).await
            }
            other => self.ended_on(other).await,
        }
    }

    /// Ends the session if `result` says the server ended it.
    async fn ended_on<T>(&self, result: Result<T, CoreError>) -> Result<T, CoreError> {
        if matches!(result, Err(CoreError::SessionEnded)) {
            self.end().await;
        }
        result
    }

    /// Refreshes the access token unless it has changed since generation `seen`. One refresh at a time;
    /// the work runs in its own task holding the lock, so a caller going away cannot interrupt it.
    async fn refresh(&self, seen: u64) -> Result<(), CoreError> {
        let guard = self.refresh_gate.clone().lock_owned().await;
        if self.state().generation != seen {
            return Ok(());
        }
        let api = self.api.clone();
        let secrets = self.secrets.clone();
        let key = self.paths.refresh_key();
        let (state, refreshes) = (self.state.clone(), self.refreshes.clone());
        // The new token is in place before the lock is released, so whoever waited on the lock sees
        // the new generation and does not refresh again.
        let task = tokio::spawn(async move {
            let _guard = guard;
            let (access, expires_in) = rotate(&api, &secrets, key).await?;
            refreshes.fetch_add(1, Ordering::SeqCst);
            let mut st = state.lock().unwrap_or_else(PoisonError::into_inner);
            st.access = Some(Access { token: access, expires_at: expiry(expires_in) });
            st.generation += 1;
            Ok(())
        });
        let outcome = task.await.map_err(|_| CoreError::Internal { detail: "the refresh task failed".into() })?;
        match outcome {
            Ok(()) => Ok(()),
            Err(e @ (CoreError::SessionEnded | CoreError::Unauthorized { .. })) => {
                tracing::info!(code = e.code(), "the server ended the session");
                self.end().await;
                Err(CoreError::SessionEnded)
            }
            Err(e) => Err(e),
        }
    }

    /// Ends the session locally: forgets the access token, deletes the refresh token from the keychain
    /// and tells subscribers. Keys and local data stay (the same user may sign in again); logout and a
    /// different user signing in remove them.
    pub(crate) async fn end(&self) {
        let was = {
            let mut st = self.state();
            st.access = None;
            st.generation += 1;
            std::mem::replace(&mut st.phase, SessionPhase::SignedOut)
        };
        let key = self.paths.refresh_key();
        if let Err(e) = keychain(&self.secrets, move |s| s.delete(key.as_str())).await {
            tracing::warn!(code = e.code(), "deleting the refresh token failed");
        }
        if was != SessionPhase::SignedOut {
            let _ = self.events.send(CoreEvent::SessionEnded);
        }
    }

    /// The stored refresh token (for logout), if any.
    pub(crate) async fn refresh_token(&self) -> Result<Option<Secret>, CoreError> {
        let key = self.paths.refresh_key();
        keychain(&self.secrets, move |s| s.get(key.as_str())).await
    }

    /// Forgets the signed-in user after logout or when another user takes over the profile.
    pub(crate) fn clear(&self) {
        let mut st = self.state();
        st.user = None;
        st.access = None;
        st.generation += 1;
        st.phase = SessionPhase::SignedOut;
    }
}

/// Exchanges the stored refresh token for a new pair and stores the new refresh token before the new
/// access token is returned.
async fn rotate(api: &ApiClient, secrets: &Arc<dyn SecretStore>, key: SecretKey) -> Result<(Secret, i64), CoreError> {
    let read_key = key.clone();
    let Some(current) = keychain(secrets, move |s| s.get(read_key.as_str())).await? else {
        return Err(CoreError::SessionEnded);
    };
    let text = current.expose_str().ok_or(CoreError::SessionEnded)?.to_owned();
    let tokens = api.refresh(&text).await?;
    let refresh = Secret::from(tokens.refresh_token);
    keychain(secrets, move |s| s.set(key.as_str(), &refresh)).await?;
    Ok((Secret::from(tokens.access_token), tokens.expires_in))
}

/// When an access token that lives `expires_in` seconds from now should be replaced.
fn expiry(expires_in: i64) -> Timestamp {
    let lifetime = SignedDuration::from_secs(expires_in.max(0)) - EXPIRY_MARGIN;
    Timestamp::now().checked_add(lifetime).unwrap_or_else(|_| Timestamp::now())
}

/// The error for a call that needs a signed-in user.
pub(crate) fn not_signed_in() -> CoreError {
    CoreError::Unauthorized { code: "not_signed_in".into() }
}
