//! One encrypted SQLite database file: SQLCipher with a raw 32-byte key, WAL, one writer connection
//! (every write in one `BEGIN IMMEDIATE` transaction), a small pool of read-only connections (every read
//! in one snapshot), both on the blocking pool, and numbered migrations keyed on `user_version`. The
//! cache and the outbox are each one of these.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};
use tokio::sync::Semaphore;
use zeroize::Zeroizing;

use super::schema;
use crate::CoreError;

/// How a database is opened: its migrations, its reader count and page cache sizes.
pub(crate) struct DbSpec {
    /// What the database holds, for error messages ("cache", "outbox").
    pub what: &'static str,
    /// Each entry upgrades the schema from version `i` to `i + 1`.
    pub migrations: &'static [&'static str],
    /// Read-only connections kept open for concurrent reads.
    pub readers: usize,
    /// Page cache of the writer, KiB (SQLite's default is 2000).
    pub writer_cache_kib: i64,
    /// Page cache of each reader, KiB.
    pub reader_cache_kib: i64,
}

/// How long a connection waits for a lock held by another before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The length of a cache key in bytes (256 bits, used raw as SQLCipher's key).
pub const KEY_LEN: usize = 32;

/// Handle to one encrypted database; cheap to clone.
#[derive(Clone)]
pub(crate) struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    reader_permits: Arc<Semaphore>,
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Db").finish_non_exhaustive()
    }
}

impl From<rusqlite::Error> for CoreError {
    /// Maps a SQLite failure without copying data into the error: a file that is not a database (a wrong
    /// key) or a corrupt one becomes `CacheUnreadable`; other failures keep only their SQLite code, except
    /// constraint failures, whose message names only schema objects.
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::SqliteFailure(f, msg) => match f.code {
                ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => CoreError::CacheUnreadable,
                ErrorCode::ConstraintViolation => {
                    CoreError::Storage { detail: msg.unwrap_or_else(|| "constraint failed".into()) }
                }
                code => CoreError::Storage { detail: format!("{code:?} (SQLite code {})", f.extended_code) },
            },
            rusqlite::Error::QueryReturnedNoRows => CoreError::Storage { detail: "expected row missing".into() },
            other => CoreError::Storage { detail: other.to_string() },
        }
    }
}

/// A stored record that no longer decodes (the error's text may quote data, so it is dropped).
pub(crate) fn undecodable(what: &str) -> CoreError {
    CoreError::Storage { detail: format!("a cached {what} does not decode") }
}

