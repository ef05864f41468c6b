//! Provider directory: search with filters and cursor paging, detail, and free slots.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use psyter_domain::{
    AvailabilityRules, Booking, DomainError, Gender, ProviderProfile, SlotStatus, UserId, generate_slots,
};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::error::{ApiError, ApiResult, Problem};
use crate::model::{ProviderPage, SlotList};
use crate::web::{ApiPath, ApiQuery};

/// Routes under /v1 for the directory.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/providers", get(search))
        .route("/providers/{id}", get(detail))
        .route("/providers/{id}/slots", get(slots))
}

const PROFILE_SELECT: &str =
    "SELECT p.id, u.display_name, p.title, p.gender, p.price_cents, p.currency, p.rating_milli,
    p.rating_count, p.bio, p.time_zone, p.session_minutes,
    (SELECT group_concat(specialty, ',') FROM provider_specialties s WHERE s.provider_id = p.id),
    (SELECT group_concat(language, ',') FROM provider_languages l WHERE l.provider_id = p.id)
    FROM providers p JOIN users u ON u.id = p.id";

fn profile_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ProviderProfile, i64)> {
    let split = |s: Option<String>| -> Vec<String> {
        let mut v: Vec<String> =
            s.unwrap_or_default().split(',').filter(|x| !x.is_empty()).map(str::to_owned).collect();
        v.sort();
        v
    };
    let id: String = r.get(0)?;
    let gender: String = r.get(3)?;
    let rating_milli: i64 = r.get(6)?;
    Ok((
        ProviderProfile {
            id: id.parse().unwrap_or_default(),
            display_name: r.get(1)?,
            title: r.get(2)?,
            specialties: split(r.get(11)?),
            languages: split(r.get(12)?),
            gender: gender.parse().unwrap_or(Gender::Other),
            price_cents: r.get(4)?,
            currency: r.get(5)?,
            rating: rating_milli as f32 / 1000.0,
            rating_count: r.get(7)?,
            bio: r.get(8)?,
            time_zone: r.get(9)?,
            session_minutes: r.get(10)?,
        },
        rating_milli,
    ))
}

/// Loads one provider's public profile.
pub fn load_profile(tx: &Transaction<'_>, id: UserId) -> ApiResult<Option<ProviderProfile>> {
    Ok(tx
        .query_row(&format!("{PROFILE_SELECT} WHERE p.id = ?1"), [id.to_string()], profile_from_row)
        .optional()?
        .map(|(p, _)| p))
}

/// Loads a provider's availability rules.
pub fn load_rules(tx: &Transaction<'_>, id: UserId) -> ApiResult<Option<AvailabilityRules>> {
    let json: Option<String> =
        tx.query_row("SELECT rules FROM providers WHERE id = ?1", [id.to_string()], |r| r.get(0)).optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| ApiError::Internal(e.into()))).transpose()
}

/// Sessions that hold a provider's time and whose buffered block touches `[from, to)`.
pub fn bookings_between(
    tx: &Transaction<'_>,
    provider: UserId,
    from: Timestamp,
    to: Timestamp,
) -> ApiResult<Vec<Booking>> {
    let mut stmt = tx.prepare_cached(
        "SELECT start_ts, end_ts FROM appointments
         WHERE provider_id = ?1 AND holds_time = 1 AND block_end > ?2 AND block_start < ?3 ORDER BY start_ts",
    )?;
    let rows = stmt.query_map(params![provider.to_string(), from.as_second(), to.as_second()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (s, e) = row?;
        let ts = |x: i64| Timestamp::from_second(x).map_err(|e| ApiError::Internal(e.into()));
        out.push(Booking { start: ts(s)?, end: ts(e)? });
    }
    Ok(out)
}

/// Creates the directory entry of a newly registered provider, with default availability.
pub fn insert_default_profile(tx: &Transaction<'_>, id: UserId, tz: &str) -> ApiResult<()> {
    let rules = AvailabilityRules::default_for(tz);
    let rules_json = serde_json::to_string(&rules).map_err(|e| ApiError::Internal(e.into()))?;
    tx.execute(
        "INSERT INTO providers (id, title, gender, price_cents, currency, rating_milli, rating_count, bio, time_zone,
            session_minutes, rules) VALUES (?1, 'Therapist', 'other', 0, 'USD', 0, 0, '', ?2, ?3, ?4)",
        params![id.to_string(), tz, rules.session_minutes, rules_json],
    )?;
    let name: String = tx.query_row("SELECT display_name FROM users WHERE id = ?1", [id.to_string()], |r| r.get(0))?;
    index_for_search(tx, id, &name)?;
    Ok(())
}

