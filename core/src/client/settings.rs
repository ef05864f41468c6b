//! Account settings (kept on the server: name, locale, time zone, reminder times) and device settings
//! (kept in the encrypted cache: biometric unlock, auto-lock).

use std::time::Duration;

use psyter_domain::wire::{Me, UpdateMe};
use serde::{Deserialize, Serialize};

use super::{Psyter, idle_limit};
use crate::CoreError;

/// Meta key of the cached account record.
pub(crate) const ME_KEY: &str = "me";
/// Meta key of the device settings.
pub(crate) const SETTINGS_KEY: &str = "settings";

/// Default idle time before the session locks: 5 minutes, as health apps commonly do.
const DEFAULT_AUTO_LOCK_SECS: u64 = 300;

/// Settings of this device for this profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LocalSettings {
    /// Unlocking requires the biometric prompt.
    pub biometric: bool,
    /// Idle seconds before the session locks (0: never).
    pub auto_lock_secs: u64,
}

impl Default for LocalSettings {
    fn default() -> Self {
        Self { biometric: false, auto_lock_secs: DEFAULT_AUTO_LOCK_SECS }
    }
}

impl LocalSettings {
    /// The idle limit, if any.
    pub fn auto_lock(&self) -> Option<Duration> {
        idle_limit(self.auto_lock_secs)
    }
}

/// Account and device settings.
#[derive(Clone, Debug)]
pub struct Settings {
    psyter: Psyter,
}

impl Psyter {
    /// The account record: cached, or fetched and cached when the cache has none (after a rebuild).
    pub(super) async fn account(&self) -> Result<Me, CoreError> {
        let cache = self.stores()?.cache;
        if let Some(me) = cache.meta::<Me>(ME_KEY).await? {
            return Ok(me);
        }
        let me = self.api(|api, t| async move { api.me(&t).await }).await?;
        cache.set_meta(ME_KEY, &me).await?;
        Ok(me)
    }

    /// The device settings (defaults before any change).
    pub(super) async fn local_settings(&self) -> Result<LocalSettings, CoreError> {
        Ok(self.stores()?.cache.meta::<LocalSettings>(SETTINGS_KEY).await?.unwrap_or_default())
    }
}

impl Settings {
    pub(super) fn new(psyter: Psyter) -> Self {
        Self { psyter }
    }

    /// The account as last seen (offline once cached).
    pub async fn me(&self) -> Result<Me, CoreError> {
        self.psyter.session().touch()?;
        self.psyter.account().await
    }

    /// Fetches the account from the server and caches it.
    pub async fn refresh(&self) -> Result<Me, CoreError> {
        self.psyter.session().touch()?;
        let me = self.psyter.api(|api, t| async move { api.me(&t).await }).await?;
        self.psyter.stores()?.cache.set_meta(ME_KEY, &me).await?;
        Ok(me)
    }

    /// Changes account settings on the server (validated there) and caches the result; reminders are
    /// re-planned when their times change.
    pub async fn update(&self, update: &UpdateMe) -> Result<Me, CoreError> {
        self.psyter.session().touch()?;
        let me = self.psyter.api(|api, t| async move { api.update_me(&t, update).await }).await?;
        self.psyter.stores()?.cache.set_meta(ME_KEY, &me).await?;
        if update.reminder_minutes.is_some() {
            self.psyter.reminders().replan().await?;
        }
        Ok(me)
    }

    /// The device settings.
    pub async fn local(&self) -> Result<LocalSettings, CoreError> {
        self.psyter.session().touch()?;
        self.psyter.local_settings().await
    }

    /// Turns biometric unlock on or off; turning it on needs a passing biometric check first.
    pub async fn set_biometric(&self, enabled: bool) -> Result<LocalSettings, CoreError> {
        if enabled {
            self.psyter.auth().unlock_with_biometric("Turn on biometric unlock").await?;
        }
        self.change(|s| s.biometric = enabled).await
    }

    /// Sets the idle seconds before the session locks (0: never).
    pub async fn set_auto_lock(&self, secs: u64) -> Result<LocalSettings, CoreError> {
        let settings = self.change(|s| s.auto_lock_secs = secs).await?;
        self.psyter.session().set_auto_lock(settings.auto_lock());
        Ok(settings)
    }

    async fn change(&self, edit: impl FnOnce(&mut LocalSettings)) -> Result<LocalSettings, CoreError> {
        self.psyter.session().touch()?;
        let mut settings = self.psyter.local_settings().await?;
        edit(&mut settings);
        self.psyter.stores()?.cache.set_meta(SETTINGS_KEY, &settings).await?;
        Ok(settings)
    }
}
