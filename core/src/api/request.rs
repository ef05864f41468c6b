//! One API call as the client sends it, and one decoded answer.

use std::fmt;

use serde::Serialize;

use crate::CoreError;

/// HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Read.
    Get,
    /// Create or act (not idempotent unless it carries an Idempotency-Key).
    Post,
    /// Replace (idempotent).
    Put,
    /// Partial update (not idempotent).
    Patch,
    /// Remove (idempotent).
    Delete,
    /// Read headers only.
    Head,
}

impl Method {
    /// Whether repeating the request has the same effect as sending it once (RFC 9110 section 9.2.2).
    pub fn is_idempotent(self) -> bool {
        matches!(self, Self::Get | Self::Put | Self::Delete | Self::Head)
    }

    /// The method's name, e.g. `GET`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
            Self::Head => "HEAD",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
            Self::Head => reqwest::Method::HEAD,
        }
    }
}

/// A request: method, path under the base URL, query, JSON body, bearer token and Idempotency-Key.
/// Its `Debug` output never shows the token or the body.
#[derive(Clone)]
pub struct ApiRequest<'a> {
    /// The method.
    pub method: Method,
    /// Path under the base URL, starting with `/`, e.g. `/v1/appointments/{id}` filled in.
    pub path: String,
    /// Query parameters (never logged).
    pub query: Vec<(String, String)>,
    /// JSON body, if any (never logged).
    pub body: Option<serde_json::Value>,
    /// Access token for `Authorization: Bearer` (never logged).
    pub bearer: Option<&'a str>,
    /// The `Idempotency-Key`; makes a POST safe to retry.
    pub idempotency_key: Option<&'a str>,
}

impl<'a> ApiRequest<'a> {
    /// A request with no query, body, token or key.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self { method, path: path.into(), query: Vec::new(), body: None, bearer: None, idempotency_key: None }
    }

    /// A GET of `path`.
    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::Get, path)
    }

    /// A POST to `path`.
    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::Post, path)
    }

    /// Adds the bearer token.
    pub fn bearer(mut self, token: &'a str) -> Self {
        self.bearer = Some(token);
        self
    }

    /// Adds an Idempotency-Key.
    pub fn idempotency_key(mut self, key: &'a str) -> Self {
        self.idempotency_key = Some(key);
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Adds a query parameter when `value` is `Some`.
    pub fn query_opt(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    /// Sets the JSON body from any serialisable value.
    pub fn json(mut self, body: &impl Serialize) -> Result<Self, CoreError> {
        let value = serde_json::to_value(body)
            .map_err(|_| CoreError::Internal { detail: "a request body could not be encoded".into() })?;
        self.body = Some(value);
        Ok(self)
    }

    /// Sets an already built JSON body.
    pub fn json_value(mut self, body: serde_json::Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Whether the request may be sent again after a transient failure.
    pub fn is_retryable(&self) -> bool {
        self.method.is_idempotent() || self.idempotency_key.is_some()
    }
}

impl fmt::Debug for ApiRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRequest")
            .field("method", &self.method)
            .field("path", &path_template(&self.path))
            .field("query", &format_args!("[{} parameters]", self.query.len()))
            .field("body", &self.body.as_ref().map(|_| "<redacted>"))
            .field("bearer", &self.bearer.map(|_| "<redacted>"))
            .field("idempotency_key", &self.idempotency_key.is_some())
            .finish()
    }
}

/// A decoded successful answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse<T> {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The decoded body (`()` or `None` for an empty body).
    pub body: T,
    /// Whether the server replayed a stored answer for a reused Idempotency-Key.
    pub replayed: bool,
    /// The server's request id (`x-request-id`), for support.
    pub request_id: Option<String>,
    /// Attempts it took (1 when the first one succeeded).
    pub attempts: u32,
}

/// A path with identifier-like segments (UUIDs, numbers) replaced by `{id}`, safe to log.
pub fn path_template(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/')
        .map(|seg| {
            let id_like = uuid::Uuid::parse_str(seg).is_ok()
                || (!seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()))
                || seg.len() > 40;
            if id_like { "{id}" } else { seg }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_safe_methods_or_keyed_writes_are_retryable() {
        assert!(ApiRequest::get("/v1/me").is_retryable());
        assert!(ApiRequest::new(Method::Put, "/x").is_retryable());
        assert!(ApiRequest::new(Method::Delete, "/x").is_retryable());
        assert!(!ApiRequest::post("/v1/appointments").is_retryable());
        assert!(!ApiRequest::new(Method::Patch, "/v1/me").is_retryable());
        assert!(ApiRequest::post("/v1/appointments").idempotency_key("k").is_retryable());
    }

    #[test]
    fn templates_hide_ids_and_queries() {
        let id = "01890f5e-7c1a-7cc0-9c5e-1b2f3a4b5c6d";
        assert_eq!(path_template(&format!("/v1/appointments/{id}/cancel")), "/v1/appointments/{id}/cancel");
        assert_eq!(path_template("/v1/sync?since=5"), "/v1/sync");
        assert_eq!(path_template("/v1/things/123"), "/v1/things/{id}");
    }

    #[test]
    fn debug_redacts_token_body_and_query() {
        let req = ApiRequest::post("/v1/auth/login")
            .bearer("secret-token")
            .query("q", "private words")
            .json_value(serde_json::json!({"password": "hunter2"}));
        let text = format!("{req:?}");
        for secret in ["secret-token", "hunter2", "private words"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}
