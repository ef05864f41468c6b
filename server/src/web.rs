//! Request extractors that turn every rejection into a problem+json `ApiError`.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// JSON object body extractor with problem+json rejections.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) if v.is_object() => serde_json::from_value(v)
                .map(Self)
                .map_err(|e| ApiError::bad_request("invalid_body", clean(e.to_string()))),
            Ok(_) => Err(ApiError::bad_request("invalid_body", "the body must be a JSON object")),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType),
            Err(JsonRejection::BytesRejection(r)) if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::PayloadTooLarge)
            }
            Err(JsonRejection::JsonSyntaxError(_)) => {
                Err(ApiError::bad_request("malformed_json", "the body is not valid JSON"))
            }
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::bad_request("invalid_body", clean(e.body_text()))),
            Err(e) => Err(ApiError::bad_request("invalid_body", clean(e.body_text()))),
        }
    }
}

/// Query-string extractor with problem+json rejections.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|e: QueryRejection| ApiError::bad_request("invalid_query", clean(e.body_text())))
    }
}

/// Path-parameter extractor with problem+json rejections (an unparsable id is simply not found).
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Self(p.0))
            .map_err(|_: PathRejection| ApiError::NotFound)
    }
}

/// Serde's messages can quote input; keep them short and single-line.
fn clean(text: String) -> String {
    let mut t: String = text.chars().filter(|c| !c.is_control()).take(300).collect();
    if t.is_empty() {
        t = "the request could not be read".into();
    }
    t
}
