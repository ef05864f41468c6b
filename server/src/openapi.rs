//! The served OpenAPI 3.1 description, generated from the handlers and types so it cannot drift.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::{appointments, auth, availability, metrics, model, providers, sync, video};

struct BearerAuth;

/// Error responses are RFC 9457 documents: declare them as `application/problem+json`.
struct ProblemContentType;

impl Modify for ProblemContentType {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                for (status, resp) in op.responses.responses.iter_mut() {
                    let utoipa::openapi::RefOr::T(resp) = resp else { continue };
                    if status.starts_with('2') {
                        continue;
                    }
                    if let Some(content) = resp.content.shift_remove("application/json") {
                        resp.content.insert("application/problem+json".to_owned(), content);
                    }
                }
            }
        }
    }
}

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Psyter API", version = "1.0.0", description = "Reference API for Psyter clients. Errors are RFC 9457 problem+json with a stable `code`."),
    paths(
        crate::healthz,
        metrics::render,
        serve,
        auth::routes::register,
        auth::routes::login,
        auth::routes::refresh,
        auth::routes::logout,
        auth::routes::me,
        auth::routes::update_me,
        auth::routes::totp_setup,
        auth::routes::totp_enable,
        auth::routes::totp_disable,
        providers::search,
        providers::detail,
        providers::slots,
        availability::read,
        availability::replace,
        appointments::routes::book,
        appointments::routes::list,
        appointments::routes::detail,
        appointments::routes::cancel,
        appointments::routes::reschedule,
        appointments::routes::set_status,
        appointments::routes::put_note,
        appointments::routes::get_note,
        sync::feed,
        video::video_token,
    ),
    components(schemas(model::Me, crate::error::Problem)),
    modifiers(&BearerAuth, &ProblemContentType),
    tags(
        (name = "auth", description = "Accounts, sessions and two-step sign-in"),
        (name = "providers", description = "Provider directory and free slots"),
        (name = "availability", description = "A provider's own availability rules"),
        (name = "appointments", description = "Booking and managing appointments"),
        (name = "sync", description = "Delta feed for offline clients"),
        (name = "video", description = "Video consultation credentials"),
        (name = "ops", description = "Health, metrics and this description"),
    )
)]
pub struct ApiDoc;

/// Serves this document.
#[utoipa::path(get, path = "/openapi.json", tag = "ops", responses((status = 200, description = "OpenAPI 3.1 document", body = Object)))]
pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
