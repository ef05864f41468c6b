//! Auth and account routes: register, login, refresh, logout, me, TOTP.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use psyter_domain::{Role, UserId, validate};
use rusqlite::{OptionalExtension, Transaction, params};

use super::tokens::{self, Rotation};
use super::{AuthUser, password, totp};
use crate::AppState;
use crate::error::{ApiError, ApiResult, Problem};
use crate::model::{LoginRequest, Me, RefreshRequest, RegisterRequest, TokenResponse, TotpCode, TotpSetup, UpdateMe};
use crate::web::ApiJson;

/// Routes under /v1 for accounts.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(register))
        .route("/auth/login", post(login))
        .route("/auth/refresh", post(refresh))
        .route("/auth/logout", post(logout))
        .route("/me", get(me).patch(update_me))
        .route("/me/totp/setup", post(totp_setup))
        .route("/me/totp/enable", post(totp_enable))
        .route("/me/totp/disable", post(totp_disable))
}

/// Loads the account view of user `id`.
pub fn load_me(tx: &Transaction<'_>, id: UserId) -> ApiResult<Me> {
    tx.query_row(
        "SELECT email, display_name, role, locale, time_zone, reminder_minutes, totp_enabled FROM users WHERE id = ?1",
        [id.to_string()],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
            ))
        },
    )
    .optional()?
    .ok_or(ApiError::NotFound)
    .and_then(|(email, display_name, role, locale, time_zone, reminders, totp_enabled)| {
        Ok(Me {
            id,
            email,
            display_name,
            role: role.parse()?,
            locale,
            time_zone,
            reminder_minutes: serde_json::from_str(&reminders).unwrap_or_default(),
            totp_enabled,
        })
    })
}

fn issue(state: &AppState, tx: &Transaction<'_>, user: UserId) -> ApiResult<TokenResponse> {
    let now = state.clock.now();
    let me = load_me(tx, user)?;
    let (sid, refresh_token) = tokens::start_session(tx, user, now, state.config.refresh_ttl)?;
    let access_token = state.keys.mint(user, me.role, &sid, now, state.config.access_ttl)?;
    Ok(TokenResponse {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: state.config.access_ttl.as_secs(),
        user: me,
    })
}

/// Creates an account and signs it in.
#[utoipa::path(post, path = "/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = TokenResponse), (status = 400, body = Problem), (status = 409, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> ApiResult<(StatusCode, Json<TokenResponse>)> {
    validate::email(&req.email)?;
    validate::password(&req.password)?;
    validate::display_name(&req.display_name)?;
    let tz = validate::canonical_time_zone(req.time_zone.as_deref().unwrap_or("UTC"))?;
    let locale = req.locale.clone().unwrap_or_else(|| "en-US".into());
    validate::locale(&locale)?;
    let hash = password::hash(req.password.clone()).await?;
    let st = state.clone();
    let res = state
        .db
        .write(move |tx| {
            let id = UserId::new();
            let now = st.clock.now().as_second();
            let inserted = tx.execute(
                "INSERT INTO users (id, email, password_hash, role, display_name, locale, time_zone, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(email) DO NOTHING",
                params![
                    id.to_string(),
                    req.email.trim(),
                    hash,
                    req.role.as_str(),
                    req.display_name.trim(),
                    locale,
                    tz,
                    now
                ],
            )?;
            if inserted == 0 {
                return Err(ApiError::Conflict {
                    code: "email_taken",
                    detail: "an account with this email already exists",
                });
            }
            if req.role == Role::Provider {
                crate::providers::insert_default_profile(tx, id, &tz)?;
            }
            issue(&st, tx, id)
        })
        .await?;
    if res.user.role == Role::Provider {
        state.directory.invalidate();
    }
    Ok((StatusCode::CREATED, Json(res)))
}

