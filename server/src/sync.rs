//! The delta feed: every change visible to the caller since a cursor, one entry per entity at its
//! latest sequence number, with tombstones. Writers are serialised and sequence numbers are assigned
//! inside their transactions, so a reader's snapshot always sees a gap-free prefix of the sequence.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use psyter_domain::DomainError;
pub use psyter_domain::wire::{Change, ChangeKind, ChangeOp, SyncPage};
use rusqlite::params;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::appointments::store;
use crate::auth::AuthUser;
use crate::error::{ApiResult, Problem};
use crate::web::ApiQuery;

/// Routes under /v1 for sync.
pub fn router() -> Router<AppState> {
    Router::new().route("/sync", get(feed))
}

/// Feed position and page size.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SyncQuery {
    /// Cursor from the last page (0 or absent for everything).
    #[param(minimum = 0)]
    pub since: Option<i64>,
    /// Page size, 1 to 1000 (default 500).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// Changes visible to the caller since `since`.
#[utoipa::path(get, path = "/v1/sync", tag = "sync", security(("bearer" = [])), params(SyncQuery),
    responses((status = 200, body = SyncPage), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn feed(
    State(state): State<AppState>,
    user: AuthUser,
    ApiQuery(q): ApiQuery<SyncQuery>,
) -> ApiResult<Json<SyncPage>> {
    let since = q.since.unwrap_or(0);
    if since < 0 {
        return Err(DomainError::Invalid { field: "since", reason: "must not be negative" }.into());
    }
    let limit = q.limit.unwrap_or(500);
    if !(1..=1000).contains(&limit) {
        return Err(DomainError::Invalid { field: "limit", reason: "must be 1 to 1000" }.into());
    }
    let page = state
        .db
        .read(move |tx| {
            let me = user.id.to_string();
            let mut stmt = tx.prepare_cached(
                "SELECT seq, kind, entity_id, op FROM changes WHERE seq > ?1 AND (patient_id = ?2 OR provider_id = ?2)
                 ORDER BY seq LIMIT ?3",
            )?;
            let mut rows: Vec<(i64, String, String, String)> = stmt
                .query_map(params![since, me, limit + 1], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<Result<_, _>>()?;
            let has_more = rows.len() > limit as usize;
            rows.truncate(limit as usize);
            let cursor = rows.last().map(|r| r.0).unwrap_or(since);
            let mut changes = Vec::with_capacity(rows.len());
            let mut provider_ids = BTreeSet::new();
            for (seq, kind, id, op) in rows {
                let tombstone = op == "tombstone";
                let op = if tombstone { ChangeOp::Tombstone } else { ChangeOp::Upsert };
                let change = if kind == "note" {
                    let note = if tombstone { None } else { store::load_note(tx, &id)? };
                    let op = if note.is_none() { ChangeOp::Tombstone } else { op };
                    Change { seq, kind: ChangeKind::Note, id, op, appointment: None, note }
                } else {
                    let appointment = store::load(tx, &id)?;
                    if let Some(a) = &appointment {
                        provider_ids.insert(a.provider_id);
                    }
                    Change { seq, kind: ChangeKind::Appointment, id, op, appointment, note: None }
                };
                changes.push(change);
            }
            let ids: Vec<String> = provider_ids.iter().map(ToString::to_string).collect();
            let providers = crate::providers::load_profiles(tx, &ids)?;
            Ok(SyncPage { changes, providers, cursor, has_more })
        })
        .await?;
    Ok(Json(page))
}
