//! Appointment routes.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use jiff::{SignedDuration, Timestamp};
use psyter_domain::slots::{blocked_range, check_bookable};
use psyter_domain::{AppointmentId, AppointmentStatus, Booking, Role, UserId, check_transition, validate};
use rusqlite::types::Value;
use rusqlite::{Transaction, params, params_from_iter};
use serde::Deserialize;
use utoipa::IntoParams;

use super::idempotency::{self, fingerprint, key_from, require_key};
use super::store::{self, load_visible, map_write_error, record_appointment};
use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::model::{
    Appointment, AppointmentPage, BookRequest, CancelRequest, Note, NoteRequest, RescheduleRequest, StatusRequest,
};
use crate::providers::{check_instant, load_profile, load_rules};
use crate::web::{ApiJson, ApiPath, ApiQuery};

/// Routes under /v1 for appointments.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/appointments", post(book).get(list))
        .route("/appointments/{id}", get(detail))
        .route("/appointments/{id}/cancel", post(cancel))
        .route("/appointments/{id}/reschedule", post(reschedule))
        .route("/appointments/{id}/status", post(set_status))
        .route("/appointments/{id}/notes", put(put_note).get(get_note))
}

fn to_json(a: &Appointment) -> ApiResult<serde_json::Value> {
    serde_json::to_value(a).map_err(|e| ApiError::Internal(e.into()))
}

/// Existing bookings of `provider` near `start`, optionally leaving one appointment out.
fn nearby_bookings(
    tx: &Transaction<'_>,
    provider: UserId,
    start: Timestamp,
    except: Option<AppointmentId>,
) -> ApiResult<Vec<Booking>> {
    let day = SignedDuration::from_hours(48);
    let mut stmt = tx.prepare_cached(
        "SELECT start_ts, end_ts FROM appointments WHERE provider_id = ?1 AND holds_time = 1
         AND block_end > ?2 AND block_start < ?3 AND id <> ?4",
    )?;
    let except = except.map(|e| e.to_string()).unwrap_or_default();
    let rows = stmt.query_map(
        params![provider.to_string(), (start - day).as_second(), (start + day).as_second(), except],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (s, e) = row?;
        let conv = |x| Timestamp::from_second(x).map_err(|e| ApiError::Internal(e.into()));
        out.push(Booking { start: conv(s)?, end: conv(e)? });
    }
    Ok(out)
}

/// Books a slot (patients). Requires an `Idempotency-Key` header.
#[utoipa::path(post, path = "/v1/appointments", tag = "appointments", security(("bearer" = [])), request_body = BookRequest,
    params(("Idempotency-Key" = String, Header, description = "Unique key per booking attempt; reuse it when retrying")),
    responses((status = 201, body = Appointment), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn book(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    ApiJson(req): ApiJson<BookRequest>,
) -> ApiResult<Response> {
    let key = require_key(&headers)?;
    user.require_patient()?;
    validate::reason(&req.reason)?;
    check_instant(req.start)?;
    let fp = fingerprint("POST /v1/appointments", &req);
    let st = state.clone();
    idempotency::run(&state, user.id, Some(key), fp, move |tx| {
        let now = st.clock.now();
        let profile = load_profile(tx, req.provider_id)?.ok_or(ApiError::NotFound)?;
        let rules = load_rules(tx, req.provider_id)?.ok_or(ApiError::NotFound)?;
        let bookings = nearby_bookings(tx, req.provider_id, req.start, None)?;
        let slot = check_bookable(&rules, req.start, now, &bookings).inspect_err(|e| {
            if e.code() == "slot_taken" {
                st.metrics.booking_conflict();
            }
        })?;
        let (block_start, block_end) = blocked_range(&rules, slot.start, slot.end);
        let id = AppointmentId::new();
        tx.prepare_cached("INSERT INTO appointments (id, patient_id, provider_id, start_ts, end_ts, block_start, block_end, status, holds_time,
                reason, price_cents, currency, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'booked', 1, ?8, ?9, ?10, ?11, ?11)")?.execute(params![
                id.to_string(), user.id.to_string(), req.provider_id.to_string(), slot.start.as_second(), slot.end.as_second(),
                block_start.as_second(), block_end.as_second(), req.reason.trim(), profile.price_cents, profile.currency, now.as_second()
            ],
        )
        .map_err(|e| {
            let e = map_write_error(e);
            if e.code() == "slot_taken" {
                st.metrics.booking_conflict();
            }
            e
        })?;
        let appt = load_visible(tx, id, user.id)?;
        record_appointment(tx, &appt)?;
        st.metrics.booking();
        Ok((StatusCode::CREATED, to_json(&appt)?))
    })
    .await
}

