//! SQL for appointments, notes and the change feed entries they produce.

use jiff::Timestamp;
use psyter_domain::{AppointmentId, AppointmentStatus, DomainError, Role, UserId};
use rusqlite::{ErrorCode, OptionalExtension, Transaction, params};

use crate::error::{ApiError, ApiResult};
use crate::model::{Appointment, Note};

/// Columns read into an [`Appointment`], in order.
pub const SELECT: &str = "SELECT a.id, a.patient_id, pu.display_name, a.provider_id, vu.display_name, p.time_zone,
    a.start_ts, a.end_ts, a.status, a.reason, a.cancel_reason, a.cancelled_by, a.price_cents, a.currency,
    a.created_at, a.updated_at, a.version
    FROM appointments a JOIN users pu ON pu.id = a.patient_id JOIN users vu ON vu.id = a.provider_id
    JOIN providers p ON p.id = a.provider_id";

fn ts(secs: i64) -> rusqlite::Result<Timestamp> {
    Timestamp::from_second(secs)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Integer, e.into()))
}

fn parse<T: std::str::FromStr>(s: String) -> rusqlite::Result<T>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    s.parse().map_err(|e: T::Err| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into()))
}

/// Maps one row of [`SELECT`].
pub fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Appointment> {
    Ok(Appointment {
        id: parse(r.get(0)?)?,
        patient_id: parse(r.get(1)?)?,
        patient_name: r.get(2)?,
        provider_id: parse(r.get(3)?)?,
        provider_name: r.get(4)?,
        provider_time_zone: r.get(5)?,
        start: ts(r.get(6)?)?,
        end: ts(r.get(7)?)?,
        status: parse(r.get(8)?)?,
        reason: r.get(9)?,
        cancel_reason: r.get(10)?,
        cancelled_by: r.get::<_, Option<String>>(11)?.map(parse::<Role>).transpose()?,
        price_cents: r.get(12)?,
        currency: r.get(13)?,
        created_at: ts(r.get(14)?)?,
        updated_at: ts(r.get(15)?)?,
        version: r.get(16)?,
    })
}

/// Loads an appointment the caller takes part in; anything else is not found.
pub fn load_visible(tx: &Transaction<'_>, id: AppointmentId, caller: UserId) -> ApiResult<Appointment> {
    tx.prepare_cached(&format!("{SELECT} WHERE a.id = ?1 AND (a.patient_id = ?2 OR a.provider_id = ?2)"))?
        .query_row(params![id.to_string(), caller.to_string()], from_row)
        .optional()?
        .ok_or(ApiError::NotFound)
}

/// Loads an appointment by id regardless of caller (for the sync feed, which filters by visibility).
pub fn load(tx: &Transaction<'_>, id: &str) -> ApiResult<Option<Appointment>> {
    Ok(tx.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?.query_row([id], from_row).optional()?)
}

/// Turns the overlap triggers' aborts into domain conflicts.
pub fn map_write_error(e: rusqlite::Error) -> ApiError {
    if let rusqlite::Error::SqliteFailure(err, Some(msg)) = &e
        && err.code == ErrorCode::ConstraintViolation
    {
        if msg.contains("slot_taken") {
            return DomainError::SlotTaken.into();
        }
        if msg.contains("patient_overlap") {
            return ApiError::Conflict {
                code: "patient_overlap",
                detail: "you already have an appointment at that time",
            };
        }
    }
    e.into()
}

/// Records that an entity changed, for the sync feed: one row per entity, moved to a new sequence number.
pub fn record_change(
    tx: &Transaction<'_>,
    kind: &str,
    id: &str,
    patient: Option<UserId>,
    provider: Option<UserId>,
    tombstone: bool,
) -> ApiResult<()> {
    tx.prepare_cached("DELETE FROM changes WHERE kind = ?1 AND entity_id = ?2")?.execute(params![kind, id])?;
    tx.prepare_cached(
        "INSERT INTO changes (kind, entity_id, patient_id, provider_id, op) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        kind,
        id,
        patient.map(|p| p.to_string()),
        provider.map(|p| p.to_string()),
        if tombstone { "tombstone" } else { "upsert" }
    ])?;
    Ok(())
}

/// Records an appointment change visible to both participants; cancelled and entered-in-error
/// appointments are sent as tombstones (still carrying their final record for history).
pub fn record_appointment(tx: &Transaction<'_>, a: &Appointment) -> ApiResult<()> {
    let tombstone = matches!(a.status, AppointmentStatus::Cancelled | AppointmentStatus::EnteredInError);
    record_change(tx, "appointment", &a.id.to_string(), Some(a.patient_id), Some(a.provider_id), tombstone)
}

/// Sets a new status (and whether the appointment still holds its time), bumping the version.
pub fn set_status(tx: &Transaction<'_>, id: AppointmentId, status: AppointmentStatus, now: Timestamp) -> ApiResult<()> {
    tx.prepare_cached(
        "UPDATE appointments SET status = ?2, holds_time = ?3, updated_at = ?4, version = version + 1 WHERE id = ?1",
    )?
    .execute(params![id.to_string(), status.as_str(), status.holds_time(), now.as_second()])
    .map_err(map_write_error)?;
    Ok(())
}

/// The provider's note on an appointment, if any.
pub fn load_note(tx: &Transaction<'_>, id: &str) -> ApiResult<Option<Note>> {
    Ok(tx
        .query_row("SELECT appointment_id, body, updated_at FROM notes WHERE appointment_id = ?1", [id], |r| {
            Ok(Note { appointment_id: parse(r.get(0)?)?, text: r.get(1)?, updated_at: ts(r.get(2)?)? })
        })
        .optional()?)
}
