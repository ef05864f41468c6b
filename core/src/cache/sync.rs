//! Applying the server's change feed to the cache, one page per transaction, and the stored cursor.

use jiff::Timestamp;
use psyter_domain::wire::{Appointment, ChangeKind, ChangeOp, SyncPage};
use psyter_domain::{AppointmentStatus, ProviderProfile};
use rusqlite::{Transaction, params};

use super::{Cache, undecodable};
use crate::CoreError;

/// How far the cache has applied the server's change feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncState {
    /// Pass as `since` to fetch the next page of the feed (0 before the first sync).
    pub cursor: i64,
    /// When the last page was applied, if ever.
    pub last_sync_at: Option<Timestamp>,
}

/// One change of a page, already encoded for storage (done before taking the writer).
enum Op {
    /// Insert or replace an appointment (unless the cache holds a newer version).
    Appointment(AppointmentRow),
    /// A tombstone without a record: mark the cached appointment cancelled, keeping it as history.
    Withdraw { id: String },
    /// Insert or replace a note.
    Note { appointment_id: String, body: String, updated_at: String },
    /// Delete a note.
    DeleteNote { appointment_id: String },
}

/// An appointment's indexed columns and its whole record.
pub(crate) struct AppointmentRow {
    pub(crate) id: String,
    patient_id: String,
    provider_id: String,
    start_ms: i64,
    end_ms: i64,
    status: &'static str,
    version: i64,
    record: String,
}

/// A provider profile to store.
pub(crate) struct ProviderRow {
    id: String,
    display_name: String,
    profile: String,
}

impl ProviderRow {
    /// Encodes a profile for storage.
    pub(crate) fn of(p: &ProviderProfile) -> Result<Self, CoreError> {
        let profile = serde_json::to_string(p).map_err(|_| undecodable("provider"))?;
        Ok(Self { id: p.id.to_string(), display_name: p.display_name.clone(), profile })
    }

    /// Inserts or refreshes the profile; `searched` also marks it as a recent search result.
    pub(crate) fn store(&self, tx: &Transaction<'_>, now_ms: i64, searched: bool) -> Result<(), CoreError> {
        tx.prepare_cached(
            "INSERT INTO providers (id, display_name, profile, fetched_at, searched_at)
             VALUES (?1, ?2, ?3, ?4, CASE WHEN ?5 THEN ?4 END)
             ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, profile = excluded.profile,
                 fetched_at = excluded.fetched_at, searched_at = COALESCE(excluded.searched_at, searched_at)",
        )?
        .execute(params![self.id, self.display_name, self.profile, now_ms, searched])?;
        Ok(())
    }
}

/// A page turned into storage operations.
struct PageRows {
    providers: Vec<ProviderRow>,
    ops: Vec<Op>,
    cursor: i64,
}

impl PageRows {
    fn of(page: &SyncPage) -> Result<Self, CoreError> {
        if page.cursor < 0 {
            return Err(CoreError::Validation { code: "invalid_cursor".into(), detail: "negative feed cursor".into() });
        }
        let providers = page.providers.iter().map(ProviderRow::of).collect::<Result<_, CoreError>>()?;
        let mut ops = Vec::with_capacity(page.changes.len());
        for change in &page.changes {
            let op = match (change.kind, change.op, &change.appointment, &change.note) {
                (ChangeKind::Appointment, ChangeOp::Upsert, Some(a), _) => Op::Appointment(row_of(a)?),
                (ChangeKind::Appointment, ChangeOp::Tombstone, Some(a), _) => {
                    // A tombstone removes the appointment from the active set; history keeps its record.
                    if matches!(a.status, AppointmentStatus::Cancelled | AppointmentStatus::EnteredInError) {
                        Op::Appointment(row_of(a)?)
                    } else {
                        Op::Appointment(row_of(&Appointment { status: AppointmentStatus::Cancelled, ..a.clone() })?)
                    }
                }
                (ChangeKind::Appointment, ChangeOp::Tombstone, None, _) => Op::Withdraw { id: change.id.clone() },
                // An upsert without its record carries nothing to store.
                (ChangeKind::Appointment, ChangeOp::Upsert, None, _) => continue,
                (ChangeKind::Note, ChangeOp::Upsert, _, Some(n)) => Op::Note {
                    appointment_id: change.id.clone(),
                    body: n.text.clone(),
                    updated_at: n.updated_at.to_string(),
                },
                // The server sends a deleted note as a tombstone, or as an entry without a record.
                (ChangeKind::Note, _, _, _) => Op::DeleteNote { appointment_id: change.id.clone() },
            };
            ops.push(op);
        }
        Ok(Self { providers, ops, cursor: page.cursor })
    }

