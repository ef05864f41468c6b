//! A provider's own availability rules: read and replace.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use psyter_domain::AvailabilityRules;
use rusqlite::params;

use crate::AppState;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::web::ApiJson;

/// Routes under /v1 for availability.
pub fn router() -> Router<AppState> {
    Router::new().route("/me/availability", get(read).put(replace))
}

/// The signed-in provider's availability rules.
#[utoipa::path(get, path = "/v1/me/availability", tag = "availability", security(("bearer" = [])),
    responses((status = 200, body = AvailabilityRules), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn read(State(state): State<AppState>, user: AuthUser) -> ApiResult<Json<AvailabilityRules>> {
    user.require_provider()?;
    let rules = state.db.read(move |tx| crate::providers::load_rules(tx, user.id)).await?;
    rules.map(Json).ok_or(ApiError::NotFound)
}

/// Replaces the signed-in provider's availability rules. Existing bookings are kept as they are.
#[utoipa::path(put, path = "/v1/me/availability", tag = "availability", security(("bearer" = [])),
    request_body = AvailabilityRules,
    responses((status = 200, body = AvailabilityRules), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn replace(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(rules): ApiJson<AvailabilityRules>,
) -> ApiResult<Json<AvailabilityRules>> {
    user.require_provider()?;
    let mut rules = rules;
    rules.validate()?;
    rules.time_zone = psyter_domain::validate::canonical_time_zone(&rules.time_zone)?;
    let json = serde_json::to_string(&rules).map_err(|e| ApiError::Internal(e.into()))?;
    let saved = rules.clone();
    state
        .db
        .write(move |tx| {
            let n = tx.execute(
                "UPDATE providers SET rules = ?2, time_zone = ?3, session_minutes = ?4 WHERE id = ?1",
                params![user.id.to_string(), json, saved.time_zone, saved.session_minutes],
            )?;
            if n == 0 { Err(ApiError::NotFound) } else { Ok(()) }
        })
        .await?;
    state.directory.invalidate();
    Ok(Json(rules))
}
