//! Sign-in, sign-out, lock and unlock.

use std::time::Duration;

use psyter_domain::wire::{LoginRequest, Me, RegisterRequest, TokenResponse, TotpSetup};

use super::settings::{LocalSettings, ME_KEY, SETTINGS_KEY};
use super::{Psyter, blocking};
use crate::CoreError;
use crate::platform::BiometricOutcome;
use crate::profile::ProfileRecord;
use crate::session::{SessionPhase, not_signed_in};

/// How long logout waits for the server to revoke the session before finishing locally.
const REVOKE_TIMEOUT: Duration = Duration::from_secs(5);

/// How a locked session can be unlocked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum UnlockMethod {
    /// The biometric prompt (the user turned it on and the platform has one).
    Biometric,
    /// The account password (checked by the server).
    Password,
}

/// Sign-in, sign-out, lock and unlock of the profile.
#[derive(Clone, Debug)]
pub struct Auth {
    psyter: Psyter,
}

impl Auth {
    pub(super) fn new(psyter: Psyter) -> Self {
        Self { psyter }
    }

    /// Creates an account and signs in to it.
    pub async fn register(&self, req: &RegisterRequest) -> Result<Me, CoreError> {
        self.psyter.check_online()?;
        let tokens = self.psyter.session().api().register(req).await?;
        self.begin(tokens).await
    }

    /// Signs in with email and password, and a TOTP code when the account has one enabled (without it
    /// the error is `totp_required`). Signing in as another user than the profile's previous one first
    /// deletes everything of the previous user.
    pub async fn login(&self, email: &str, password: &str, totp_code: Option<&str>) -> Result<Me, CoreError> {
        self.psyter.check_online()?;
        let req = LoginRequest {
            email: email.trim().to_owned(),
            password: password.to_owned(),
            totp_code: totp_code.map(str::to_owned),
        };
        let tokens = self.psyter.session().api().login(&req).await?;
        self.begin(tokens).await
    }

    /// Starts the session from fresh tokens; if that fails on this device (e.g. the keychain refuses),
    /// the new server session is revoked so it does not linger.
    async fn begin(&self, tokens: TokenResponse) -> Result<Me, CoreError> {
        let refresh = tokens.refresh_token.clone();
        let outcome = self.start(tokens).await;
        if let Err(e) = &outcome {
            tracing::warn!(code = e.code(), "signing in failed on this device; revoking the new session");
            let _ = tokio::time::timeout(REVOKE_TIMEOUT, self.psyter.session().api().logout(&refresh)).await;
        }
        outcome
    }

    /// Wipes a previous user's data, opens the stores, stores the refresh token, remembers the account.
    async fn start(&self, tokens: TokenResponse) -> Result<Me, CoreError> {
        let p = &self.psyter;
        let me = tokens.user.clone();
        let record = ProfileRecord { user_id: me.id, role: me.role, server: p.session().api().base_url().to_owned() };
        let paths = p.session().paths().clone();
        let previous = blocking(move || paths.read_record()).await?;
        if previous.as_ref().is_some_and(|r| r.user_id != me.id || r.server != record.server) {
            tracing::info!("another account signs in on this profile; removing the previous account's data");
            p.session().clear();
            p.wipe_profile().await?;
        }
        let stores = match p.stores() {
            Ok(open) if previous.is_some_and(|r| r.user_id == me.id) => open,
            _ => p.open_stores().await?,
        };
        let (paths, rec) = (p.session().paths().clone(), record.clone());
        blocking(move || paths.write_record(&rec)).await?;
        p.session().begin(tokens, record).await?;
        stores.cache.set_meta(ME_KEY, &me).await?;
        let settings = stores.cache.meta::<LocalSettings>(SETTINGS_KEY).await?.unwrap_or_default();
        p.session().set_auto_lock(settings.auto_lock());
        p.set_stores(Some(stores));
        p.inner.wake.notify_one();
        Ok(me)
    }

    /// The signed-in account as last seen (works offline); `not_signed_in` when nobody is.
    pub async fn me(&self) -> Result<Me, CoreError> {
        self.psyter.settings().me().await
    }

    /// Where the session is.
    pub fn phase(&self) -> SessionPhase {
        self.psyter.phase()
    }

