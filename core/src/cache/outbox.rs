//! The durable outbox: user actions stored before they are sent, each with its idempotency key, in their
//! own encrypted database file.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::db::{Db, DbSpec, KEY_LEN};
use super::{schema, undecodable};
use crate::CoreError;

/// How the outbox database is opened: small, one reader.
const OUTBOX_SPEC: DbSpec = DbSpec {
    what: "outbox",
    migrations: schema::OUTBOX_MIGRATIONS,
    readers: 1,
    writer_cache_kib: 512,
    reader_cache_kib: 512,
};

/// Handle to one profile's outbox; cheap to clone.
#[derive(Clone)]
pub struct Outbox {
    db: Db,
}

impl fmt::Debug for Outbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outbox").finish_non_exhaustive()
    }
}

/// What a queued user action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum OutboxKind {
    /// Book a slot (target: the provider).
    Book,
    /// Cancel an appointment.
    Cancel,
    /// Move an appointment to another slot.
    Reschedule,
    /// A provider's status change (arrived, fulfilled, noshow, entered-in-error).
    Status,
    /// Write or delete a session note.
    Note,
}

impl OutboxKind {
    /// Every kind.
    pub const ALL: [OutboxKind; 5] = [Self::Book, Self::Cancel, Self::Reschedule, Self::Status, Self::Note];

    /// The stable word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Book => "book",
            Self::Cancel => "cancel",
            Self::Reschedule => "reschedule",
            Self::Status => "status",
            Self::Note => "note",
        }
    }
}

/// Where an outbox entry is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting to be sent (again, after a transient failure).
    Queued,
    /// Being sent; found in this state after a crash, it is sent again with the same key.
    Sending,
    /// Refused for good (e.g. slot taken); kept for the user to see.
    Failed,
    /// Applied by the server; never sent again.
    Done,
}

impl OutboxState {
    /// Every state.
    pub const ALL: [OutboxState; 4] = [Self::Queued, Self::Sending, Self::Failed, Self::Done];

    /// The stable word stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Failed => "failed",
            Self::Done => "done",
        }
    }
}

macro_rules! from_word {
    ($ty:ty, $what:literal) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = CoreError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| undecodable($what))
            }
        }
    };
}
from_word!(OutboxKind, "outbox kind");
from_word!(OutboxState, "outbox state");

/// A user action to store in the outbox before it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    /// What the action does.
    pub kind: OutboxKind,
    /// The appointment it is about (for a booking: the provider).
    pub target_id: String,
    /// The request body to send, as JSON.
    pub payload: serde_json::Value,
    /// The `Idempotency-Key` every attempt sends, so replays apply once.
    pub idempotency_key: String,
}

/// An action stored in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    /// Position in the outbox (send order).
    pub id: i64,
    /// What the action does.
    pub kind: OutboxKind,
    /// The appointment it is about (for a booking: the provider).
    pub target_id: String,
    /// The request body to send, as JSON.
    pub payload: serde_json::Value,
    /// The `Idempotency-Key` every attempt sends.
    pub idempotency_key: String,
    /// Where the entry is in its life.
    pub state: OutboxState,
    /// How many times sending has started.
    pub attempts: u32,
    /// The error code of the last failed attempt, if any.
    pub last_error_code: Option<String>,
    /// When the action was queued.
    pub created_at: Timestamp,
    /// When the entry last changed.
    pub updated_at: Timestamp,
    /// The appointment the server's answer named, once done (for a booking: its real id).
    pub result_id: Option<String>,
}

const COLUMNS: &str = "id, kind, target_id, payload, idempotency_key, state, attempts, last_error_code, created_at, \
     updated_at, result_id";

