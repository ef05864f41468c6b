//! Idempotency-Key handling after the IETF draft: missing key -> 400, same key with another body -> 422,
//! same key while the first is in flight -> 409, same key and body later -> the stored response replayed.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use psyter_domain::UserId;
use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::{ApiError, ApiResult};

/// An in-flight claim older than this is considered abandoned (its request crashed) and may be retaken.
const ABANDONED_AFTER_SECS: i64 = 60;
/// Completed keys are kept this long for replay.
const RETAIN_SECS: i64 = 24 * 3600;

/// Reads the `Idempotency-Key` header: 1 to 255 visible ASCII characters.
pub fn key_from(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(v) = headers.get("idempotency-key") else { return Ok(None) };
    let s = v
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= 255 && s.bytes().all(|b| b.is_ascii_graphic()));
    s.map(|s| Some(s.to_owned())).ok_or_else(|| {
        ApiError::bad_request("idempotency_key_invalid", "Idempotency-Key must be 1 to 255 visible ASCII characters")
    })
}

/// Requires the header.
pub fn require_key(headers: &HeaderMap) -> ApiResult<String> {
    key_from(headers)?
        .ok_or_else(|| ApiError::bad_request("idempotency_key_missing", "this request needs an Idempotency-Key header"))
}

/// A fingerprint of the request: method, path and canonical JSON body.
pub fn fingerprint(method_path: &str, body: &impl serde::Serialize) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(method_path.as_bytes());
    h.update(b"\n");
    h.update(serde_json::to_vec(body).unwrap_or_default());
    h.finalize().to_vec()
}

/// What claiming a key found.
pub enum Claim {
    /// First use: go ahead.
    New,
    /// Already completed: replay this status and JSON body.
    Replay(u16, String),
}

/// Claims `key` for `user` (or finds its stored outcome).
pub fn claim(tx: &Transaction<'_>, user: UserId, key: &str, fp: &[u8], now: Timestamp) -> ApiResult<Claim> {
    let now_s = now.as_second();
    tx.prepare_cached("DELETE FROM idempotency_keys WHERE created_at < ?1")?.execute([now_s - RETAIN_SECS])?;
    let row = tx
        .query_row(
            "SELECT fingerprint, state, status, body, created_at FROM idempotency_keys WHERE user_id = ?1 AND key = ?2",
            params![user.to_string(), key],
            |r| {
                Ok((
                    r.get::<_, Vec<u8>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<u16>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            },
        )
        .optional()?;
    match row {
        None => {
            tx.prepare_cached("INSERT INTO idempotency_keys (user_id, key, fingerprint, state, created_at) VALUES (?1, ?2, ?3, 'in_flight', ?4)")?.execute(params![user.to_string(), key, fp, now_s],
            )?;
            Ok(Claim::New)
        }
        Some((stored, _, _, _, _)) if stored != fp => Err(ApiError::IdempotencyMismatch),
        Some((_, state, Some(status), Some(body), _)) if state == "done" => Ok(Claim::Replay(status, body)),
        Some((_, _, _, _, created)) if now_s - created > ABANDONED_AFTER_SECS => {
            tx.prepare_cached("UPDATE idempotency_keys SET created_at = ?3 WHERE user_id = ?1 AND key = ?2")?
                .execute(params![user.to_string(), key, now_s])?;
            Ok(Claim::New)
        }
        Some(_) => Err(ApiError::Conflict {
            code: "idempotency_in_flight",
            detail: "a request with this Idempotency-Key is still being processed; retry shortly",
        }),
    }
}

/// Stores the final outcome of a claimed key.
pub fn complete(tx: &Transaction<'_>, user: UserId, key: &str, status: u16, body: &str) -> ApiResult<()> {
    tx.prepare_cached(
        "UPDATE idempotency_keys SET state = 'done', status = ?3, body = ?4 WHERE user_id = ?1 AND key = ?2",
    )?
    .execute(params![user.to_string(), key, status, body])?;
    Ok(())
}

/// Runs `work` exactly once per (user, key, fingerprint): the work's effects and its stored response
/// commit in one transaction. Client errors are stored and replayed; server errors release the key.
///
/// The claim, the work and the stored response run in their own task: a client that disconnects (or
/// is killed) mid-request cancels only its wait, never the sequence, so its retry finds the response
/// to replay instead of a claim left in flight until it is deemed abandoned.
pub async fn run<F>(state: &AppState, user: UserId, key: Option<String>, fp: Vec<u8>, work: F) -> ApiResult<Response>
where
    F: FnOnce(&Transaction<'_>) -> ApiResult<(StatusCode, serde_json::Value)> + Send + 'static,
{
    let state = state.clone();
    tokio::spawn(async move { run_to_completion(&state, user, key, fp, work).await })
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("the idempotent request task failed: {e}")))?
}

/// The body of [`run`], in its own task.
async fn run_to_completion<F>(
    state: &AppState,
    user: UserId,
    key: Option<String>,
    fp: Vec<u8>,
    work: F,
) -> ApiResult<Response>
where
    F: FnOnce(&Transaction<'_>) -> ApiResult<(StatusCode, serde_json::Value)> + Send + 'static,
{
    let Some(key) = key else {
        let (status, body) = state.db.write(work).await?;
        return Ok(json_response(status, &body.to_string(), false));
    };
    let now = state.clock.now();
    let (k, f) = (key.clone(), fp.clone());
    match state.db.write(move |tx| claim(tx, user, &k, &f, now)).await? {
        Claim::Replay(status, body) => {
            let status = StatusCode::from_u16(status).map_err(|e| ApiError::Internal(e.into()))?;
            return Ok(json_response(status, &body, true));
        }
        Claim::New => {}
    }
    let k = key.clone();
    let outcome = state
        .db
        .write(move |tx| {
            let (status, body) = match work(tx) {
                Ok((status, body)) => (status, body.to_string()),
                Err(e) if e.status().is_client_error() => {
                    (e.status(), serde_json::to_string(&e.problem()).map_err(|e| ApiError::Internal(e.into()))?)
                }
                Err(e) => return Err(e),
            };
            complete(tx, user, &k, status.as_u16(), &body)?;
            Ok((status, body))
        })
        .await;
    match outcome {
        Ok((status, body)) => Ok(json_response(status, &body, false)),
        Err(e) => {
            let k = key.clone();
            let _ = state
                .db
                .write(move |tx| {
                    tx.prepare_cached(
                        "DELETE FROM idempotency_keys WHERE user_id = ?1 AND key = ?2 AND state = 'in_flight'",
                    )?
                    .execute(params![user.to_string(), k])?;
                    Ok(())
                })
                .await;
            Err(e)
        }
    }
}

fn json_response(status: StatusCode, body: &str, replayed: bool) -> Response {
    let mut res = (status, body.to_owned()).into_response();
    let ct = if status.is_success() { "application/json" } else { "application/problem+json" };
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    if replayed {
        res.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    res
}
