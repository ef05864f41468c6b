//! Reading cached appointments: upcoming and past pages in start order, single records, notes, and
//! full-text search over the history.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use psyter_domain::wire::{Appointment, Note};
use psyter_domain::{AppointmentStatus, ProviderProfile, UserId};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};

use super::{Cache, undecodable};
use crate::CoreError;

/// The most appointments one page or search returns.
pub const MAX_PAGE: usize = 500;

/// The longest an appointment may last (the schema checks it): anything that has not ended by `now`
/// started after `now - MAX_SPAN_MS`, which bounds the index range of the upcoming query.
const MAX_SPAN_MS: i64 = 24 * 60 * 60 * 1000;

/// The most words a search uses.
const MAX_SEARCH_WORDS: usize = 16;

/// Where a page of appointments ended: pass it back to get the next page. Its text form (`Display` /
/// `FromStr`) is opaque and stable, for shells that keep it as a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageCursor {
    start_ms: i64,
    id: String,
}

impl fmt::Display for PageCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.start_ms, self.id)
    }
}

impl FromStr for PageCursor {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || CoreError::Validation { code: "invalid_cursor".into(), detail: "not a page cursor".into() };
        let (start, id) = s.split_once('_').ok_or_else(invalid)?;
        let start_ms = start.parse().map_err(|_| invalid())?;
        if id.is_empty() {
            return Err(invalid());
        }
        Ok(Self { start_ms, id: id.to_owned() })
    }
}

/// One page of cached appointments.
#[derive(Debug, Clone)]
pub struct CachedPage {
    /// The appointments on this page, in list order.
    pub items: Vec<Appointment>,
    /// Pass to the same query for the next page; `None` on the last page.
    pub next: Option<PageCursor>,
}

/// Narrows a list of appointments; the default matches everything.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default, deny_unknown_fields)]
pub struct AppointmentFilter {
    /// Only these statuses (empty: any).
    pub statuses: Vec<AppointmentStatus>,
    /// Only with this provider.
    pub provider_id: Option<UserId>,
    /// Only starting at or after this instant.
    pub from: Option<Timestamp>,
    /// Only starting before this instant.
    pub to: Option<Timestamp>,
}

impl AppointmentFilter {
    /// The extra SQL conditions and their values (numbered from `?5`). Status words come from the enum,
    /// never from input, so they can be inlined.
    fn sql(&self) -> (String, Vec<Value>) {
        let mut sql = String::new();
        let mut values = Vec::new();
        if !self.statuses.is_empty() {
            let words: Vec<String> = self.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
            sql.push_str(&format!(" AND status IN ({})", words.join(", ")));
        }
        if let Some(p) = self.provider_id {
            values.push(Value::Text(p.to_string()));
            sql.push_str(&format!(" AND provider_id = ?{}", 4 + values.len()));
        }
        if let Some(from) = self.from {
            values.push(Value::Integer(from.as_millisecond()));
            sql.push_str(&format!(" AND start_ms >= ?{}", 4 + values.len()));
        }
        if let Some(to) = self.to {
            values.push(Value::Integer(to.as_millisecond()));
            sql.push_str(&format!(" AND start_ms < ?{}", 4 + values.len()));
        }
        (sql, values)
    }
}

/// Builds a page query from its template (`{filter}` marks where the filter's conditions go).
fn filtered(template: &str, filter: &AppointmentFilter) -> (String, Vec<Value>) {
    let (conditions, values) = filter.sql();
    (template.replace("{filter}", &conditions), values)
}

/// Appointments that have not ended by `?1`, soonest first, after the key `(?2, ?3)`: the later of the
/// page cursor and `(now - MAX_SPAN_MS, "")`, so the index walk starts where the page does.
const UPCOMING_SQL: &str = "SELECT record, start_ms, id FROM appointments
    WHERE (start_ms, id) > (?2, ?3) AND end_ms > ?1{filter}
    ORDER BY start_ms, id LIMIT ?4";

/// Appointments that ended by `?1`, latest first, before the key `(?2, ?3)`: the earlier of the page
/// cursor and `(now, "")`, so the index walk starts where the page does, however deep.
const PAST_SQL: &str = "SELECT record, start_ms, id FROM appointments
    WHERE (start_ms, id) < (?2, ?3) AND end_ms <= ?1{filter}
    ORDER BY start_ms DESC, id DESC LIMIT ?4";

/// History search: every word must prefix a word of the provider name, reason or note; latest first.
const SEARCH_SQL: &str = "SELECT a.record FROM history_fts JOIN appointments a ON a.num = history_fts.rowid
    WHERE history_fts MATCH ?1 ORDER BY a.start_ms DESC, a.id DESC LIMIT ?2";