/// Signs in with email, password and (when enabled) a TOTP code.
#[utoipa::path(post, path = "/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let account = req.email.trim().to_lowercase();
    let address = addr.ip().to_string();
    let now = state.clock.now();
    if let Some(retry_after) = state.throttle.check(&account, &address, now) {
        return Err(ApiError::TooManyRequests { retry_after });
    }
    // Look up with the column's own NOCASE comparison (as the unique index does): lowercasing here
    // would fold non-ASCII letters that NOCASE does not, and such an account could never sign in.
    let email = req.email.trim().to_owned();
    let row = state
        .db
        .read(move |tx| {
            Ok(tx
                .query_row(
                    "SELECT id, password_hash, totp_enabled, totp_secret, totp_last_step FROM users WHERE email = ?1",
                    [&email],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, bool>(2)?,
                            r.get::<_, Option<Vec<u8>>>(3)?,
                            r.get::<_, Option<i64>>(4)?,
                        ))
                    },
                )
                .optional()?)
        })
        .await?;
    let ok = password::verify(req.password.clone(), row.as_ref().map(|r| r.1.clone())).await?;
    let bad = || ApiError::Unauthorized { code: "invalid_credentials", detail: "the email or password is wrong" };
    let Some((id, _, totp_enabled, secret, last_step)) = row.filter(|_| ok) else {
        state.throttle.fail(&account, &address, now);
        return Err(bad());
    };
    let mut used_step = None;
    if totp_enabled {
        let Some(code) = req.totp_code.as_deref() else {
            return Err(ApiError::Unauthorized {
                code: "totp_required",
                detail: "enter the code from your authenticator app",
            });
        };
        let Some(step) = totp::accept(secret.as_deref().unwrap_or_default(), code, now.as_second(), last_step) else {
            state.throttle.fail(&account, &address, now);
            return Err(ApiError::Unauthorized {
                code: "totp_invalid",
                detail: "the authenticator code is wrong or expired",
            });
        };
        used_step = Some(step);
    }
    state.throttle.succeed(&account);
    let id: UserId = id.parse()?;
    let st = state.clone();
    Ok(Json(
        state
            .db
            .write(move |tx| {
                if let Some(step) = used_step {
                    // Consume the step atomically: a concurrent login with the same code loses here.
                    let n = tx.execute(
                        "UPDATE users SET totp_last_step = ?2 WHERE id = ?1 AND (totp_last_step IS NULL OR totp_last_step < ?2)",
                        params![id.to_string(), step],
                    )?;
                    if n == 0 {
                        return Err(ApiError::Unauthorized { code: "totp_invalid", detail: "the authenticator code is wrong or expired" });
                    }
                }
                issue(&st, tx, id)
            })
            .await?,
    ))
}

/// Exchanges a refresh token for a new token pair (rotation with reuse detection).
#[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem)))]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<Json<TokenResponse>> {
    let st = state.clone();
    let out = state
        .db
        .write(move |tx| {
            let now = st.clock.now();
            match tokens::rotate(tx, &req.refresh_token, now, st.config.refresh_ttl, st.config.refresh_grace)? {
                Rotation::ReuseDetected => Ok(None),
                Rotation::Rotated { user, sid, token } => {
                    let me = load_me(tx, user)?;
                    let access_token = st.keys.mint(user, me.role, &sid, now, st.config.access_ttl)?;
                    Ok(Some(TokenResponse {
                        access_token,
                        refresh_token: token,
                        token_type: "Bearer".into(),
                        expires_in: st.config.access_ttl.as_secs(),
                        user: me,
                    }))
                }
            }
        })
        .await?;
    out.map(Json).ok_or(ApiError::Unauthorized {
        code: "refresh_token_reused",
        detail: "this refresh token was already used; the session has been ended for safety",
    })
}

/// Ends the session of the presented refresh token (idempotent).
#[utoipa::path(post, path = "/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"), (status = 400, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem)))]
pub async fn logout(State(state): State<AppState>, ApiJson(req): ApiJson<RefreshRequest>) -> ApiResult<StatusCode> {
    let st = state.clone();
    state
        .db
        .write(move |tx| {
            if let Some(sid) = tokens::session_of(tx, &req.refresh_token)? {
                tokens::revoke_session(tx, &sid, st.clock.now(), "logout")?;
            }
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(State(state): State<AppState>, user: AuthUser) -> ApiResult<Json<Me>> {
    Ok(Json(state.db.read(move |tx| load_me(tx, user.id)).await?))
}

/// Updates display name, locale, time zone or reminder offsets.
#[utoipa::path(patch, path = "/v1/me", tag = "auth", security(("bearer" = [])), request_body = UpdateMe,
    responses((status = 200, body = Me), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)))]
