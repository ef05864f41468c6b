//! Turns HTTP failures into `CoreError`: problem+json by status and `code`, transport errors by cause.
//! Nothing here copies a URL, a header or a response body (beyond the server's own `detail`) into an error.

use std::error::Error as StdError;
use std::io;

use psyter_domain::wire::Problem;

use crate::CoreError;

/// The parts of an error body the client uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProblemInfo {
    /// The stable machine code, when the body has one.
    pub code: Option<String>,
    /// The human-readable explanation, when the body has one.
    pub detail: Option<String>,
    /// Seconds to wait, from the body.
    pub retry_after: Option<u64>,
}

/// Reads an RFC 9457 problem (strictly as the API sends it, else any JSON object's `code` and `detail`).
pub fn problem_info(body: &[u8]) -> ProblemInfo {
    if let Ok(p) = serde_json::from_slice::<Problem>(body) {
        return ProblemInfo { code: Some(p.code), detail: Some(clean(&p.detail)), retry_after: p.retry_after };
    }
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) else {
        return ProblemInfo::default();
    };
    let text = |k: &str| map.get(k).and_then(|v| v.as_str()).map(clean).filter(|s| !s.is_empty());
    ProblemInfo {
        code: text("code").filter(|c| c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')),
        detail: text("detail"),
        retry_after: map.get("retry_after").and_then(|v| v.as_u64()),
    }
}

/// Keeps server text short and on one line.
fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(300).collect()
}

fn reason(status: u16) -> String {
    reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("request failed").to_owned()
}

/// Maps a non-2xx status and its problem to the core's error. `retry_after` is the header's value.
pub fn error_for_status(status: u16, problem: ProblemInfo, retry_after: Option<u64>) -> CoreError {
    let detail = problem.detail.unwrap_or_else(|| reason(status));
    let code = problem.code;
    let code_or = |fallback: &str| code.clone().unwrap_or_else(|| fallback.to_owned());
    match status {
        401 => match code.as_deref() {
            Some("refresh_token_reused" | "session_revoked") => CoreError::SessionEnded,
            _ => CoreError::Unauthorized { code: code_or("unauthorized") },
        },
        403 => CoreError::Policy { code: code_or("forbidden"), detail },
        404 | 410 => CoreError::NotFound,
        408 => CoreError::Timeout,
        409 => match code.as_deref() {
            Some("cancel_cutoff" | "wrong_time" | "invalid_transition") => {
                CoreError::Policy { code: code_or(""), detail }
            }
            _ => CoreError::Conflict { code: code_or("conflict"), detail },
        },
        422 if code.as_deref() == Some("idempotency_key_reused") => {
            CoreError::Conflict { code: code_or("idempotency_key_reused"), detail }
        }
        429 => CoreError::RateLimited { retry_after_secs: problem.retry_after.or(retry_after).unwrap_or(1) },
        400..=499 => {
            CoreError::Validation { code: code_or(if status == 422 { "unprocessable" } else { "bad_request" }), detail }
        }
        _ => CoreError::Server { status },
    }
}

/// Every error in `e`'s chain, looking inside `io::Error`s too (whose `source()` skips the wrapped error).
fn chain<'a>(e: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        out.push(err);
        next = match err.downcast_ref::<io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => err.source(),
        };
        if out.len() > 32 {
            break;
        }
    }
    out
}

/// Maps a failure to get a response (or its body) to the core's error.
pub fn transport_error(e: &reqwest::Error) -> CoreError {
    if e.is_builder() {
        return CoreError::Internal { detail: "the request could not be built (a header value is not allowed)".into() };
    }
    let causes = chain(e);
    if let Some(tls) = causes.iter().find_map(|c| c.downcast_ref::<rustls::Error>()) {
        return match tls {
            rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented => CoreError::Certificate,
            _ => CoreError::Network { detail: "the secure connection could not be established".into() },
        };
    }
    let io_kind = causes.iter().find_map(|c| c.downcast_ref::<io::Error>()).map(io::Error::kind);
    if e.is_timeout() || io_kind == Some(io::ErrorKind::TimedOut) {
        return CoreError::Timeout;
    }
    if e.is_connect() {
        return CoreError::Offline;
    }
    let detail = match io_kind {
        Some(io::ErrorKind::ConnectionReset) => "the connection was reset".to_owned(),
        Some(io::ErrorKind::ConnectionAborted) => "the connection was aborted".to_owned(),
        Some(io::ErrorKind::UnexpectedEof) => "the connection closed early".to_owned(),
        Some(kind) => format!("the connection failed ({kind})"),
        None if e.is_body() || e.is_decode() => "the response could not be read".to_owned(),
        None => "the request could not be completed".to_owned(),
    };
    CoreError::Network { detail }
}