    /// Applies every operation and moves the cursor, inside the caller's transaction.
    fn apply(&self, tx: &Transaction<'_>, now: Timestamp) -> Result<(), CoreError> {
        let now_ms = now.as_millisecond();
        for p in &self.providers {
            p.store(tx, now_ms, false)?;
        }
        for op in &self.ops {
            match op {
                Op::Appointment(a) => upsert_appointment(tx, a)?,
                Op::Withdraw { id } => {
                    tx.prepare_cached(
                        "UPDATE appointments SET status = 'cancelled', record = json_set(record, '$.status', 'cancelled')
                         WHERE id = ?1 AND status NOT IN ('cancelled', 'entered-in-error')",
                    )?
                    .execute([id])?;
                }
                Op::Note { appointment_id, body, updated_at } => {
                    tx.prepare_cached(
                        "INSERT INTO notes (appointment_id, body, updated_at) VALUES (?1, ?2, ?3)
                         ON CONFLICT (appointment_id) DO UPDATE SET body = excluded.body,
                             updated_at = excluded.updated_at",
                    )?
                    .execute(params![appointment_id, body, updated_at])?;
                }
                Op::DeleteNote { appointment_id } => {
                    tx.prepare_cached("DELETE FROM notes WHERE appointment_id = ?1")?.execute([appointment_id])?;
                }
            }
        }
        let moved = tx
            .prepare_cached("UPDATE sync_state SET cursor = ?1, last_sync_at = ?2 WHERE id = 1")?
            .execute(params![self.cursor, now_ms])?;
        if moved != 1 {
            return Err(CoreError::Storage { detail: "sync state row missing".into() });
        }
        Ok(())
    }
}

/// Inserts or replaces an appointment unless the cache holds a newer version of it.
pub(crate) fn upsert_appointment(tx: &Transaction<'_>, a: &AppointmentRow) -> Result<(), CoreError> {
    tx.prepare_cached(
        "INSERT INTO appointments (id, patient_id, provider_id, start_ms, end_ms, status, version, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET patient_id = excluded.patient_id,
             provider_id = excluded.provider_id, start_ms = excluded.start_ms,
             end_ms = excluded.end_ms, status = excluded.status, version = excluded.version,
             record = excluded.record
         WHERE excluded.version >= appointments.version",
    )?
    .execute(params![a.id, a.patient_id, a.provider_id, a.start_ms, a.end_ms, a.status, a.version, a.record])?;
    Ok(())
}

/// Encodes an appointment for storage.
pub(crate) fn row_of(a: &Appointment) -> Result<AppointmentRow, CoreError> {
    let record = serde_json::to_string(a).map_err(|_| undecodable("appointment"))?;
    Ok(AppointmentRow {
        id: a.id.to_string(),
        patient_id: a.patient_id.to_string(),
        provider_id: a.provider_id.to_string(),
        start_ms: a.start.as_millisecond(),
        end_ms: a.end.as_millisecond(),
        status: a.status.as_str(),
        version: a.version,
        record,
    })
}

impl Cache {
    /// Applies one page of the change feed in one transaction: providers and appointments upserted (never
    /// over a newer version), tombstoned appointments kept as cancelled / entered-in-error history, notes
    /// upserted or deleted, and the cursor moved to the page's. All or nothing: if any change fails, no
    /// change is kept and the cursor stays where it was.
    pub async fn apply_sync_page(&self, page: &SyncPage) -> Result<(), CoreError> {
        let rows = PageRows::of(page)?;
        let now = Timestamp::now();
        self.write(move |tx| rows.apply(tx, now)).await
    }

    /// The feed cursor to pass as `since` next (0 before the first sync).
    pub async fn cursor(&self) -> Result<i64, CoreError> {
        Ok(self.sync_state().await?.cursor)
    }

    /// The feed cursor and when the last page was applied.
    pub async fn sync_state(&self) -> Result<SyncState, CoreError> {
        self.read(|tx| {
            let (cursor, last): (i64, Option<i64>) = tx
                .prepare_cached("SELECT cursor, last_sync_at FROM sync_state WHERE id = 1")?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let last_sync_at =
                last.map(Timestamp::from_millisecond).transpose().map_err(|_| undecodable("sync time"))?;
            Ok(SyncState { cursor, last_sync_at })
        })
        .await
    }
}
