//! Opening a profile's cache and outbox with their keychain keys, rebuilding what cannot be read,
//! reconciling booking placeholders with the outbox, and wiping a profile.

use std::collections::HashSet;
use std::path::PathBuf;

use psyter_domain::wire::Appointment;

use super::{Psyter, blocking};
use crate::CoreError;
use crate::cache::{Cache, KEY_LEN, Outbox, OutboxEntry, OutboxKind};
use crate::events::CoreEvent;
use crate::secret::{Secret, SecretKey};
use crate::session::keychain;

/// A profile's open databases.
#[derive(Clone)]
pub(crate) struct Stores {
    /// The rebuildable offline copy.
    pub cache: Cache,
    /// The queued actions.
    pub outbox: Outbox,
}

/// The placeholder appointment a booking entry carries (`payload.placeholder`).
pub(crate) fn placeholder_of(entry: &OutboxEntry) -> Option<Appointment> {
    (entry.kind == OutboxKind::Book)
        .then(|| serde_json::from_value(entry.payload.get("placeholder")?.clone()).ok())
        .flatten()
}

impl Psyter {
    /// Opens (creating when needed) the profile's cache and outbox. A cache that cannot be read is
    /// deleted and created empty (the next sync refills it); an unreadable outbox is reset and reported.
    pub(super) async fn open_stores(&self) -> Result<Stores, CoreError> {
        let paths = self.session().paths().clone();
        let dir = paths.clone();
        blocking(move || dir.ensure_dir()).await?;
        let cache_key = self.key_for(paths.cache_key(), paths.cache()).await?;
        let outbox_key = self.key_for(paths.outbox_key(), paths.outbox()).await?;
        let (cache, rebuilt) = open_or_reset(paths.cache(), cache_key, Cache::open, Cache::destroy).await?;
        if rebuilt {
            tracing::warn!("the cache could not be read and was rebuilt; queued actions are kept");
            self.emit(CoreEvent::CacheRebuilt);
        }
        let (outbox, reset) = open_or_reset(paths.outbox(), outbox_key, Outbox::open, Outbox::destroy).await?;
        if reset {
            tracing::error!("the outbox could not be read and was reset");
            self.emit(CoreEvent::OutboxLost);
        }
        let stores = Stores { cache, outbox };
        reconcile(&stores).await?;
        Ok(stores)
    }

    /// The 32-byte key stored under `key`, creating a random one when there is none (or it is not a
    /// key). A new key means the old file can never be read again, so it is deleted first.
    async fn key_for(&self, key: SecretKey, file: PathBuf) -> Result<Secret, CoreError> {
        let name = key.clone();
        let stored = keychain(self.session().secrets(), move |s| s.get(name.as_str())).await?;
        if let Some(secret) = stored.filter(|s| s.len() == KEY_LEN) {
            return Ok(secret);
        }
        blocking(move || Cache::destroy(&file)).await?;
        let fresh = Secret::random(KEY_LEN)?;
        let value = fresh.clone();
        keychain(self.session().secrets(), move |s| s.set(key.as_str(), &value)).await?;
        Ok(fresh)
    }

    /// Closes the stores and deletes everything of the profile: databases (with WAL and SHM), keychain
    /// entries and the profile record.
    pub(super) async fn wipe_profile(&self) -> Result<(), CoreError> {
        self.set_stores(None);
        let paths = self.session().paths().clone();
        let files = paths.clone();
        blocking(move || {
            Cache::destroy(&files.cache())?;
            Outbox::destroy(&files.outbox())?;
            files.delete_record()
        })
        .await?;
        for key in SecretKey::all_for(&paths.name) {
            keychain(self.session().secrets(), move |s| s.delete(key.as_str())).await?;
        }
        Ok(())
    }
}

/// Opens a database; if it cannot be read, deletes it and opens a fresh one. Returns whether it did.
async fn open_or_reset<T: Send + 'static>(
    path: PathBuf,
    key: Secret,
    open: fn(&std::path::Path, &[u8; KEY_LEN]) -> Result<T, CoreError>,
    destroy: fn(&std::path::Path) -> Result<(), CoreError>,
) -> Result<(T, bool), CoreError> {
    blocking(move || {
        let key: &[u8; KEY_LEN] = key
            .expose()
            .try_into()
            .map_err(|_| CoreError::Internal { detail: "a storage key has the wrong length".into() })?;
        match open(&path, key) {
            Ok(db) => Ok((db, false)),
            Err(CoreError::CacheUnreadable) => {
                destroy(&path)?;
                Ok((open(&path, key)?, true))
            }
            Err(e) => Err(e),
        }
    })
    .await
}

/// Makes the cache's booking placeholders match the outbox: one for every booking not yet applied
/// (so they come back after a rebuild), none for bookings that are done or gone.
async fn reconcile(stores: &Stores) -> Result<(), CoreError> {
    let unapplied = stores.outbox.unapplied().await?;
    let placeholders: HashSet<i64> = stores.cache.placeholder_ids().await?.into_iter().collect();
    let mut wanted = HashSet::new();
    for entry in &unapplied {
        let Some(placeholder) = placeholder_of(entry) else { continue };
        wanted.insert(entry.id);
        if !placeholders.contains(&entry.id) {
            stores.cache.add_placeholder(entry.id, &placeholder).await?;
        }
    }
    for stale in placeholders.difference(&wanted) {
        stores.cache.resolve_placeholder(*stale, None).await?;
    }
    Ok(())
}