/// (Re)writes a provider's full-text search entry from their current name, title, bio and specialties.
pub fn index_for_search(tx: &Transaction<'_>, id: UserId, display_name: &str) -> ApiResult<()> {
    let (num, title, bio): (i64, String, String) =
        tx.query_row("SELECT num, title, bio FROM providers WHERE id = ?1", [id.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let specialties: String = tx.query_row(
        "SELECT COALESCE(group_concat(specialty, ' '), '') FROM provider_specialties WHERE provider_id = ?1",
        [id.to_string()],
        |r| r.get(0),
    )?;
    tx.execute("DELETE FROM providers_fts WHERE rowid = ?1", [num])?;
    tx.execute(
        "INSERT INTO providers_fts (rowid, display_name, title, bio, specialties) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![num, display_name, title, bio, specialties],
    )?;
    Ok(())
}

/// Search filters; all optional and combined with AND.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    /// Free text over name, title, bio and specialties (prefix match per word).
    pub q: Option<String>,
    /// Specialty slug, e.g. "anxiety".
    pub specialty: Option<String>,
    /// Language tag, e.g. "ar".
    pub language: Option<String>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Highest session price in minor units.
    #[param(minimum = 0, maximum = 10_000_000)]
    pub max_price_cents: Option<u32>,
    /// Lowest average rating, 0 to 5.
    #[param(minimum = 0, maximum = 5)]
    pub min_rating: Option<f64>,
    /// With `available_to`: only providers with a free slot starting in this range.
    #[param(value_type = Option<String>, format = DateTime)]
    pub available_from: Option<Timestamp>,
    /// End of the availability range (at most 31 days after `available_from`).
    #[param(value_type = Option<String>, format = DateTime)]
    pub available_to: Option<Timestamp>,
    /// Page size, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// Cursor from the previous page.
    pub cursor: Option<String>,
}

/// Accepts instants between 2000 and 2100 only, so date arithmetic can never overflow.
pub fn check_instant(t: Timestamp) -> ApiResult<Timestamp> {
    if (946_684_800..4_102_444_800).contains(&t.as_second()) {
        Ok(t)
    } else {
        Err(DomainError::Invalid { field: "time", reason: "must be between the years 2000 and 2100" }.into())
    }
}

fn fts_query(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .map(|w| format!("\"{}\"*", w.to_lowercase()))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn decode_cursor(c: &str) -> ApiResult<(i64, String)> {
    let bad = || ApiError::bad_request("invalid_cursor", "the cursor is not valid; start from the first page");
    let raw = URL_SAFE_NO_PAD.decode(c).map_err(|_| bad())?;
    let s = String::from_utf8(raw).map_err(|_| bad())?;
    let (r, id) = s.split_once(':').ok_or_else(bad)?;
    Ok((r.parse().map_err(|_| bad())?, id.parse::<UserId>().map_err(|_| bad())?.to_string()))
}

/// Searches providers, best rated first.
#[utoipa::path(get, path = "/v1/providers", tag = "providers", params(SearchQuery),
    responses((status = 200, body = ProviderPage), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<ProviderPage>> {
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(DomainError::Invalid { field: "limit", reason: "must be 1 to 100" }.into());
    }
    if q.max_price_cents.is_some_and(|p| p > 10_000_000) {
        return Err(DomainError::Invalid { field: "max_price_cents", reason: "must be 0 to 10000000" }.into());
    }
    if let Some(r) = q.min_rating
        && !(0.0..=5.0).contains(&r)
    {
        return Err(DomainError::Invalid { field: "min_rating", reason: "must be between 0 and 5" }.into());
    }
    for t in [q.available_from, q.available_to].into_iter().flatten() {
        check_instant(t)?;
    }
    let window = match (q.available_from, q.available_to) {
        (None, None) => None,
        (Some(f), Some(t)) if f < t && t.duration_since(f) <= SignedDuration::from_hours(31 * 24) => Some((f, t)),
        _ => {
            return Err(DomainError::Invalid {
                field: "available_to",
                reason: "give both available_from and available_to, at most 31 days apart",
            }
            .into());
        }
    };
    let cursor = q.cursor.as_deref().map(decode_cursor).transpose()?;
    let now = state.clock.now();
    let page = state.db.read(move |tx| run_search(tx, &q, limit as usize, cursor, window, now)).await?;
    Ok(Json(page))
}

fn run_search(
    tx: &Transaction<'_>,
    q: &SearchQuery,
    limit: usize,
    mut cursor: Option<(i64, String)>,
    window: Option<(Timestamp, Timestamp)>,
    now: Timestamp,
) -> ApiResult<ProviderPage> {
    let mut clauses: Vec<&str> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    // The scan walks the rating index in order and stops at the page size; each filter is a cheap
    // per-row probe (primary-key lookups, or one materialised list of full-text rowids).
    if let Some(m) = q.q.as_deref().and_then(fts_query) {
        clauses.push("p.num IN (SELECT rowid FROM providers_fts WHERE providers_fts MATCH ?)");
        args.push(Value::Text(m));
    }
    if let Some(s) = &q.specialty {
        clauses.push("EXISTS (SELECT 1 FROM provider_specialties s WHERE s.specialty = ? AND s.provider_id = p.id)");
        args.push(Value::Text(s.clone()));
    }
    if let Some(l) = &q.language {
        clauses.push("EXISTS (SELECT 1 FROM provider_languages l WHERE l.language = ? AND l.provider_id = p.id)");
        args.push(Value::Text(l.clone()));
    }
    if let Some(g) = q.gender {
        clauses.push("p.gender = ?");
        args.push(Value::Text(g.as_str().into()));
    }
    if let Some(p) = q.max_price_cents {
        clauses.push("p.price_cents <= ?");
        args.push(Value::Integer(p.into()));
    }
    if q.max_price_cents.is_some_and(|p| p > 10_000_000) {
        return Err(DomainError::Invalid { field: "max_price_cents", reason: "must be 0 to 10000000" }.into());
    }
    if let Some(r) = q.min_rating {
        clauses.push("p.rating_milli >= ?");
        args.push(Value::Integer((r * 1000.0).round() as i64));
    }
    // With an availability filter, scan candidates in batches and keep those with a free slot.
    let batch = if window.is_some() { (limit * 4).max(50) } else { limit + 1 };
    let max_scanned = 2000;
    let mut items = Vec::new();
    let mut scanned = 0;
    loop {
        let mut sql_clauses = clauses.clone();
        let mut sql_args = args.clone();
        if let Some((r, id)) = &cursor {
            sql_clauses.push("(p.rating_milli < ? OR (p.rating_milli = ? AND p.id > ?))");
            sql_args.extend([Value::Integer(*r), Value::Integer(*r), Value::Text(id.clone())]);
        }
        let where_sql =
            if sql_clauses.is_empty() { String::new() } else { format!(" WHERE {}", sql_clauses.join(" AND ")) };
        let sql = format!(
            "SELECT p.id, p.rating_milli FROM providers p INDEXED BY providers_rank{where_sql}
             ORDER BY p.rating_milli DESC, p.id LIMIT {batch}"
        );
        let mut stmt = tx.prepare_cached(&sql)?;
        let ids: Vec<(String, i64)> = stmt
            .query_map(params_from_iter(sql_args.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let exhausted = ids.len() < batch;
        for (id, rating_milli) in ids {
            let Some(profile) = load_profile(tx, id.parse()?)? else { continue };
            if items.len() == limit {
                return Ok(ProviderPage { items, next_cursor: cursor.map(encode_cursor) });
            }
            scanned += 1;
            cursor = Some((rating_milli, profile.id.to_string()));
            let keep = match window {
                None => true,
                Some((from, to)) => has_free_slot(tx, profile.id, from, to, now)?,
            };
            if keep {
                items.push(profile);
            }
        }
        if exhausted {
            return Ok(ProviderPage { items, next_cursor: None });
        }
        if scanned >= max_scanned {
            return Ok(ProviderPage { items, next_cursor: cursor.map(encode_cursor) });
        }
    }
}

fn encode_cursor((r, id): (i64, String)) -> String {
    URL_SAFE_NO_PAD.encode(format!("{r}:{id}"))
}

fn has_free_slot(tx: &Transaction<'_>, id: UserId, from: Timestamp, to: Timestamp, now: Timestamp) -> ApiResult<bool> {
    let Some(rules) = load_rules(tx, id)? else { return Ok(false) };
    let day = SignedDuration::from_hours(24);
    let bookings = bookings_between(tx, id, from - day, to + day)?;
    Ok(generate_slots(&rules, from, to, now, &bookings)?.iter().any(|s| s.status == SlotStatus::Free))
}

/// One provider's public profile.
#[utoipa::path(get, path = "/v1/providers/{id}", tag = "providers", params(("id" = String, Path, description = "Provider id")),
    responses((status = 200, body = ProviderProfile), (status = 404, body = Problem)))]
pub async fn detail(State(state): State<AppState>, ApiPath(id): ApiPath<UserId>) -> ApiResult<Json<ProviderProfile>> {
    state.db.read(move |tx| load_profile(tx, id)).await?.map(Json).ok_or(ApiError::NotFound)
}

/// Range of a slot query; defaults to the next 14 days.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SlotQuery {
    /// Range start (default now).
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<Timestamp>,
    /// Range end (default `from` + 14 days; at most 62 days after `from`).
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<Timestamp>,
}

/// Free slots of a provider in a range.
#[utoipa::path(get, path = "/v1/providers/{id}/slots", tag = "providers",
    params(("id" = String, Path, description = "Provider id"), SlotQuery),
    responses((status = 200, body = SlotList), (status = 400, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn slots(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<UserId>,
    ApiQuery(q): ApiQuery<SlotQuery>,
) -> ApiResult<Json<SlotList>> {
    let now = state.clock.now();
    let from = check_instant(q.from.unwrap_or(now))?;
    let to = check_instant(q.to.unwrap_or(from + SignedDuration::from_hours(14 * 24)))?;
    let list = state
        .db
        .read(move |tx| {
            let rules = load_rules(tx, id)?.ok_or(ApiError::NotFound)?;
            let day = SignedDuration::from_hours(24);
            let bookings = bookings_between(tx, id, from - day, to + day)?;
            let slots = generate_slots(&rules, from, to, now, &bookings)?
                .into_iter()
                .filter(|s| s.status == SlotStatus::Free)
                .collect();
            Ok(SlotList { provider_id: id, time_zone: rules.time_zone, slots })
        })
        .await?;
    Ok(Json(list))
}