    /// Signs out: revokes the session on the server (waiting at most a few seconds; offline it is left
    /// to expire), then deletes the keychain entries, the databases with their WAL and SHM files, and the
    /// profile record. With actions still queued it refuses (`unsent_actions`) unless `force` is set.
    /// Returns whether the server confirmed the revocation.
    pub async fn logout(&self, force: bool) -> Result<bool, CoreError> {
        let p = &self.psyter;
        if let Ok(stores) = p.stores() {
            let pending = stores.outbox.pending().await?.len();
            if pending > 0 && !force {
                return Err(CoreError::Conflict {
                    code: "unsent_actions".into(),
                    detail: format!("{pending} action(s) have not reached the server yet"),
                });
            }
        }
        let mut revoked = false;
        if !p.online() {
            tracing::info!("offline: the server session is left to expire");
        } else if let Some(token) = p.session().refresh_token().await? {
            let text = token.expose_str().unwrap_or_default().to_owned();
            match tokio::time::timeout(REVOKE_TIMEOUT, p.session().api().logout(&text)).await {
                Ok(Ok(())) => revoked = true,
                Ok(Err(e)) => tracing::info!(code = e.code(), "the server did not confirm the logout"),
                Err(_) => tracing::info!("the server did not answer the logout in time"),
            }
        }
        p.session().clear();
        p.wipe_profile().await?;
        Ok(revoked)
    }

    /// Tells the session the user is active (input in the UI), so the idle auto-lock starts over.
    pub fn touch(&self) -> Result<(), CoreError> {
        self.psyter.session().touch()
    }

    /// Locks the session if it has been idle too long, without counting as activity; gives the phase.
    pub fn check_idle(&self) -> SessionPhase {
        self.psyter.session().check_idle()
    }

    /// Locks the session now (e.g. the app went to the background).
    pub fn lock(&self) {
        self.psyter.session().lock();
    }

    /// How a locked session can be unlocked on this device.
    pub async fn unlock_method(&self) -> Result<UnlockMethod, CoreError> {
        let settings = self.psyter.local_settings().await?;
        Ok(if settings.biometric && self.psyter.inner.config.biometric.is_some() {
            UnlockMethod::Biometric
        } else {
            UnlockMethod::Password
        })
    }

    /// Unlocks with the biometric prompt. `biometric_unavailable` means: ask for the password instead.
    pub async fn unlock_with_biometric(&self, reason: &str) -> Result<(), CoreError> {
        let Some(gate) = self.psyter.inner.config.biometric.clone() else {
            return Err(biometric("biometric_unavailable"));
        };
        let reason = reason.to_owned();
        let outcome = tokio::task::spawn_blocking(move || gate.authenticate(&reason))
            .await
            .map_err(|_| biometric("biometric_failed"))?;
        match outcome {
            BiometricOutcome::Passed => self.psyter.session().unlock(),
            BiometricOutcome::Failed => Err(biometric("biometric_failed")),
            BiometricOutcome::Unavailable => Err(biometric("biometric_unavailable")),
        }
    }

    /// Unlocks with the account password (and TOTP code when enabled), checked by signing in again; the
    /// previous server session is then revoked. Needs the network.
    pub async fn unlock_with_password(&self, password: &str, totp_code: Option<&str>) -> Result<(), CoreError> {
        let p = &self.psyter;
        p.check_online()?;
        let me = p.account().await?;
        let old = p.session().refresh_token().await?;
        let req =
            LoginRequest { email: me.email, password: password.to_owned(), totp_code: totp_code.map(str::to_owned) };
        let tokens = p.session().api().login(&req).await?;
        if tokens.user.id != me.id {
            return Err(CoreError::Conflict {
                code: "account_mismatch".into(),
                detail: "the password belongs to another account".into(),
            });
        }
        let record = p.session().user().ok_or_else(not_signed_in)?;
        p.session().begin(tokens, record).await?;
        if let Some(old) = old {
            let text = old.expose_str().unwrap_or_default().to_owned();
            let _ = tokio::time::timeout(REVOKE_TIMEOUT, p.session().api().logout(&text)).await;
        }
        Ok(())
    }

    /// Starts TOTP enrolment: returns the secret to show as a QR code.
    pub async fn totp_setup(&self) -> Result<TotpSetup, CoreError> {
        self.psyter.session().touch()?;
        self.psyter.api(|api, t| async move { api.totp_setup(&t).await }).await
    }

    /// Confirms TOTP enrolment with a current code; sign-in then needs codes.
    pub async fn totp_enable(&self, code: &str) -> Result<Me, CoreError> {
        self.psyter.session().touch()?;
        let me = self.psyter.api(|api, t| async move { api.totp_enable(&t, code).await }).await?;
        self.psyter.stores()?.cache.set_meta(ME_KEY, &me).await?;
        Ok(me)
    }
}

/// A failed or unavailable biometric check.
fn biometric(code: &str) -> CoreError {
    CoreError::Unauthorized { code: code.into() }
}