impl Cache {
    /// Appointments that have not ended by `now` (so in-progress ones too), soonest first; pass the
    /// returned cursor as `after` for the next page. Every status is included.
    pub async fn upcoming(
        &self,
        now: Timestamp,
        limit: usize,
        after: Option<PageCursor>,
        filter: &AppointmentFilter,
    ) -> Result<CachedPage, CoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let now = now.as_millisecond();
        let floor = (now.saturating_sub(MAX_SPAN_MS), String::new());
        let (start, id) = after.map_or(floor.clone(), |c| (c.start_ms, c.id)).max(floor);
        let (sql, extra) = filtered(UPCOMING_SQL, filter);
        self.read(move |tx| page_query(tx, &sql, now, start, id, limit, extra)).await
    }

    /// Appointments that ended by `now`, latest first (the history timeline); pass the returned cursor
    /// as `before` for the next page. Every status is included.
    pub async fn past(
        &self,
        now: Timestamp,
        limit: usize,
        before: Option<PageCursor>,
        filter: &AppointmentFilter,
    ) -> Result<CachedPage, CoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let now = now.as_millisecond();
        let ceiling = (now, String::new());
        let (start, id) = before.map_or(ceiling.clone(), |c| (c.start_ms, c.id)).min(ceiling);
        let (sql, extra) = filtered(PAST_SQL, filter);
        self.read(move |tx| page_query(tx, &sql, now, start, id, limit, extra)).await
    }

    /// Appointments whose provider name, reason or note has a word starting with each word of `query`
    /// (case and diacritics ignored), latest first. A query with no words finds nothing.
    pub async fn search_history(&self, query: &str, limit: usize) -> Result<Vec<Appointment>, CoreError> {
        let Some(expr) = fts_query(query) else { return Ok(Vec::new()) };
        let limit = limit.clamp(1, MAX_PAGE) as i64;
        self.read(move |tx| {
            let mut stmt = tx.prepare_cached(SEARCH_SQL)?;
            let mut rows = stmt.query(params![expr, limit])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                out.push(decode(&row.get::<_, String>(0)?)?);
            }
            Ok(out)
        })
        .await
    }

    /// One cached appointment by id (cancelled ones included), if the cache has it.
    pub async fn appointment(&self, id: &str) -> Result<Option<Appointment>, CoreError> {
        let id = id.to_owned();
        self.read(move |tx| appointment_in(tx, &id)).await
    }

    /// A cached provider profile by id, if the cache has it.
    pub async fn provider(&self, id: &str) -> Result<Option<ProviderProfile>, CoreError> {
        let id = id.to_owned();
        self.read(move |tx| {
            let profile: Option<String> = tx
                .prepare_cached("SELECT profile FROM providers WHERE id = ?1")?
                .query_row([&id], |r| r.get(0))
                .optional()?;
            profile.map(|p| serde_json::from_str(&p).map_err(|_| undecodable("provider"))).transpose()
        })
        .await
    }

    /// The cached session note of an appointment, if any.
    pub async fn note(&self, appointment_id: &str) -> Result<Option<Note>, CoreError> {
        let id = appointment_id.to_owned();
        self.read(move |tx| {
            let row: Option<(String, String)> = tx
                .prepare_cached("SELECT body, updated_at FROM notes WHERE appointment_id = ?1")?
                .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((text, updated_at)) = row else { return Ok(None) };
            let appointment_id = id.parse().map_err(|_| undecodable("note"))?;
            let updated_at = updated_at.parse().map_err(|_| undecodable("note"))?;
            Ok(Some(Note { appointment_id, text, updated_at }))
        })
        .await
    }
}

/// Runs a page query: `?1` now, `(?2, ?3)` the page key, `?4` the row limit, then the filter's values.
fn page_query(
    tx: &Transaction<'_>,
    sql: &str,
    now: i64,
    start: i64,
    id: String,
    limit: usize,
    extra: Vec<Value>,
) -> Result<CachedPage, CoreError> {
    let mut stmt = tx.prepare_cached(sql)?;
    let args = [Value::Integer(now), Value::Integer(start), Value::Text(id), Value::Integer((limit + 1) as i64)];
    let rows = stmt.query(params_from_iter(args.into_iter().chain(extra)))?;
    page_of(rows, limit)
}