fn entry_of(r: &Row<'_>) -> Result<OutboxEntry, CoreError> {
    let time = |ms: i64| Timestamp::from_millisecond(ms).map_err(|_| undecodable("outbox time"));
    Ok(OutboxEntry {
        id: r.get(0)?,
        kind: r.get::<_, String>(1)?.parse()?,
        target_id: r.get(2)?,
        payload: serde_json::from_str(&r.get::<_, String>(3)?).map_err(|_| undecodable("outbox payload"))?,
        idempotency_key: r.get(4)?,
        state: r.get::<_, String>(5)?.parse()?,
        attempts: r.get(6)?,
        last_error_code: r.get(7)?,
        created_at: time(r.get(8)?)?,
        updated_at: time(r.get(9)?)?,
        result_id: r.get(10)?,
    })
}

fn entry_in(
    tx: &Transaction<'_>,
    sql_where: &str,
    key: &dyn rusqlite::ToSql,
) -> Result<Option<OutboxEntry>, CoreError> {
    let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM outbox WHERE {sql_where}"))?;
    let mut rows = stmt.query([key])?;
    rows.next()?.map(entry_of).transpose()
}

impl Outbox {
    /// Opens (creating if needed) the outbox at `path` with `key` (blocking; see `Cache::open`).
    pub fn open(path: &Path, key: &[u8; KEY_LEN]) -> Result<Self, CoreError> {
        Ok(Self { db: Db::open(path, key, &OUTBOX_SPEC)? })
    }

    /// Deletes the outbox at `path` with its companion files (logout only: it holds unsent actions).
    pub fn destroy(path: &Path) -> Result<(), CoreError> {
        Db::destroy(path)
    }

    /// Stores a user action durably (committed before this returns) and gives its outbox id. Enqueuing
    /// the same action again under the same idempotency key returns the first id; a different action
    /// under a used key is refused.
    pub async fn enqueue(&self, item: OutboxItem) -> Result<i64, CoreError> {
        if item.idempotency_key.is_empty() || item.target_id.is_empty() {
            return Err(CoreError::Internal { detail: "outbox item without key or target".into() });
        }
        let payload = serde_json::to_string(&item.payload).map_err(|_| undecodable("outbox payload"))?;
        let now = Timestamp::now().as_millisecond();
        self.db
            .write(move |tx| {
                let inserted: Option<i64> = tx
                    .prepare_cached(
                        "INSERT INTO outbox (kind, target_id, payload, idempotency_key, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
                    )?
                    .query_row(params![item.kind.as_str(), item.target_id, payload, item.idempotency_key, now], |r| {
                        r.get(0)
                    })
                    .optional()?;
                if let Some(id) = inserted {
                    return Ok(id);
                }
                let existing = entry_in(tx, "idempotency_key = ?1", &item.idempotency_key)?
                    .ok_or_else(|| CoreError::Storage { detail: "outbox key conflict without a row".into() })?;
                if (existing.kind, &existing.target_id, &existing.payload)
                    == (item.kind, &item.target_id, &item.payload)
                {
                    Ok(existing.id)
                } else {
                    Err(CoreError::Internal { detail: "idempotency key reused for a different action".into() })
                }
            })
            .await
    }

    /// Puts a refused entry back in the queue under a new idempotency key, keeping its place and its
    /// placeholder; false when it is not a refused entry.
    pub async fn requeue(&self, id: i64, idempotency_key: &str) -> Result<bool, CoreError> {
        let key = idempotency_key.to_owned();
        let now = Timestamp::now().as_millisecond();
        self.db
            .write(move |tx| {
                let changed = tx.prepare_cached(
                    "UPDATE outbox SET state = 'queued', idempotency_key = ?2, attempts = 0, last_error_code = NULL,
                     updated_at = ?3 WHERE id = ?1 AND state = 'failed'",
                )?
                .execute(params![id, key, now])?;
                Ok(changed == 1)
            })
            .await
    }

    /// Entries still to send (queued, or sending when the app stopped), oldest first.
    pub async fn pending(&self) -> Result<Vec<OutboxEntry>, CoreError> {
        self.entries_where("state IN ('queued', 'sending')").await
    }

