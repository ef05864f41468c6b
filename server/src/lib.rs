//! Psyter's reference API server: the HTTP contract the clients speak, backed by SQLite.

pub mod appointments;
pub mod auth;
pub mod availability;
pub mod clock;
pub mod config;
pub mod db;
pub mod directory;
pub mod error;
pub mod metrics;
pub mod model;
pub mod openapi;
pub mod providers;
pub mod seed;
pub mod signalling;
pub mod sync;
pub mod video;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, StatusCode};
use axum::routing::get;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use clock::Clock;
pub use config::Config;
pub use db::Db;

use crate::auth::throttle::Throttle;
use crate::auth::tokens::Keys;
use crate::error::ApiError;

/// Shared state handed to every handler.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Configuration.
    pub config: Arc<Config>,
    /// The clock.
    pub clock: Clock,
    /// Access-token keys.
    pub keys: Arc<Keys>,
    /// Login throttle.
    pub throttle: Arc<Throttle>,
    /// Metrics registry.
    pub metrics: Arc<metrics::Metrics>,
    /// In-memory provider directory for search.
    pub directory: Arc<directory::Directory>,
    /// Open sandbox signalling sockets.
    pub signalling: Arc<signalling::Hub>,
}

impl AppState {
    /// Opens the database and prepares keys for `config`, with `clock` as the source of now.
    pub fn open(config: Config, clock: Clock) -> anyhow::Result<Self> {
        let db = Db::open(&config.db_path)?;
        let keys = db.with_writer(|c| Keys::load_or_create(c))?;
        let throttle =
            Throttle::new(config.login_failures_per_account, config.login_failures_per_address, config.login_window);
        Ok(Self {
            db,
            config: Arc::new(config),
            clock,
            keys: Arc::new(keys),
            throttle: Arc::new(throttle),
            metrics: Arc::new(metrics::Metrics::default()),
            directory: Arc::new(directory::Directory::default()),
            signalling: Arc::new(signalling::Hub::default()),
        })
    }
}

/// Every route of the API.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let api = Router::new()
        .merge(auth::routes::router())
        .merge(providers::router())
        .merge(availability::router())
        .merge(appointments::router())
        .merge(sync::router())
        .merge(video::router())
        .merge(signalling::router());
    Router::new()
        .nest("/v1", api)
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::render))
        .route("/openapi.json", get(openapi::serve))
        .fallback(|| async { ApiError::Route(StatusCode::NOT_FOUND) })
        .method_not_allowed_fallback(|| async { ApiError::Route(StatusCode::METHOD_NOT_ALLOWED) })
        .layer(axum::middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            // Only the path is logged: query strings and bodies may carry personal data.
            tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, description = "Healthy", body = Health)))]
pub async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<axum::Json<Health>, ApiError> {
    state.db.read(|tx| Ok(tx.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)).await?;
    Ok(axum::Json(Health { status: "ok".into() }))
}

/// Health check body.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always "ok" when the server can answer.
    pub status: String,
}

/// Serves `router(state)` on `listener` until `shutdown` resolves, then drains in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
