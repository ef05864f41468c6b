//! The HTTP client: one reqwest client per server, retries for requests safe to repeat, and every
//! failure mapped to `CoreError`. Logs method, path template, status, attempt and time only.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use reqwest::Url;
use reqwest::header::{ACCEPT, HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;

use super::config::{ApiConfig, is_loopback, parse_base_url};
use super::map::{decode_error, error_for_status, problem_info, transport_error};
use super::request::{ApiRequest, ApiResponse, path_template};
use super::retry::{RetryPolicy, next_delay, parse_retry_after};
use super::tls;
use crate::CoreError;

/// The Psyter API client: cheap to clone (one shared connection pool), safe to use from many tasks.
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    retry: RetryPolicy,
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient").field("base", &self.inner.base.as_str()).finish_non_exhaustive()
    }
}

/// What one attempt got back before decoding.
struct RawResponse {
    status: u16,
    body: Vec<u8>,
    retry_after: Option<u64>,
    replayed: bool,
    request_id: Option<String>,
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

impl ApiClient {
    /// Builds a client for `config`: HTTPS unless the server is on loopback, pins enforced when given.
    pub fn new(config: ApiConfig) -> Result<Self, CoreError> {
        let base = parse_base_url(&config.base_url)?;
        let mut builder = reqwest::Client::builder()
            .user_agent(config.user_agent.as_str())
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .https_only(base.scheme() == "https");
        if is_loopback(&base) {
            builder = builder.no_proxy();
        }
        if let Some(tls) = tls::client_config(&config.pins, &config.extra_roots)? {
            builder = builder.use_preconfigured_tls(tls);
        }
        let http =
            builder.build().map_err(|_| CoreError::Internal { detail: "the HTTP client could not be built".into() })?;
        let retry = RetryPolicy {
            max_retries: config.max_retries,
            base_delay: config.retry_base_delay,
            max_delay: config.retry_max_delay,
            max_retry_after: config.max_retry_after,
        };
        Ok(Self { inner: Arc::new(Inner { http, base, retry }) })
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        self.inner.base.as_str()
    }

    /// Sends `req` (retrying when it is safe and the failure is transient) and decodes a 2xx body as `T`
    /// (an empty body decodes as JSON `null`, so `()` and `Option<_>` fit 204 answers).
    pub async fn send<T: DeserializeOwned>(&self, req: ApiRequest<'_>) -> Result<ApiResponse<T>, CoreError> {
        let url = self.url_for(&req)?;
        let template = path_template(&req.path);
        let method = req.method.as_str();
        let retryable = req.is_retryable();
        let mut retries = 0u32;
        loop {
            let attempt = retries + 1;
            let started = Instant::now();
            let outcome = self.attempt(&req, url.clone()).await;
            let elapsed_ms = millis(started.elapsed());
            let error = match outcome {
                Ok(raw) if (200..300).contains(&raw.status) => {
                    tracing::debug!(method, path = %template, status = raw.status, attempt, elapsed_ms, "api response");
                    let bytes: &[u8] = if raw.body.is_empty() { b"null" } else { &raw.body };
                    let body =
                        serde_json::from_slice(bytes).map_err(|e| decode_error(&format!("{method} {template}"), &e))?;
                    return Ok(ApiResponse {
                        status: raw.status,
                        body,
                        replayed: raw.replayed,
                        request_id: raw.request_id,
                        attempts: attempt,
                    });
                }
                Ok(raw) => {
                    let error = error_for_status(raw.status, problem_info(&raw.body), raw.retry_after);
                    tracing::debug!(method, path = %template, status = raw.status, attempt, elapsed_ms, code = error.code(), "api error response");
                    error
                }
                Err(error) => {
                    tracing::debug!(method, path = %template, attempt, elapsed_ms, code = error.code(), "api transport failure");
                    error
                }
            };
            match next_delay(&self.inner.retry, retries, retryable, &error, rand::random::<f64>()) {
                Some(wait) => {
                    tracing::debug!(method, path = %template, attempt, wait_ms = millis(wait), "api retry scheduled");
                    tokio::time::sleep(wait).await;
                    retries += 1;
                }
                None => return Err(error),
            }
        }
    }