/// Reads one appointment inside a transaction.
pub(crate) fn appointment_in(tx: &Transaction<'_>, id: &str) -> Result<Option<Appointment>, CoreError> {
    let record: Option<String> =
        tx.prepare_cached("SELECT record FROM appointments WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    record.map(|r| decode(&r)).transpose()
}

/// Decodes a stored wire record.
fn decode(record: &str) -> Result<Appointment, CoreError> {
    serde_json::from_str(record).map_err(|_| undecodable("appointment"))
}

/// Collects up to `limit` rows of `(record, start_ms, id)`; a row beyond them means there is a next page.
fn page_of(mut rows: rusqlite::Rows<'_>, limit: usize) -> Result<CachedPage, CoreError> {
    let mut items = Vec::with_capacity(limit.min(64));
    let mut last = None;
    while let Some(row) = rows.next()? {
        if items.len() == limit {
            return Ok(CachedPage { items, next: last });
        }
        items.push(decode(&row.get::<_, String>(0)?)?);
        last = Some(PageCursor { start_ms: row.get(1)?, id: row.get(2)? });
    }
    Ok(CachedPage { items, next: None })
}

/// An FTS5 query requiring a prefix match of every word of `query` (words split like the server's
/// search: on anything not alphanumeric). Each word is quoted, so no input can form FTS5 syntax.
fn fts_query(query: &str) -> Option<String> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_SEARCH_WORDS)
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_become_quoted_prefix_terms() {
        assert_eq!(fts_query("Lay  HADDAD"), Some("\"lay\"* \"haddad\"*".into()));
        assert_eq!(fts_query("\"x\" OR y* NEAR(z)"), Some("\"x\"* \"or\"* \"y\"* \"near\"* \"z\"*".into()));
        assert_eq!(fts_query("ليلى"), Some("\"ليلى\"*".into()));
        assert_eq!(fts_query(" -*\"' "), None);
        assert_eq!(fts_query(&"a ".repeat(100)).map(|q| q.matches('*').count()), Some(MAX_SEARCH_WORDS));
    }

    #[test]
    fn filters_add_numbered_conditions_after_the_page_parameters() {
        let provider = UserId::new();
        let filter = AppointmentFilter {
            statuses: vec![AppointmentStatus::Booked, AppointmentStatus::Cancelled],
            provider_id: Some(provider),
            from: Some(Timestamp::from_second(10).expect("ts")),
            to: None,
        };
        let (sql, values) = filtered(UPCOMING_SQL, &filter);
        assert!(sql.contains("AND status IN ('booked', 'cancelled') AND provider_id = ?5 AND start_ms >= ?6"), "{sql}");
        assert_eq!(values, vec![Value::Text(provider.to_string()), Value::Integer(10_000)]);
        assert!(!filtered(PAST_SQL, &AppointmentFilter::default()).0.contains("{filter}"));
    }

    #[test]
    fn cursors_round_trip_through_text_and_refuse_garbage() {
        let c = PageCursor { start_ms: -5, id: "0190-ab_c".into() };
        assert_eq!(c.to_string().parse::<PageCursor>().expect("parse"), c);
        for bad in ["", "12", "x_id", "12_"] {
            assert_eq!(bad.parse::<PageCursor>().expect_err(bad).code(), "invalid_cursor");
        }
    }

    /// The query plan of `sql` with `n` placeholders bound to numbers, one line per step.
    async fn plan_of(cache: &Cache, sql: impl Into<String>, args: Vec<rusqlite::types::Value>) -> Vec<String> {
        let sql = sql.into();
        cache
            .read(move |tx| {
                let mut stmt = tx.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await
            .expect("plan")
    }

    #[tokio::test]
    async fn pages_and_search_walk_indexes_without_sorting() {
        use rusqlite::types::Value::{Integer, Text};
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::open(&dir.path().join("c.db"), &[9; 32]).expect("open");
        let args = || vec![Integer(1_000), Integer(900), Text("x".into()), Integer(51)];
        let none = AppointmentFilter::default();
        let upcoming = plan_of(&cache, filtered(UPCOMING_SQL, &none).0, args()).await;
        let past = plan_of(&cache, filtered(PAST_SQL, &none).0, args()).await;
        for (name, plan, range) in
            [("upcoming", &upcoming, "(start_ms,id)>(?,?)"), ("past", &past, "(start_ms,id)<(?,?)")]
        {
            // The walk starts at the page key (both columns), not at `now`: deep pages cost no more.
            let want = format!("SEARCH appointments USING INDEX appointments_by_start ({range})");
            assert!(plan.iter().any(|s| s.contains(&want)), "{name}: {plan:?}");
            assert!(!plan.iter().any(|s| s.starts_with("SCAN")), "{name} scans: {plan:?}");
            assert!(!plan.iter().any(|s| s.contains("TEMP B-TREE")), "{name} sorts: {plan:?}");
        }
        let search = plan_of(&cache, SEARCH_SQL, vec![Text("\"a\"*".into()), Integer(20)]).await;
        assert!(search.iter().any(|s| s.contains("VIRTUAL TABLE INDEX")), "{search:?}");
        assert!(search.iter().any(|s| s.contains("SEARCH a USING INTEGER PRIMARY KEY")), "{search:?}");
    }
}
