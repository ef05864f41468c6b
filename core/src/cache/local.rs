//! Writes that come from this device rather than the change feed: records returned by the server after
//! an action, placeholders of offline bookings, notes, provider search results, and small meta records.

use jiff::Timestamp;
use psyter_domain::ProviderProfile;
use psyter_domain::wire::{Appointment, Note};
use rusqlite::{OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::sync::{ProviderRow, row_of, upsert_appointment};
use super::{Cache, undecodable};
use crate::CoreError;

/// The most recent search results the offline provider search looks through.
const RECENT_PROVIDERS: i64 = 500;

impl Cache {
    /// Stores an appointment the server returned (unless the cache already has a newer version).
    pub async fn store_appointment(&self, appointment: &Appointment) -> Result<(), CoreError> {
        let row = row_of(appointment)?;
        self.write(move |tx| upsert_appointment(tx, &row)).await
    }

    /// Stores the placeholder of a booking queued in the outbox under `outbox_id` (status pending, a
    /// client-made id); it shows in the lists until [`Cache::resolve_placeholder`] replaces it.
    pub async fn add_placeholder(&self, outbox_id: i64, appointment: &Appointment) -> Result<(), CoreError> {
        let row = row_of(appointment)?;
        self.write(move |tx| {
            upsert_appointment(tx, &row)?;
            tx.prepare_cached("UPDATE appointments SET outbox_id = ?1 WHERE id = ?2")?
                .execute(params![outbox_id, row.id])?;
            Ok(())
        })
        .await
    }

    /// Removes the placeholder of outbox entry `outbox_id` and, when the server booked it, stores the real
    /// appointment in the same transaction (so the list never shows both or neither).
    pub async fn resolve_placeholder(&self, outbox_id: i64, booked: Option<&Appointment>) -> Result<(), CoreError> {
        let row = booked.map(row_of).transpose()?;
        self.write(move |tx| {
            tx.prepare_cached("DELETE FROM appointments WHERE outbox_id = ?1")?.execute([outbox_id])?;
            if let Some(row) = &row {
                upsert_appointment(tx, row)?;
            }
            Ok(())
        })
        .await
    }

    /// The outbox ids of every placeholder, for reconciling with the outbox.
    pub async fn placeholder_ids(&self) -> Result<Vec<i64>, CoreError> {
        self.read(|tx| {
            let mut stmt = tx.prepare_cached("SELECT outbox_id FROM appointments WHERE outbox_id IS NOT NULL")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<i64>, _>>()?;
            Ok(ids)
        })
        .await
    }

    /// Stores (or with `None` deletes) the note of an appointment after the server accepted it.
    pub async fn store_note(&self, appointment_id: &str, note: Option<&Note>) -> Result<(), CoreError> {
        let id = appointment_id.to_owned();
        let note = note.map(|n| (n.text.clone(), n.updated_at.to_string()));
        self.write(move |tx| {
            match note {
                Some((body, updated_at)) => tx
                    .prepare_cached(
                        "INSERT INTO notes (appointment_id, body, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (appointment_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                    )?
                    .execute(params![id, body, updated_at])?,
                None => tx.prepare_cached("DELETE FROM notes WHERE appointment_id = ?1")?.execute([&id])?,
            };
            Ok(())
        })
        .await
    }

    /// Stores provider profiles; `searched` marks them as recent search results for offline search.
    pub async fn store_providers(&self, profiles: &[ProviderProfile], searched: bool) -> Result<(), CoreError> {
        let rows = profiles.iter().map(ProviderRow::of).collect::<Result<Vec<_>, _>>()?;
        let now = Timestamp::now().as_millisecond();
        self.write(move |tx| rows.iter().try_for_each(|r| r.store(tx, now, searched))).await
    }

    /// Offline provider search: recent search results and the user's providers whose name, title or
    /// specialties have a word starting with every word of `query` (all of them for an empty query),
    /// most recently seen first.
    pub async fn search_providers(&self, query: &str, limit: usize) -> Result<Vec<ProviderProfile>, CoreError> {
        let words = words_of(query);
        let recent = self
            .read(|tx| {
                let mut stmt = tx.prepare_cached(
                    "SELECT profile FROM providers ORDER BY COALESCE(searched_at, fetched_at) DESC, id LIMIT ?1",
                )?;
                let rows = stmt.query_map([RECENT_PROVIDERS], |r| r.get::<_, String>(0))?;
                let mut out = Vec::new();
                for row in rows {
                    out.push(serde_json::from_str::<ProviderProfile>(&row?).map_err(|_| undecodable("provider"))?);
                }
                Ok(out)
            })
            .await?;
        Ok(recent
            .into_iter()
            .filter(|p| {
                let text = format!("{} {} {}", p.display_name, p.title, p.specialties.join(" "));
                let have = words_of(&text);
                words.iter().all(|w| have.iter().any(|h| h.starts_with(w.as_str())))
            })
            .take(limit)
            .collect())
    }

    /// Stores the record of a finished call of an appointment.
    pub async fn store_call(&self, appointment_id: &str, record: &crate::video::CallRecord) -> Result<(), CoreError> {
        let json = serde_json::to_string(record).map_err(|_| undecodable("call record"))?;
        let (id, ended) = (appointment_id.to_owned(), record.ended_at.map(|t| t.as_millisecond()));
        self.write(move |tx| {
            tx.prepare_cached("INSERT INTO calls (appointment_id, ended_at, record) VALUES (?1, ?2, ?3)")?
                .execute(params![id, ended, json])?;
            Ok(())
        })
        .await
    }

    /// The records of an appointment's calls, oldest first.
    pub async fn calls(&self, appointment_id: &str) -> Result<Vec<crate::video::CallRecord>, CoreError> {
        let id = appointment_id.to_owned();
        self.read(move |tx| {
            let mut stmt = tx.prepare_cached("SELECT record FROM calls WHERE appointment_id = ?1 ORDER BY id")?;
            let rows = stmt.query_map([&id], |r| r.get::<_, String>(0))?;
            let mut out = Vec::new();
            for row in rows {
                out.push(serde_json::from_str(&row?).map_err(|_| undecodable("call record"))?);
            }
            Ok(out)
        })
        .await
    }

    /// Stores a small record under `key` in the meta table.
    pub(crate) async fn set_meta<T: Serialize>(&self, key: &'static str, value: &T) -> Result<(), CoreError> {
        let json = serde_json::to_string(value).map_err(|_| undecodable(key))?;
        self.write(move |tx| {
            tx.prepare_cached(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, json])?;
            Ok(())
        })
        .await
    }

    /// Reads the record stored under `key`, if any.
    pub(crate) async fn meta<T: DeserializeOwned + Send + 'static>(
        &self,
        key: &'static str,
    ) -> Result<Option<T>, CoreError> {
        self.read(move |tx| {
            let json: Option<String> = tx
                .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()?;
            json.map(|j| serde_json::from_str(&j).map_err(|_| undecodable(key))).transpose()
        })
        .await
    }
}

/// Lower-case words of `text`, split like the history and server searches (on non-alphanumerics).
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}
