//! Encrypted local storage of one user profile, in two SQLCipher files opened with random 32-byte raw
//! keys from the keychain (no passphrase KDF, so opening is fast):
//!
//! - the **cache** ([`Cache`]): the offline copy of appointments, providers, notes, the feed cursor and
//!   the history search index. It can always be rebuilt from the server, so a wrong key or a corrupt file
//!   is answered by deleting and re-syncing it.
//! - the **outbox** ([`Outbox`]): user actions not yet applied by the server. Small, rarely written, and
//!   in its own file with its own key, so a cache rebuild never loses a queued action.
//!
//! Everything here is storage: no network. The sync, outbox sender and history code build on it.

mod appointments;
mod db;
mod local;
mod outbox;
mod schema;
mod sync;

use std::fmt;
use std::path::Path;

use rusqlite::Transaction;

pub use appointments::{AppointmentFilter, CachedPage, MAX_PAGE, PageCursor};
pub use db::KEY_LEN;
pub use outbox::{Outbox, OutboxEntry, OutboxItem, OutboxKind, OutboxState};
pub use sync::SyncState;

pub(crate) use db::undecodable;
use db::{Db, DbSpec};

use crate::CoreError;

/// How the cache database is opened.
const CACHE_SPEC: DbSpec = DbSpec {
    what: "cache",
    migrations: schema::CACHE_MIGRATIONS,
    readers: 3,
    writer_cache_kib: 8 * 1024,
    reader_cache_kib: 4 * 1024,
};

/// Handle to one profile's encrypted cache; cheap to clone, shared by every part of the core.
#[derive(Clone)]
pub struct Cache {
    db: Db,
}

impl fmt::Debug for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cache").finish_non_exhaustive()
    }
}

impl Cache {
    /// Opens (creating if needed) the cache at `path` with `key` and brings its schema up to date.
    ///
    /// Blocking (file I/O and migrations): call it from a blocking context. A wrong key, a corrupt file or
    /// a file that is not a database yields [`CoreError::CacheUnreadable`]: `destroy` it and rebuild.
    pub fn open(path: &Path, key: &[u8; KEY_LEN]) -> Result<Self, CoreError> {
        Ok(Self { db: Db::open(path, key, &CACHE_SPEC)? })
    }

    /// Deletes the cache at `path` with its `-wal`, `-shm` and `-journal` files (logout, or a rebuild
    /// after `CacheUnreadable`). Drop every `Cache` handle on it first. Missing files are not an error.
    pub fn destroy(path: &Path) -> Result<(), CoreError> {
        Db::destroy(path)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction on the writer: commits on `Ok`, rolls back on `Err`.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, CoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, CoreError> + Send + 'static,
    {
        self.db.write(f).await
    }

    /// Runs `f` in one read transaction (a consistent snapshot) on one of the read-only connections.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, CoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, CoreError> + Send + 'static,
    {
        self.db.read(f).await
    }
}