/// A body that did not decode as `what`: position and error class only, never the body's text.
pub fn decode_error(what: &str, e: &serde_json::Error) -> CoreError {
    let class = match e.classify() {
        serde_json::error::Category::Io => "read",
        serde_json::error::Category::Syntax => "syntax",
        serde_json::error::Category::Data => "shape",
        serde_json::error::Category::Eof => "truncation",
    };
    CoreError::Internal {
        detail: format!(
            "the {what} response could not be decoded ({class} error at line {}, column {})",
            e.line(),
            e.column()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(status: u16, code: &str) -> Vec<u8> {
        let kind = format!("tag:psyter.app,2026:problem:{code}");
        serde_json::to_vec(
            &serde_json::json!({"type": kind, "title": "t", "status": status, "detail": "why", "code": code}),
        )
        .expect("json")
    }

    fn map(status: u16, code: &str) -> CoreError {
        error_for_status(status, problem_info(&problem(status, code)), None)
    }

    fn text(code: &str) -> (String, String) {
        (code.to_owned(), "why".to_owned())
    }

    #[test]
    fn statuses_and_codes_map_to_the_documented_errors() {
        assert_eq!(map(401, "refresh_token_reused"), CoreError::SessionEnded);
        assert_eq!(map(401, "session_revoked"), CoreError::SessionEnded);
        assert_eq!(map(401, "invalid_credentials"), CoreError::Unauthorized { code: "invalid_credentials".into() });
        let (code, detail) = text("forbidden");
        assert_eq!(map(403, "forbidden"), CoreError::Policy { code, detail });
        assert_eq!(map(404, "not_found"), CoreError::NotFound);
        for c in ["cancel_cutoff", "wrong_time", "invalid_transition"] {
            let (code, detail) = text(c);
            assert_eq!(map(409, c), CoreError::Policy { code, detail });
        }
        let (code, detail) = text("slot_taken");
        assert_eq!(map(409, "slot_taken"), CoreError::Conflict { code, detail });
        let (code, detail) = text("idempotency_key_reused");
        assert_eq!(map(422, "idempotency_key_reused"), CoreError::Conflict { code, detail });
        let (code, detail) = text("slot_unaligned");
        assert_eq!(map(422, "slot_unaligned"), CoreError::Validation { code, detail });
        let (code, detail) = text("idempotency_key_missing");
        assert_eq!(map(400, "idempotency_key_missing"), CoreError::Validation { code, detail });
        assert_eq!(map(500, "internal"), CoreError::Server { status: 500 });
        assert_eq!(map(503, "x"), CoreError::Server { status: 503 });
    }

    #[test]
    fn rate_limits_take_retry_after_from_body_then_header() {
        let mut body: serde_json::Value = serde_json::from_slice(&problem(429, "too_many_requests")).expect("json");
        body["retry_after"] = 42.into();
        let info = problem_info(&serde_json::to_vec(&body).expect("json"));
        assert_eq!(error_for_status(429, info, Some(7)), CoreError::RateLimited { retry_after_secs: 42 });
        assert_eq!(
            error_for_status(429, ProblemInfo::default(), Some(7)),
            CoreError::RateLimited { retry_after_secs: 7 }
        );
        assert_eq!(error_for_status(429, ProblemInfo::default(), None), CoreError::RateLimited { retry_after_secs: 1 });
    }

    #[test]
    fn non_problem_bodies_fall_back_to_status_and_never_leak() {
        let html = b"<html>secret session page</html>";
        let e = error_for_status(400, problem_info(html), None);
        assert_eq!(e, CoreError::Validation { code: "bad_request".into(), detail: "Bad Request".into() });
        assert_eq!(error_for_status(502, problem_info(html), None), CoreError::Server { status: 502 });
        // A loose JSON error keeps a well-formed code and drops a malformed one.
        let loose = br#"{"code":"slot_taken","detail":"line\nbreak"}"#;
        assert_eq!(
            error_for_status(409, problem_info(loose), None),
            CoreError::Conflict { code: "slot_taken".into(), detail: "linebreak".into() }
        );
        let odd = br#"{"code":"has space"}"#;
        assert_eq!(problem_info(odd).code, None);
    }

    #[test]
    fn decode_errors_never_include_the_body() {
        let err = serde_json::from_str::<u32>(r#""patient-secret-name""#).expect_err("type error");
        let e = decode_error("GET /v1/me", &err);
        assert!(!e.to_string().contains("patient-secret-name"), "{e}");
        assert_eq!(e.code(), "internal");
    }
}