impl Db {
    /// Opens (creating if needed) the database at `path` with `key` and brings its schema up to date.
    ///
    /// Blocking (file I/O and migrations): call it from a blocking context. A wrong key, a corrupt file or
    /// a file that is not a database yields [`CoreError::CacheUnreadable`]: `destroy` it and rebuild.
    pub(crate) fn open(path: &Path, key: &[u8; KEY_LEN], spec: &DbSpec) -> Result<Self, CoreError> {
        let mut writer = connect(path, key, OpenFlags::default())?;
        // Every page missing from SQLite's cache is read and decrypted again: a bigger cache made applying
        // sync pages ~1.5x faster (index and full-text pages stay hot). Filled only as pages are touched.
        writer.pragma_update(None, "cache_size", -spec.writer_cache_kib)?;
        let mode: String = writer.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(CoreError::Storage { detail: format!("the {} refused WAL mode (got {mode})", spec.what) });
        }
        schema::migrate(&mut writer, spec.migrations, spec.what)?;
        let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let readers = (0..spec.readers)
            .map(|_| {
                let reader = connect(path, key, read_only)?;
                reader.pragma_update(None, "cache_size", -spec.reader_cache_kib)?;
                Ok(reader)
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        Ok(Self {
            inner: Arc::new(Inner {
                writer: Mutex::new(writer),
                readers: Mutex::new(readers),
                reader_permits: Arc::new(Semaphore::new(spec.readers)),
            }),
        })
    }

    /// Deletes the database at `path` with its `-wal`, `-shm` and `-journal` files (logout, or a rebuild
    /// after `CacheUnreadable`). Drop every handle on it first. Missing files are not an error.
    pub(crate) fn destroy(path: &Path) -> Result<(), CoreError> {
        for file in companion_files(path) {
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(CoreError::Storage { detail: format!("deleting local data failed: {}", e.kind()) });
                }
            }
        }
        Ok(())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction on the writer: commits on `Ok`, rolls back on `Err`.
    /// Once started, a write finishes (commit or rollback) even if the caller stops waiting for it.
    pub(crate) async fn write<T, F>(&self, f: F) -> Result<T, CoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, CoreError> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = inner.writer.lock().unwrap_or_else(PoisonError::into_inner);
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })
        .await
        .map_err(|_| CoreError::Internal { detail: "a cache write task failed".into() })?
    }

    /// Runs `f` in one read transaction (a consistent snapshot) on one of the read-only connections.
    pub(crate) async fn read<T, F>(&self, f: F) -> Result<T, CoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, CoreError> + Send + 'static,
    {
        // The permit moves into the blocking task with the connection: a caller cancelled mid-query can
        // never return one without the other, so the pool cannot drain.
        let permit = self
            .inner
            .reader_permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| CoreError::Internal { detail: "cache reader pool closed".into() })?;
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let conn = inner.readers.lock().unwrap_or_else(PoisonError::into_inner).pop();
            let conn = conn.ok_or_else(|| CoreError::Internal { detail: "cache reader pool empty".into() })?;
            let mut lease = Lease { pool: &inner.readers, conn: Some(conn) };
            let conn = lease.conn.as_mut().ok_or_else(|| CoreError::Internal { detail: "lease empty".into() })?;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&tx)?;
            tx.finish()?;
            Ok(out)
        })
        .await
        .map_err(|_| CoreError::Internal { detail: "a cache read task failed".into() })?
    }
}

/// A reader taken from the pool; it goes back on drop, even if the read fails or panics.
struct Lease<'a> {
    pool: &'a Mutex<Vec<Connection>>,
    conn: Option<Connection>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool.lock().unwrap_or_else(PoisonError::into_inner).push(conn);
        }
    }
}

/// The database file and the files SQLite keeps beside it.
pub(crate) fn companion_files(path: &Path) -> [PathBuf; 4] {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [path.to_path_buf(), with("-wal"), with("-shm"), with("-journal")]
}

/// Opens one connection, keys it first thing, proves the key reads the file, then configures it.
pub(crate) fn connect(path: &Path, key: &[u8; KEY_LEN], flags: OpenFlags) -> Result<Connection, CoreError> {
    let conn = Connection::open_with_flags(path, flags)?;
    // SQLCipher logs decryption failures itself (stderr on desktop, the device log on mobile), around the
    // app's Logger; they reach the caller as `CacheUnreadable` instead. (Process-wide setting.)
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    apply_key(&conn, key)?;
    // The first read of a page decrypts it: a wrong key, or a file that is not an SQLCipher database
    // (plain SQLite, garbage), fails here with SQLITE_NOTADB, which maps to `CacheUnreadable`.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(64);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Sorts and temporary indexes stay in memory, never in a plaintext temp file.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(conn)
}