    /// Sends `req` and returns just the decoded body.
    pub async fn call<T: DeserializeOwned>(&self, req: ApiRequest<'_>) -> Result<T, CoreError> {
        Ok(self.send(req).await?.body)
    }

    /// The absolute URL of `req`: base path + request path, then the query.
    fn url_for(&self, req: &ApiRequest<'_>) -> Result<Url, CoreError> {
        if !req.path.starts_with('/') || req.path.contains(['?', '#']) {
            return Err(CoreError::Internal { detail: "an API path must start with / and carry no query".into() });
        }
        let mut url = self.inner.base.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), req.path);
        url.set_path(&path);
        if !req.query.is_empty() {
            url.query_pairs_mut().extend_pairs(req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        Ok(url)
    }

    /// One attempt: send, read the whole body, keep the headers the client uses.
    async fn attempt(&self, req: &ApiRequest<'_>, url: Url) -> Result<RawResponse, CoreError> {
        let mut builder = self
            .inner
            .http
            .request(req.method.to_reqwest(), url)
            .header(ACCEPT, "application/json, application/problem+json");
        if let Some(token) = req.bearer {
            builder = builder.bearer_auth(token);
        }
        if let Some(key) = req.idempotency_key {
            builder = builder.header("idempotency-key", key);
        }
        if let Some(body) = &req.body {
            builder = builder.json(body);
        }
        let mut response = builder.send().await.map_err(|e| transport_error(&e))?;
        let status = response.status().as_u16();
        let headers = response.headers();
        let retry_after =
            header_str(headers, RETRY_AFTER.as_str()).and_then(|v| parse_retry_after(v, Timestamp::now()));
        let replayed = header_str(headers, "idempotent-replayed").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let request_id = header_str(headers, "x-request-id").map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport_error(&e))? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(CoreError::Internal { detail: "the server's response is larger than 32 MiB".into() });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse { status, body, retry_after, replayed, request_id })
    }
}

/// Largest response body read; a bigger one is refused rather than buffered.
const MAX_BODY_BYTES: usize = 32 << 20;

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Collects everything the fmt subscriber writes.
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn logs_carry_method_template_status_and_attempt_but_nothing_secret() {
        let app = axum::Router::new().fallback(|| async { axum::Json(serde_json::json!({"ok": true})) });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await.expect("stub") });

        let capture = Capture::default();
        let writer = capture.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);

        let api = ApiClient::new(ApiConfig::new(base)).expect("client");
        let id = uuid::Uuid::new_v4();
        let req = ApiRequest::post(format!("/v1/appointments/{id}/cancel"))
            .bearer("tok-SECRET")
            .idempotency_key("key-SECRET")
            .query("q", "query-SECRET")
            .json_value(serde_json::json!({"reason": "body-SECRET"}));
        let res = api.send::<serde_json::Value>(req).await.expect("send");
        assert_eq!((res.status, res.attempts), (200, 1));

        let text = String::from_utf8(capture.0.lock().expect("lock").clone()).expect("utf8");
        for expected in ["POST", "/v1/appointments/{id}/cancel", "status=200", "attempt=1", "elapsed_ms="] {
            assert!(text.contains(expected), "missing {expected}: {text}");
        }
        assert!(!text.contains("SECRET") && !text.contains(&id.to_string()), "{text}");
    }

    #[tokio::test]
    async fn malformed_headers_fail_at_once_without_retries() {
        let api = ApiClient::new(ApiConfig::new("http://127.0.0.1:9")).expect("client");
        let e = api.send::<()>(ApiRequest::get("/x").idempotency_key("bad\nkey")).await.expect_err("bad header");
        assert_eq!(e.code(), "internal");
        let e = api.send::<()>(ApiRequest::get("no-slash")).await.expect_err("bad path");
        assert_eq!(e.code(), "internal");
    }
}
