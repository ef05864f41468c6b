//! HTTP client for the Psyter API: reqwest over rustls, HTTPS required except on loopback, optional
//! certificate pinning, retries with backoff only for requests safe to repeat, and every failure mapped
//! to [`CoreError`](crate::CoreError). Bodies are the shared wire types of `psyter_domain::wire`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), psyter_core::CoreError> {
//! use psyter_core::api::{ApiClient, ApiConfig, ProviderSearch};
//! let api = ApiClient::new(ApiConfig::new("https://api.psyter.app"))?;
//! let page = api.search_providers(&ProviderSearch { q: Some("anxiety".into()), ..Default::default() }).await?;
//! # let _ = page; Ok(()) }
//! ```

mod account;
mod booking;
mod client;
mod config;
mod map;
mod query;
mod request;
mod retry;
mod tls;

pub use client::ApiClient;
pub use config::{ApiConfig, is_loopback, parse_base_url, parse_pin};
pub use map::{ProblemInfo, error_for_status, problem_info};
pub use query::{AppointmentQuery, Order, ProviderSearch};
pub use request::{ApiRequest, ApiResponse, Method, path_template};
pub use retry::{RetryPolicy, backoff_delay, next_delay, parse_retry_after};
pub use tls::{PinnedVerifier, pin_matches, spki_sha256};