/// Sets the raw key (`PRAGMA key = "x'<64 hex digits>'"`); the SQL text holding the hex is zeroized on
/// drop and is built in a buffer that never reallocates (so no stray copy is left behind).
fn apply_key(conn: &Connection, key: &[u8; KEY_LEN]) -> Result<(), CoreError> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut sql = Zeroizing::new(String::with_capacity(32 + 2 * KEY_LEN));
    sql.push_str("PRAGMA key = \"x'");
    for b in key {
        sql.push(char::from(HEX[usize::from(b >> 4)]));
        sql.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    sql.push_str("'\";");
    // The error (if any) is replaced: nothing about the statement may reach a log.
    conn.execute_batch(&sql).map_err(|_| CoreError::Storage { detail: "setting the cache key failed".into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> [u8; KEY_LEN] {
        [byte; KEY_LEN]
    }

    const SPEC: DbSpec = DbSpec {
        what: "test",
        migrations: &[
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL) STRICT; INSERT INTO t VALUES (1, 0);",
        ],
        readers: 3,
        writer_cache_kib: 1024,
        reader_cache_kib: 1024,
    };

    fn open(path: &Path, k: [u8; KEY_LEN]) -> Result<Db, CoreError> {
        Db::open(path, &k, &SPEC)
    }

    async fn value(db: &Db) -> i64 {
        db.read(|tx| Ok(tx.query_row("SELECT v FROM t", [], |r| r.get(0))?)).await.expect("read v")
    }

    const READERS: usize = SPEC.readers;

    #[test]
    fn companion_files_sit_beside_the_database() {
        let files = companion_files(Path::new("/x/profile.db"));
        let names: Vec<_> = files.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(names, ["/x/profile.db", "/x/profile.db-wal", "/x/profile.db-shm", "/x/profile.db-journal"]);
    }

    #[test]
    fn not_a_database_and_corruption_mean_unreadable() {
        let failure = |code| rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some("detail".into()));
        assert_eq!(CoreError::from(failure(rusqlite::ffi::SQLITE_NOTADB)), CoreError::CacheUnreadable);
        assert_eq!(CoreError::from(failure(rusqlite::ffi::SQLITE_CORRUPT)), CoreError::CacheUnreadable);
        let other = CoreError::from(failure(rusqlite::ffi::SQLITE_IOERR));
        assert_eq!(other.code(), "storage");
        assert!(!other.to_string().contains("detail"), "SQLite's message may quote data: {other}");
    }

    #[test]
    fn the_key_is_applied_and_checked_on_every_connection() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("c.db");
        drop(open(&path, key(7)).expect("create"));
        for flags in [OpenFlags::default(), OpenFlags::SQLITE_OPEN_READ_ONLY] {
            assert!(connect(&path, &key(7), flags).is_ok());
            assert_eq!(connect(&path, &key(8), flags).expect_err("wrong key"), CoreError::CacheUnreadable);
        }
    }

    #[test]
    fn a_newer_schema_is_refused_at_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("c.db");
        drop(open(&path, key(1)).expect("create"));
        let conn = connect(&path, &key(1), OpenFlags::default()).expect("connect");
        conn.pragma_update(None, "user_version", 1000).expect("bump");
        drop(conn);
        let err = open(&path, key(1)).expect_err("newer schema");
        assert_eq!(err.code(), "storage");
        assert!(err.to_string().contains("newer"), "{err}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn cancelled_reads_never_exhaust_the_reader_pool() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = open(&dir.path().join("c.db"), key(3)).expect("open");
        for _ in 0..(READERS * 3) {
            let slow = cache.read(|_| {
                std::thread::sleep(Duration::from_millis(30));
                Ok(())
            });
            assert!(tokio::time::timeout(Duration::from_millis(1), slow).await.is_err());
        }
        let mut handles = Vec::new();
        for _ in 0..(READERS * 4) {
            let cache = cache.clone();
            handles.push(tokio::spawn(async move {
                cache.read(|tx| Ok(tx.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)).await
            }));
        }
        for h in handles {
            assert_eq!(h.await.expect("join").expect("read succeeds"), 1);
        }
    }

    #[tokio::test]
    async fn a_panicking_read_returns_its_connection() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = open(&dir.path().join("c.db"), key(5)).expect("open");
        for _ in 0..(READERS * 2) {
            let err = cache.read(|_| -> Result<(), CoreError> { panic!("a bug in a read") }).await;
            assert_eq!(err.expect_err("panicked").code(), "internal");
        }
        assert_eq!(value(&cache).await, 0, "the pool is whole");
        assert_eq!(cache.inner.readers.lock().expect("pool").len(), READERS);
    }

    #[tokio::test]
    async fn a_failed_write_rolls_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = open(&dir.path().join("c.db"), key(4)).expect("open");
        let err = cache
            .write(|tx| {
                tx.execute("UPDATE t SET v = 42", [])?;
                Err::<(), _>(CoreError::Internal { detail: "injected".into() })
            })
            .await
            .expect_err("injected failure");
        assert_eq!(err.code(), "internal");
        assert_eq!(value(&cache).await, 0);
    }
}
