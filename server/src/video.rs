//! Video credentials for a consultation: Agora AccessToken2 when configured, else the sandbox engine.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
pub use psyter_domain::wire::{Engine, VideoCredentials};
use psyter_domain::{AppointmentId, AppointmentStatus, UserId, in_join_window};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::appointments::store::load_visible;
use crate::auth::AuthUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::web::ApiPath;

/// Routes under /v1 for video.
pub fn router() -> Router<AppState> {
    Router::new().route("/appointments/{id}/video-token", post(video_token))
}

/// A stable non-zero uid for a user, so both sides can recognise each other.
pub fn uid_for(user: UserId) -> u32 {
    let d = Sha256::digest(user.0.as_bytes());
    (u32::from_be_bytes([d[0], d[1], d[2], d[3]]) & 0x7fff_ffff).max(1)
}

/// The channel name of an appointment.
pub fn channel_for(id: AppointmentId) -> String {
    format!("psyter-{}", id.0.simple())
}

/// Issues (or renews) video credentials for a participant inside the join window.
#[utoipa::path(post, path = "/v1/appointments/{id}/video-token", tag = "video", security(("bearer" = [])),
    params(("id" = String, Path, description = "Appointment id")),
    responses((status = 200, body = VideoCredentials), (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn video_token(
    State(state): State<AppState>,
    user: AuthUser,
    ApiPath(id): ApiPath<AppointmentId>,
) -> ApiResult<Json<VideoCredentials>> {
    let appt = state.db.read(move |tx| load_visible(tx, id, user.id)).await?;
    if !matches!(appt.status, AppointmentStatus::Booked | AppointmentStatus::Arrived | AppointmentStatus::CheckedIn) {
        return Err(ApiError::Conflict {
            code: "appointment_not_active",
            detail: "this appointment cannot be joined in its current status",
        });
    }
    let now = state.clock.now();
    if !in_join_window(appt.start, appt.end, now) {
        return Err(ApiError::Conflict {
            code: "outside_join_window",
            detail: "the consultation can be joined from 10 minutes before its start until its end",
        });
    }
    let channel = channel_for(id);
    let uid = uid_for(user.id);
    let expires_at = (now + state.config.video_token_ttl).min(appt.end + jiff::SignedDuration::from_mins(5));
    let ttl = u32::try_from(expires_at.as_second() - now.as_second()).unwrap_or(0).max(1);
    let issue_ts = u32::try_from(now.as_second()).map_err(|e| ApiError::Internal(e.into()))?;
    let creds = match &state.config.agora {
        Some(agora) => {
            let token = psyter_agora_token::build_rtc_token(
                &agora.app_id,
                &agora.app_certificate,
                &channel,
                uid,
                psyter_agora_token::Role::Publisher,
                ttl,
                ttl,
                issue_ts,
                rand::random::<u32>().max(1),
            )
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("building agora token: {}", e.code())))?;
            VideoCredentials {
                engine: Engine::Agora,
                app_id: agora.app_id.clone(),
                channel,
                uid,
                token,
                expires_at,
                window_ends_at: appt.end,
            }
        }
        None => {
            let token = state.keys.mint_signalling(user.id, &channel, uid, now, expires_at)?;
            VideoCredentials {
                engine: Engine::Sandbox,
                app_id: "sandbox".into(),
                channel,
                uid,
                token,
                expires_at,
                window_ends_at: appt.end,
            }
        }
    };
    Ok(Json(creds))
}
