//! SQLite access: one writer connection (every write in `BEGIN IMMEDIATE`), a small pool of readers,
//! WAL mode, and schema migrations keyed on `PRAGMA user_version`.

mod schema;

use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use tokio::sync::Semaphore;

use crate::error::{ApiError, ApiResult};

pub use schema::{SCHEMA_VERSION, migrate};

/// Readers kept open for concurrent reads.
const READERS: usize = 4;

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    reader_permits: Arc<Semaphore>,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Every query text is fixed or one of a few filter combinations: keep them all prepared.
    conn.set_prepared_statement_cache_capacity(128);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

impl Db {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let mut writer = Connection::open(path).with_context(|| format!("opening database {}", path.display()))?;
        let mode: String = writer.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        anyhow::ensure!(mode.eq_ignore_ascii_case("wal"), "database refused WAL mode (got {mode})");
        configure(&writer)?;
        migrate(&mut writer).context("migrating schema")?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let r = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
            )?;
            configure(&r)?;
            // Readers map the file (no copy per page read) and keep a larger page cache.
            r.pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
            r.pragma_update(None, "cache_size", -16 * 1024)?;
            readers.push(r);
        }
        Ok(Self {
            inner: Arc::new(Inner {
                writer: Mutex::new(writer),
                readers: Mutex::new(readers),
                reader_permits: Arc::new(Semaphore::new(READERS)),
            }),
        })
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction on the writer; commits on `Ok`, rolls back on `Err`.
    pub async fn write<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> ApiResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = inner.writer.lock().unwrap_or_else(|p| p.into_inner());
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
    }

    /// Runs `f` in a read transaction on one of the readers (a consistent snapshot).
    pub async fn read<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> ApiResult<T> + Send + 'static,
    {
        // The permit moves into the blocking task: if the caller is cancelled mid-query, the connection
        // and its permit are returned together when the query finishes, never one without the other.
        let permit =
            self.inner.reader_permits.clone().acquire_owned().await.map_err(|e| ApiError::Internal(e.into()))?;
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let mut conn = {
                let mut pool = inner.readers.lock().unwrap_or_else(|p| p.into_inner());
                pool.pop().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("reader pool empty")))?
            };
            let result = (|| {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
                let out = f(&tx)?;
                tx.finish()?;
                Ok(out)
            })();
            inner.readers.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
            result
        })
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
    }

    /// Runs `f` on the writer outside any transaction (for bulk seeding that manages its own).
    pub fn with_writer<T>(&self, f: impl FnOnce(&mut Connection) -> anyhow::Result<T>) -> anyhow::Result<T> {
        let mut conn = self.inner.writer.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn cancelled_reads_never_exhaust_the_reader_pool() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(&dir.path().join("t.db")).expect("open");
        // Callers that give up mid-query (a client disconnecting) must not leak connections.
        for _ in 0..(READERS * 3) {
            let slow = db.read(|_| {
                std::thread::sleep(Duration::from_millis(30));
                Ok(())
            });
            assert!(tokio::time::timeout(Duration::from_millis(1), slow).await.is_err());
        }
        let mut handles = Vec::new();
        for _ in 0..(READERS * 4) {
            let db = db.clone();
            handles.push(tokio::spawn(async move {
                db.read(|tx| Ok(tx.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)).await
            }));
        }
        for h in handles {
            assert_eq!(h.await.expect("join").expect("read succeeds"), 1);
        }
    }
}