/// Appointment list filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Comma-separated FHIR statuses, e.g. "booked,arrived".
    pub status: Option<String>,
    /// Only appointments with this provider.
    pub provider_id: Option<UserId>,
    /// Only appointments with this patient.
    pub patient_id: Option<UserId>,
    /// Only appointments starting at or after this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<Timestamp>,
    /// Only appointments starting before this instant.
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<Timestamp>,
    /// "asc" (default, soonest first) or "desc".
    pub order: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Cursor from the previous page.
    pub cursor: Option<String>,
}

/// The caller's appointments, filtered and paged by start time.
#[utoipa::path(get, path = "/v1/appointments", tag = "appointments", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = AppointmentPage), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<AppointmentPage>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(psyter_domain::DomainError::Invalid { field: "limit", reason: "must be 1 to 200" }.into());
    }
    let desc = match q.order.as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => {
            return Err(psyter_domain::DomainError::Invalid { field: "order", reason: "must be asc or desc" }.into());
        }
    };
    let mut clauses = vec!["(a.patient_id = ? OR a.provider_id = ?)".to_owned()];
    let mut args = vec![Value::Text(user.id.to_string()), Value::Text(user.id.to_string())];
    if let Some(s) = &q.status {
        let statuses = s.split(',').map(|w| w.trim().parse::<AppointmentStatus>()).collect::<Result<Vec<_>, _>>()?;
        clauses.push(format!("a.status IN ({})", vec!["?"; statuses.len()].join(",")));
        args.extend(statuses.iter().map(|s| Value::Text(s.as_str().into())));
    }
    for (col, v) in [("a.provider_id", q.provider_id), ("a.patient_id", q.patient_id)] {
        if let Some(v) = v {
            clauses.push(format!("{col} = ?"));
            args.push(Value::Text(v.to_string()));
        }
    }
    if let Some(f) = q.from {
        clauses.push("a.start_ts >= ?".into());
        args.push(Value::Integer(check_instant(f)?.as_second()));
    }
    if let Some(t) = q.to {
        clauses.push("a.start_ts < ?".into());
        args.push(Value::Integer(check_instant(t)?.as_second()));
    }
    if let Some(c) = &q.cursor {
        let bad = || ApiError::bad_request("invalid_cursor", "the cursor is not valid; start from the first page");
        let (s, id) = c.split_once('_').ok_or_else(bad)?;
        let s: i64 = s.parse().map_err(|_| bad())?;
        let id: AppointmentId = id.parse().map_err(|_| bad())?;
        let cmp = if desc { "<" } else { ">" };
        clauses.push(format!("(a.start_ts {cmp} ? OR (a.start_ts = ? AND a.id {cmp} ?))"));
        args.extend([Value::Integer(s), Value::Integer(s), Value::Text(id.to_string())]);
    }
    let dir = if desc { "DESC" } else { "ASC" };
    let sql = format!(
        "{} WHERE {} ORDER BY a.start_ts {dir}, a.id {dir} LIMIT {}",
        store::SELECT,
        clauses.join(" AND "),
        limit + 1
    );
    let page = state
        .db
        .read(move |tx| {
            let mut stmt = tx.prepare_cached(&sql)?;
            let mut items: Vec<Appointment> =
                stmt.query_map(params_from_iter(args.iter()), store::from_row)?.collect::<Result<_, _>>()?;
            let next_cursor = if items.len() > limit as usize {
                items.truncate(limit as usize);
                items.last().map(|a| format!("{}_{}", a.start.as_second(), a.id))
            } else {
                None
            };
            Ok(AppointmentPage { items, next_cursor })
        })
        .await?;
    Ok(Json(page))
}

