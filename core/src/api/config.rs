//! How to reach the server: base URL, timeouts, retry budget, certificate pins, user agent.

use std::net::IpAddr;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use url::{Host, Url};

use crate::CoreError;

/// Settings of an [`ApiClient`](super::ApiClient).
#[derive(Clone, PartialEq, Eq)]
pub struct ApiConfig {
    /// The server's base URL, e.g. `https://api.psyter.app` (HTTP only on loopback).
    pub base_url: String,
    /// Longest time one attempt may take, from connect to the end of the body.
    pub request_timeout: Duration,
    /// Longest time establishing a connection (TCP + TLS) may take.
    pub connect_timeout: Duration,
    /// Retries after the first attempt for requests that are safe to repeat.
    pub max_retries: u32,
    /// SHA-256 hashes of accepted server SubjectPublicKeyInfos; empty means no pinning.
    pub pins: Vec<[u8; 32]>,
    /// The `User-Agent` header sent with every request.
    pub user_agent: String,
    /// First backoff ceiling; attempt `n` waits a random time up to `retry_base_delay * 2^n`.
    pub retry_base_delay: Duration,
    /// Highest backoff ceiling.
    pub retry_max_delay: Duration,
    /// Longest `Retry-After` the client waits out itself; a longer one is returned as `RateLimited`.
    pub max_retry_after: Duration,
    /// Extra trusted root certificates (DER), e.g. a self-hosted server's own CA; WebPKI roots stay trusted.
    pub extra_roots: Vec<Vec<u8>>,
}

impl ApiConfig {
    /// Defaults for `base_url`: 30 s requests, 10 s connects, 3 retries from 250 ms up to 8 s.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_retries: 3,
            pins: Vec::new(),
            user_agent: concat!("psyter-core/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry_base_delay: Duration::from_millis(250),
            retry_max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(30),
            extra_roots: Vec::new(),
        }
    }
}

impl std::fmt::Debug for ApiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiConfig")
            .field("base_url", &self.base_url)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("pins", &self.pins.iter().map(|p| STANDARD.encode(p)).collect::<Vec<_>>())
            .field("user_agent", &self.user_agent)
            .field("retry_base_delay", &self.retry_base_delay)
            .field("retry_max_delay", &self.retry_max_delay)
            .field("max_retry_after", &self.max_retry_after)
            .field("extra_roots", &self.extra_roots.len())
            .finish()
    }
}

fn invalid_url(detail: &str) -> CoreError {
    CoreError::Validation { code: "invalid_server_url".into(), detail: detail.into() }
}

/// Parses and checks a server base URL: http(s) only, no credentials, query or fragment, and plain
/// HTTP only on loopback (otherwise `InsecureTransport`).
pub fn parse_base_url(raw: &str) -> Result<Url, CoreError> {
    let url = Url::parse(raw.trim()).map_err(|_| invalid_url("the server URL is not a valid URL"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid_url("the server URL must not contain credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid_url("the server URL must not have a query or fragment"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(CoreError::InsecureTransport),
        _ => Err(invalid_url("the server URL must start with https://")),
    }
}

/// Whether the URL's host is loopback: `localhost`, 127.0.0.0/8 or `::1`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost") || d.eq_ignore_ascii_case("localhost."),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).to_canonical().is_loopback(),
        None => false,
    }
}

/// Parses a pin written as `sha256/<base64>` (as in HPKP and most pinning configs) or as 64 hex digits.
pub fn parse_pin(text: &str) -> Result<[u8; 32], CoreError> {
    let text = text.trim();
    let bytes = match text.strip_prefix("sha256/") {
        Some(b64) => STANDARD.decode(b64).ok(),
        None => hex::decode(text).ok(),
    };
    bytes.and_then(|b| <[u8; 32]>::try_from(b).ok()).ok_or_else(|| CoreError::Validation {
        code: "invalid_pin".into(),
        detail: "a pin is `sha256/` and 44 base64 characters, or 64 hex digits".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_accepted_anywhere_and_http_only_on_loopback() {
        assert!(parse_base_url("https://api.psyter.app").is_ok());
        assert!(parse_base_url("https://api.psyter.app/base/").is_ok());
        for ok in
            ["http://127.0.0.1:8080", "http://127.3.2.1", "http://localhost:1", "http://LOCALHOST", "http://[::1]:9"]
        {
            assert!(parse_base_url(ok).is_ok(), "{ok}");
        }
        for bad in ["http://example.com", "http://10.0.0.1", "http://[::2]", "http://localhost.example.com"] {
            assert_eq!(parse_base_url(bad).err(), Some(CoreError::InsecureTransport), "{bad}");
        }
    }

    #[test]
    fn malformed_base_urls_are_validation_errors() {
        for bad in ["not a url", "ftp://x.org", "https://u:p@x.org", "https://x.org/?a=1", "https://x.org/#f"] {
            let e = parse_base_url(bad).expect_err(bad);
            assert_eq!(e.code(), "invalid_server_url", "{bad}");
        }
    }

    #[test]
    fn pins_parse_from_base64_or_hex() {
        let pin = [7u8; 32];
        assert_eq!(parse_pin(&format!("sha256/{}", STANDARD.encode(pin))).ok(), Some(pin));
        assert_eq!(parse_pin(&hex::encode(pin)).ok(), Some(pin));
        assert!(parse_pin("sha256/AAAA").is_err());
        assert!(parse_pin("zz").is_err());
    }

    #[test]
    fn debug_does_not_dump_roots() {
        let mut c = ApiConfig::new("https://x.org");
        c.extra_roots.push(vec![1, 2, 3]);
        assert!(format!("{c:?}").contains("extra_roots: 1"));
    }
}