pub async fn update_me(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<UpdateMe>,
) -> ApiResult<Json<Me>> {
    if let Some(n) = &req.display_name {
        validate::display_name(n)?;
    }
    if let Some(l) = &req.locale {
        validate::locale(l)?;
    }
    let mut req = req;
    if let Some(tz) = &req.time_zone {
        req.time_zone = Some(validate::canonical_time_zone(tz)?);
    }
    if let Some(r) = &req.reminder_minutes
        && (r.len() > 5 || r.iter().any(|m| !(5..=10080).contains(m)))
    {
        return Err(psyter_domain::DomainError::Invalid {
            field: "reminder_minutes",
            reason: "at most 5 values, each 5 to 10080",
        }
        .into());
    }
    let me = state
        .db
        .write(move |tx| {
            let id = user.id.to_string();
            if let Some(n) = &req.display_name {
                tx.execute("UPDATE users SET display_name = ?2 WHERE id = ?1", params![id, n.trim()])?;
            }
            if let Some(l) = &req.locale {
                tx.execute("UPDATE users SET locale = ?2 WHERE id = ?1", params![id, l])?;
            }
            if let Some(tz) = &req.time_zone {
                tx.execute("UPDATE users SET time_zone = ?2 WHERE id = ?1", params![id, tz])?;
            }
            if let Some(r) = &req.reminder_minutes {
                let mut r = r.clone();
                r.sort_unstable_by(|a, b| b.cmp(a));
                r.dedup();
                let json = serde_json::to_string(&r).map_err(|e| ApiError::Internal(e.into()))?;
                tx.execute("UPDATE users SET reminder_minutes = ?2 WHERE id = ?1", params![id, json])?;
            }
            load_me(tx, user.id)
        })
        .await?;
    if me.role == Role::Provider {
        state.directory.invalidate();
    }
    Ok(Json(me))
}

/// Starts TOTP enrolment: returns a new secret (not yet required at sign-in).
#[utoipa::path(post, path = "/v1/me/totp/setup", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = TotpSetup), (status = 401, body = Problem), (status = 409, body = Problem)))]
pub async fn totp_setup(State(state): State<AppState>, user: AuthUser) -> ApiResult<Json<TotpSetup>> {
    let secret = totp::new_secret();
    let setup = state
        .db
        .write(move |tx| {
            let me = load_me(tx, user.id)?;
            if me.totp_enabled {
                return Err(ApiError::Conflict {
                    code: "totp_already_enabled",
                    detail: "two-step sign-in is already on",
                });
            }
            tx.execute("UPDATE users SET totp_secret = ?2 WHERE id = ?1", params![user.id.to_string(), secret])?;
            let b32 = totp::totp(&secret).map(|t| t.get_secret_base32()).unwrap_or_default();
            Ok(TotpSetup { secret: b32, otpauth_uri: totp::provisioning_uri(&secret, &me.email) })
        })
        .await?;
    Ok(Json(setup))
}

async fn set_totp(state: AppState, user: AuthUser, code: String, enable: bool) -> ApiResult<Json<Me>> {
    let st = state.clone();
    let me = state
        .db
        .write(move |tx| {
            let (secret, enabled): (Option<Vec<u8>>, bool) = tx.query_row(
                "SELECT totp_secret, totp_enabled FROM users WHERE id = ?1",
                [user.id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if enable == enabled {
                return Err(ApiError::Conflict {
                    code: "totp_state",
                    detail: "two-step sign-in is already in that state",
                });
            }
            let Some(secret) = secret else {
                return Err(ApiError::Conflict {
                    code: "totp_not_set_up",
                    detail: "start two-step sign-in setup first",
                });
            };
            let last: Option<i64> =
                tx.query_row("SELECT totp_last_step FROM users WHERE id = ?1", [user.id.to_string()], |r| r.get(0))?;
            let Some(step) = totp::accept(&secret, &code, st.clock.now().as_second(), last) else {
                return Err(ApiError::Unauthorized {
                    code: "totp_invalid",
                    detail: "the authenticator code is wrong or expired",
                });
            };
            if enable {
                tx.execute(
                    "UPDATE users SET totp_enabled = 1, totp_last_step = ?2 WHERE id = ?1",
                    params![user.id.to_string(), step],
                )?;
            } else {
                tx.execute(
                    "UPDATE users SET totp_enabled = 0, totp_secret = NULL, totp_last_step = NULL WHERE id = ?1",
                    [user.id.to_string()],
                )?;
            }
            load_me(tx, user.id)
        })
        .await?;
    Ok(Json(me))
}

/// Confirms TOTP enrolment with a current code; sign-in then requires a code.
#[utoipa::path(post, path = "/v1/me/totp/enable", tag = "auth", security(("bearer" = [])), request_body = TotpCode,
    responses((status = 200, body = Me), (status = 400, body = Problem), (status = 401, body = Problem), (status = 409, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem)))]
pub async fn totp_enable(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<TotpCode>,
) -> ApiResult<Json<Me>> {
    set_totp(state, user, req.code, true).await
}

/// Turns TOTP off, confirmed with a current code.
#[utoipa::path(post, path = "/v1/me/totp/disable", tag = "auth", security(("bearer" = [])), request_body = TotpCode,
    responses((status = 200, body = Me), (status = 400, body = Problem), (status = 401, body = Problem), (status = 409, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem)))]
pub async fn totp_disable(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<TotpCode>,
) -> ApiResult<Json<Me>> {
    set_totp(state, user, req.code, false).await
}
