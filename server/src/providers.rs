//! Provider directory: search with filters and cursor paging, detail, and free slots.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use psyter_domain::{
    AvailabilityRules, Booking, DomainError, Gender, ProviderProfile, SlotStatus, UserId, generate_slots,
};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::directory::{Filters, words_of};
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
    p.specialties, p.languages
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
        .prepare_cached(&format!("{PROFILE_SELECT} WHERE p.id = ?1"))?
        .query_row([id.to_string()], profile_from_row)
        .optional()?
        .map(|(p, _)| p))
}

/// Loads several providers' profiles in one statement, in the order of `ids` (missing ones skipped).
pub fn load_profiles(tx: &Transaction<'_>, ids: &[String]) -> ApiResult<Vec<ProviderProfile>> {
    let json = serde_json::to_string(ids).map_err(|e| ApiError::Internal(e.into()))?;
    let mut stmt = tx.prepare_cached(&format!("{PROFILE_SELECT} WHERE p.id IN (SELECT value FROM json_each(?1))"))?;
    let mut found: std::collections::HashMap<String, ProviderProfile> = stmt
        .query_map([json], profile_from_row)?
        .map(|r| r.map(|(p, _)| (p.id.to_string(), p)))
        .collect::<Result<_, _>>()?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// Loads a provider's availability rules.
pub fn load_rules(tx: &Transaction<'_>, id: UserId) -> ApiResult<Option<AvailabilityRules>> {
    let json: Option<String> = tx
        .prepare_cached("SELECT rules FROM providers WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
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
    Ok(())
}

/// Every provider's profile with its rating in thousandths (for the in-memory directory).
pub fn all_profiles(tx: &Transaction<'_>) -> ApiResult<Vec<(ProviderProfile, i64)>> {
    let mut stmt = tx.prepare_cached(PROFILE_SELECT)?;
    let rows = stmt.query_map([], profile_from_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
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

fn decode_cursor(c: &str) -> ApiResult<(i64, UserId)> {
    let bad = || ApiError::bad_request("invalid_cursor", "the cursor is not valid; start from the first page");
    let raw = URL_SAFE_NO_PAD.decode(c).map_err(|_| bad())?;
    let s = String::from_utf8(raw).map_err(|_| bad())?;
    let (r, id) = s.split_once(':').ok_or_else(bad)?;
    Ok((r.parse().map_err(|_| bad())?, id.parse::<UserId>().map_err(|_| bad())?))
}

/// Searches providers, best rated first.
#[utoipa::path(get, path = "/v1/providers", tag = "providers", params(SearchQuery),
    responses((status = 200, body = ProviderPage), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn search(State(state): State<AppState>, ApiQuery(q): ApiQuery<SearchQuery>) -> ApiResult<Response> {
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
    let filters = Filters {
        words: q.q.as_deref().map(|t| words_of(t).take(8).collect()).unwrap_or_default(),
        specialty: q.specialty,
        language: q.language,
        gender: q.gender,
        max_price_cents: q.max_price_cents,
        min_rating_milli: q.min_rating.map(|r| (r * 1000.0).round() as i64),
    };
    let page = match window {
        None => plain_page(&state, &filters, cursor, limit as usize).await?,
        Some((from, to)) => available_page(&state, &filters, cursor, limit as usize, from, to).await?,
    };
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], page).into_response())
}

/// Writes a `ProviderPage` from pre-serialised profiles.
fn page_json(items: &[Box<str>], next: Option<(i64, UserId)>) -> String {
    let mut out = String::with_capacity(32 + items.iter().map(|i| i.len() + 1).sum::<usize>());
    out.push_str("{\"items\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
    out.push_str("],\"next_cursor\":");
    match next {
        Some(c) => {
            out.push('"');
            out.push_str(&encode_cursor(c));
            out.push('"');
        }
        None => out.push_str("null"),
    }
    out.push('}');
    out
}

async fn plain_page(
    state: &AppState,
    filters: &Filters,
    cursor: Option<(i64, UserId)>,
    limit: usize,
) -> ApiResult<String> {
    let mut items: Vec<Box<str>> = Vec::with_capacity(limit);
    let mut last = None;
    let mut more = false;
    state
        .directory
        .scan(&state.db, filters, cursor, |hit| {
            if items.len() == limit {
                more = true;
                return Ok(false);
            }
            items.push(hit.json.into());
            last = Some((hit.rating_milli, hit.id));
            Ok(true)
        })
        .await?;
    Ok(page_json(&items, if more { last } else { None }))
}

/// With an availability range: candidates in paging order, in batches, kept when they have a free slot.
/// At most 2000 candidates are checked per request; the cursor then continues where the scan stopped.
async fn available_page(
    state: &AppState,
    filters: &Filters,
    mut cursor: Option<(i64, UserId)>,
    limit: usize,
    from: Timestamp,
    to: Timestamp,
) -> ApiResult<String> {
    const BATCH: usize = 64;
    const MAX_SCANNED: usize = 2000;
    let now = state.clock.now();
    let mut items: Vec<Box<str>> = Vec::with_capacity(limit);
    let mut scanned = 0;
    loop {
        let mut batch: Vec<(i64, UserId, Box<str>)> = Vec::with_capacity(BATCH + 1);
        state
            .directory
            .scan(&state.db, filters, cursor, |hit| {
                batch.push((hit.rating_milli, hit.id, hit.json.into()));
                Ok(batch.len() <= BATCH)
            })
            .await?;
        let exhausted = batch.len() <= BATCH;
        batch.truncate(BATCH);
        let ids: Vec<UserId> = batch.iter().map(|b| b.1).collect();
        let free: Vec<bool> =
            state.db.read(move |tx| ids.into_iter().map(|id| has_free_slot(tx, id, from, to, now)).collect()).await?;
        for ((rating, id, json), keep) in batch.into_iter().zip(free) {
            if items.len() == limit {
                return Ok(page_json(&items, cursor));
            }
            scanned += 1;
            cursor = Some((rating, id));
            if keep {
                items.push(json);
            }
        }
        if exhausted {
            return Ok(page_json(&items, None));
        }
        if scanned >= MAX_SCANNED {
            return Ok(page_json(&items, cursor));
        }
    }
}

fn encode_cursor((r, id): (i64, UserId)) -> String {
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
