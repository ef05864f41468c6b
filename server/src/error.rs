//! The server's one error enum, rendered as RFC 9457 `application/problem+json` with a stable `code`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use psyter_domain::DomainError;
pub use psyter_domain::wire::Problem;

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (bad JSON, query, header or path).
    #[error("{detail}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// Explanation.
        detail: String,
    },
    /// A domain rule rejected the input or the change.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// No valid credentials were presented.
    #[error("{detail}")]
    Unauthorized {
        /// Stable code.
        code: &'static str,
        /// Explanation.
        detail: &'static str,
    },
    /// The caller's role may not do this to a resource it can see.
    #[error("this action is not available to your role")]
    Forbidden,
    /// The resource does not exist or is not visible to the caller.
    #[error("not found")]
    NotFound,
    /// No such route or method.
    #[error("{0}")]
    Route(StatusCode),
    /// The request conflicts with current state.
    #[error("{detail}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// Explanation.
        detail: &'static str,
    },
    /// An Idempotency-Key was reused with a different request.
    #[error("this Idempotency-Key was already used for a different request")]
    IdempotencyMismatch,
    /// Too many attempts; retry after the given seconds.
    #[error("too many attempts; try again later")]
    TooManyRequests {
        /// Seconds until a retry may succeed.
        retry_after: u64,
    },
    /// The body is larger than the limit.
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// The body is not JSON.
    #[error("the request body must be application/json")]
    UnsupportedMediaType,
    /// Something failed inside the server; details are logged, not sent.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// Shorthand for a 400 with a code and detail.
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        Self::BadRequest { code, detail: detail.into() }
    }

    /// The HTTP status this error is sent with.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Domain(e) => match e {
                DomainError::SlotTaken | DomainError::DailyLimitReached | DomainError::InvalidTransition { .. } => {
                    StatusCode::CONFLICT
                }
                DomainError::NotAllowed => StatusCode::FORBIDDEN,
                DomainError::InsideCutoff | DomainError::WrongTime => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            },
            Self::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Route(s) => *s,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::IdempotencyMismatch => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. } | Self::Unauthorized { code, .. } | Self::Conflict { code, .. } => code,
            Self::Domain(e) => e.code(),
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Route(s) if *s == StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
            Self::Route(_) => "not_found",
            Self::IdempotencyMismatch => "idempotency_key_reused",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Internal(_) => "internal",
        }
    }

    /// The problem document for this error.
    pub fn problem(&self) -> Problem {
        let status = self.status();
        Problem {
            kind: format!("tag:psyter.app,2026:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            code: self.code().to_owned(),
            retry_after: match self {
                Self::TooManyRequests { retry_after } => Some(*retry_after),
                _ => None,
            },
        }
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Internal(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = %e, "internal error");
        }
        let problem = self.problem();
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut res = (self.status(), body).into_response();
        let headers = res.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Self::TooManyRequests { retry_after } = self {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        if matches!(self, Self::Unauthorized { .. }) {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"psyter\""));
        }
        res
    }
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;