    /// Entries not yet applied (queued, sending or failed), oldest first: what the lists overlay on the
    /// cached records ("cancellation pending", "booking refused: slot taken").
    pub async fn unapplied(&self) -> Result<Vec<OutboxEntry>, CoreError> {
        self.entries_where("state <> 'done'").await
    }

    /// Every entry matching a fixed condition (never input), oldest first.
    async fn entries_where(&self, condition: &'static str) -> Result<Vec<OutboxEntry>, CoreError> {
        self.db
            .read(move |tx| {
                let mut stmt =
                    tx.prepare_cached(&format!("SELECT {COLUMNS} FROM outbox WHERE {condition} ORDER BY id"))?;
                let mut rows = stmt.query([])?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(entry_of(r)?);
                }
                Ok(out)
            })
            .await
    }

    /// Deletes an entry that is not in flight (a failed one the user dismissed, or one whose failure was
    /// reported to the caller directly). Returns whether it existed.
    pub async fn remove(&self, id: i64) -> Result<bool, CoreError> {
        self.db
            .write(move |tx| {
                let n = tx.prepare_cached("DELETE FROM outbox WHERE id = ?1 AND state <> 'sending'")?.execute([id])?;
                Ok(n == 1)
            })
            .await
    }

    /// Forgets entries applied before `before` (done entries are kept a while for diagnostics only).
    pub async fn prune_done(&self, before: Timestamp) -> Result<usize, CoreError> {
        let before = before.as_millisecond();
        self.db
            .write(move |tx| {
                Ok(tx
                    .prepare_cached("DELETE FROM outbox WHERE state = 'done' AND updated_at < ?1")?
                    .execute([before])?)
            })
            .await
    }

    /// Marks an entry done, recording the appointment the server's answer named.
    pub async fn complete(&self, id: i64, result_id: Option<&str>) -> Result<(), CoreError> {
        self.mark(id, OutboxState::Done, None).await?;
        let result_id = result_id.map(str::to_owned);
        self.db
            .write(move |tx| {
                tx.prepare_cached("UPDATE outbox SET result_id = ?2 WHERE id = ?1")?.execute(params![id, result_id])?;
                Ok(())
            })
            .await
    }

    /// One outbox entry by id, if it exists.
    pub async fn entry(&self, id: i64) -> Result<Option<OutboxEntry>, CoreError> {
        self.db.read(move |tx| entry_in(tx, "id = ?1", &id)).await
    }

    /// Moves an entry to `state`, recording `error_code` (or clearing it with `None`). Moving to
    /// `Sending` counts an attempt. A `Done` entry is final: changing it is refused, so it is never
    /// sent twice.
    pub async fn mark(&self, id: i64, state: OutboxState, error_code: Option<&str>) -> Result<(), CoreError> {
        let error_code = error_code.map(str::to_owned);
        let now = Timestamp::now().as_millisecond();
        self.db
            .write(move |tx| {
                let current: Option<String> = tx
                    .prepare_cached("SELECT state FROM outbox WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                match current.as_deref() {
                    None => return Err(CoreError::NotFound),
                    Some("done") if state != OutboxState::Done => {
                        return Err(CoreError::Internal { detail: "a done outbox entry cannot change state".into() });
                    }
                    Some(_) => {}
                }
                tx.prepare_cached(
                    "UPDATE outbox SET state = ?2, last_error_code = ?3, updated_at = ?4,
                     attempts = attempts + (?2 = 'sending')
                 WHERE id = ?1",
                )?
                .execute(params![id, state.as_str(), error_code, now])?;
                Ok(())
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for k in OutboxKind::ALL {
            assert_eq!(k.to_string().parse::<OutboxKind>().expect("kind"), k);
        }
        for s in OutboxState::ALL {
            assert_eq!(s.to_string().parse::<OutboxState>().expect("state"), s);
        }
        assert_eq!("nope".parse::<OutboxKind>().expect_err("unknown").code(), "storage");
    }
}
