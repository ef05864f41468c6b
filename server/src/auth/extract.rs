//! The authenticated caller, taken from `Authorization: Bearer <access token>`.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use psyter_domain::{Role, UserId};
use rusqlite::OptionalExtension;

use crate::AppState;
use crate::error::ApiError;

/// A caller with a valid access token whose session is still live.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// The user id.
    pub id: UserId,
    /// The user's role.
    pub role: Role,
    /// The session the token belongs to.
    pub sid: String,
}

impl AuthUser {
    /// Fails with 403 unless the caller is a provider.
    pub fn require_provider(&self) -> Result<(), ApiError> {
        if self.role == Role::Provider { Ok(()) } else { Err(ApiError::Forbidden) }
    }

    /// Fails with 403 unless the caller is a patient.
    pub fn require_patient(&self) -> Result<(), ApiError> {
        if self.role == Role::Patient { Ok(()) } else { Err(ApiError::Forbidden) }
    }
}

fn unauthorized(detail: &'static str) -> ApiError {
    ApiError::Unauthorized { code: "unauthorized", detail }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(AUTHORIZATION).ok_or_else(|| unauthorized("sign in to continue"))?;
        let value = header.to_str().map_err(|_| unauthorized("malformed Authorization header"))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(|| unauthorized("expected a Bearer token"))?;
        let claims = state.keys.verify(token.trim(), state.clock.now()).ok_or(ApiError::Unauthorized {
            code: "token_invalid",
            detail: "the access token is invalid or expired",
        })?;
        let id: UserId = claims.sub.parse().map_err(|_| unauthorized("the access token is invalid"))?;
        let sid = claims.sid.clone();
        let live = state
            .db
            .read(move |tx| {
                Ok(tx
                    .prepare_cached("SELECT revoked_at IS NULL FROM sessions WHERE id = ?1")?
                    .query_row([&sid], |r| r.get::<_, bool>(0))
                    .optional()?
                    .unwrap_or(false))
            })
            .await?;
        if !live {
            return Err(ApiError::Unauthorized {
                code: "session_revoked",
                detail: "this session has ended; sign in again",
            });
        }
        Ok(AuthUser { id, role: claims.role, sid: claims.sid })
    }
}