/// One appointment the caller takes part in.
#[utoipa::path(get, path = "/v1/appointments/{id}", tag = "appointments", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appointment id")),
    responses((status = 200, body = Appointment), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn detail(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<AppointmentId>,
) -> ApiResult<Json<Appointment>> {
    Ok(Json(state.db.read(move |tx| load_visible(tx, id, user.id)).await?))
}

fn actor(user: &AuthUser, appt: &Appointment) -> Role {
    if appt.provider_id == user.id { Role::Provider } else { Role::Patient }
}

/// Cancels an appointment; inside the cut-off only the provider can. Cancelling again is a no-op.
#[utoipa::path(post, path = "/v1/appointments/{id}/cancel", tag = "appointments", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appointment id"), ("Idempotency-Key" = Option<String>, Header, description = "Optional retry key")),
    request_body = CancelRequest,
    responses((status = 200, body = Appointment), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<AppointmentId>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CancelRequest>,
) -> ApiResult<Response> {
    validate::reason(&req.reason)?;
    let key = key_from(&headers)?;
    let fp = fingerprint(&format!("POST /v1/appointments/{id}/cancel"), &req);
    let st = state.clone();
    idempotency::run(&state, user.id, key, fp, move |tx| {
        let appt = load_visible(tx, id, user.id)?;
        if appt.status == AppointmentStatus::Cancelled {
            return Ok((StatusCode::OK, to_json(&appt)?));
        }
        let now = st.clock.now();
        let role = actor(&user, &appt);
        st.config.cancel_policy.check_cancel(role, appt.status, appt.start, appt.end, now)?;
        store::set_status(tx, id, AppointmentStatus::Cancelled, now)?;
        tx.prepare_cached("UPDATE appointments SET cancel_reason = ?2, cancelled_by = ?3 WHERE id = ?1")?
            .execute(params![id.to_string(), req.reason.trim(), role.as_str()])?;
        let appt = load_visible(tx, id, user.id)?;
        record_appointment(tx, &appt)?;
        Ok((StatusCode::OK, to_json(&appt)?))
    })
    .await
}

/// Moves an appointment to another slot atomically. Requires an `Idempotency-Key` header.
#[utoipa::path(post, path = "/v1/appointments/{id}/reschedule", tag = "appointments", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appointment id"), ("Idempotency-Key" = String, Header, description = "Unique key per attempt")),
    request_body = RescheduleRequest,
    responses((status = 200, body = Appointment), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn reschedule(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<AppointmentId>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<RescheduleRequest>,
) -> ApiResult<Response> {
    let key = require_key(&headers)?;
    check_instant(req.start)?;
    let fp = fingerprint(&format!("POST /v1/appointments/{id}/reschedule"), &req);
    let st = state.clone();
    idempotency::run(&state, user.id, Some(key), fp, move |tx| {
        let appt = load_visible(tx, id, user.id)?;
        let now = st.clock.now();
        st.config.cancel_policy.check_reschedule(actor(&user, &appt), appt.status, appt.start, now)?;
        let rules = load_rules(tx, appt.provider_id)?.ok_or(ApiError::NotFound)?;
        let bookings = nearby_bookings(tx, appt.provider_id, req.start, Some(id))?;
        let slot = check_bookable(&rules, req.start, now, &bookings)?;
        let (bs, be) = blocked_range(&rules, slot.start, slot.end);
        tx.prepare_cached("UPDATE appointments SET start_ts = ?2, end_ts = ?3, block_start = ?4, block_end = ?5, status = 'booked', holds_time = 1,
                updated_at = ?6, version = version + 1 WHERE id = ?1")?.execute(params![id.to_string(), slot.start.as_second(), slot.end.as_second(), bs.as_second(), be.as_second(), now.as_second()],
        )
        .map_err(map_write_error)?;
        let appt = load_visible(tx, id, user.id)?;
        record_appointment(tx, &appt)?;
        Ok((StatusCode::OK, to_json(&appt)?))
    })
    .await
}

/// Provider status actions: arrived, fulfilled, noshow, entered-in-error. Repeating a status is a no-op.
#[utoipa::path(post, path = "/v1/appointments/{id}/status", tag = "appointments", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appointment id"), ("Idempotency-Key" = Option<String>, Header, description = "Optional retry key")),
    request_body = StatusRequest,
    responses((status = 200, body = Appointment), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn set_status(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<AppointmentId>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<StatusRequest>,
) -> ApiResult<Response> {
    let key = key_from(&headers)?;
    let fp = fingerprint(&format!("POST /v1/appointments/{id}/status"), &req);
    let st = state.clone();
    idempotency::run(&state, user.id, key, fp, move |tx| {
        let appt = load_visible(tx, id, user.id)?;
        let role = actor(&user, &appt);
        // Role first, so the no-op below never answers 200 to a patient.
        if role != Role::Provider {
            return Err(ApiError::Forbidden);
        }
        let to: AppointmentStatus = req.status.into();
        if appt.status == to {
            return Ok((StatusCode::OK, to_json(&appt)?));
        }
        let now = st.clock.now();
        check_transition(appt.status, to, role, appt.start, appt.end, now)?;
        store::set_status(tx, id, to, now)?;
        let appt = load_visible(tx, id, user.id)?;
        record_appointment(tx, &appt)?;
        Ok((StatusCode::OK, to_json(&appt)?))
    })
    .await
}

/// Writes the provider's session note; empty text deletes it.
#[utoipa::path(put, path = "/v1/appointments/{id}/notes", tag = "appointments", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appointment id")), request_body = NoteRequest,
    responses((status = 200, body = Note), (status = 204, description = "Note deleted"), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn put_note(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<AppointmentId>,
    ApiJson(req): ApiJson<NoteRequest>,
) -> ApiResult<Response> {
    validate::note(&req.text)?;
    let st = state.clone();
    let note = state
        .db
        .write(move |tx| {
            let appt = load_visible(tx, id, user.id)?;
            if appt.provider_id != user.id {
                return Err(ApiError::Forbidden);
            }
            let key = id.to_string();
            if req.text.trim().is_empty() {
                if tx.prepare_cached("DELETE FROM notes WHERE appointment_id = ?1")?.execute([&key])? > 0 {
                    store::record_change(tx, "note", &key, None, Some(user.id), true)?;
                }
                return Ok(None);
            }
            tx.prepare_cached(
                "INSERT INTO notes (appointment_id, provider_id, body, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(appointment_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            )?
            .execute(params![key, user.id.to_string(), req.text, st.clock.now().as_second()])?;
            store::record_change(tx, "note", &key, None, Some(user.id), false)?;
            store::load_note(tx, &key)
        })
        .await?;
    Ok(match note {
        Some(n) => axum::response::IntoResponse::into_response(Json(n)),
        None => axum::response::IntoResponse::into_response(StatusCode::NO_CONTENT),
    })
}

/// Reads the provider's session note.
#[utoipa::path(get, path = "/v1/appointments/{id}/notes", tag = "appointments", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appointment id")),
    responses((status = 200, body = Note), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get_note(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<AppointmentId>,
) -> ApiResult<Json<Note>> {
    let note = state
        .db
        .read(move |tx| {
            let appt = load_visible(tx, id, user.id)?;
            if appt.provider_id != user.id {
                return Err(ApiError::Forbidden);
            }
            store::load_note(tx, &id.to_string())
        })
        .await?;
    note.map(Json).ok_or(ApiError::NotFound)
}
