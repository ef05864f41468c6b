//! A real psyter-server on a loopback port with a temporary database, and a small HTTP helper.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use jiff::{SignedDuration, Timestamp};
use psyter_server::{AppState, Clock, Config};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A running server; stops when dropped.
pub struct TestServer {
    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub base: String,
    /// The server's state (for clock control and direct database checks).
    pub state: AppState,
    /// HTTP client.
    pub http: reqwest::Client,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// A signed-in user.
#[derive(Clone, Debug)]
pub struct Session {
    /// Access token.
    pub access: String,
    /// Refresh token.
    pub refresh: String,
    /// User id.
    pub id: String,
}

/// A response: status, headers and JSON body (Null when empty).
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    /// The problem `code`, if any.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// The password of accounts made by [`TestServer::register`].
pub const TEST_PASSWORD: &str = "correct horse battery";

/// Reads status, headers and JSON body (Null when empty, a string when not JSON).
async fn read_resp(res: reqwest::Response) -> Resp {
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.expect("body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
    };
    Resp { status, headers, body }
}

/// A unique email for a test account.
pub fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{}-{}@test.psyter.app", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

impl TestServer {
    /// Starts a server seeded with the default demo data.
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    /// Starts a server after letting `tweak` adjust the configuration.
    pub async fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = Config::new(dir.path().join("server.db"));
        tweak(&mut config);
        let clock = Clock::default();
        let state = AppState::open(config, clock.clone()).expect("open state");
        let now = clock.now();
        state.db.with_writer(|c| psyter_server::seed::seed_demo(c, 40, now)).expect("seed");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let st = state.clone();
        tokio::spawn(async move {
            psyter_server::serve(listener, st, async move {
                let _ = rx.await;
            })
            .await
            .expect("serve");
        });
        let http = reqwest::Client::builder().pool_max_idle_per_host(64).build().expect("client");
        Self { base, state, http, shutdown: Some(tx), _dir: dir }
    }

    /// The server's clock.
    pub fn clock(&self) -> &Clock {
        &self.state.clock
    }

    /// Sends a request with optional bearer token, JSON body and Idempotency-Key.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        key: Option<&str>,
    ) -> Resp {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        read_resp(req.send().await.expect("send")).await
    }

    /// Sends `body` as raw bytes with exactly the given extra headers (no JSON encoding, no implied
    /// content type), for malformed-input tests.
    pub async fn call_raw(&self, method: Method, path: &str, headers: &[(&str, &str)], body: Option<Vec<u8>>) -> Resp {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        read_resp(req.send().await.expect("send")).await
    }

    /// GET with a token.
    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.call(Method::GET, path, token, None, None).await
    }

    /// POST JSON with a token.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.call(Method::POST, path, token, Some(body), None).await
    }

    /// Signs in.
    pub async fn login(&self, email: &str, password: &str) -> Session {
        let r = self.post("/v1/auth/login", None, json!({"email": email, "password": password})).await;
        assert_eq!(r.status, StatusCode::OK, "login {email}: {:?}", r.body);
        session(&r.body)
    }

    /// Exchanges the session's refresh token for a fresh pair.
    pub async fn refresh(&self, s: &Session) -> Session {
        let r = self.post("/v1/auth/refresh", None, json!({"refresh_token": s.refresh})).await;
        assert_eq!(r.status, StatusCode::OK, "refresh: {:?}", r.body);
        session(&r.body)
    }

    /// Signs in a demo account.
    pub async fn demo(&self, email: &str) -> Session {
        self.login(email, psyter_server::seed::DEMO_PASSWORD).await
    }

    /// Registers a new account and returns its session.
    pub async fn register(&self, role: &str) -> Session {
        self.register_account(role).await.1
    }

    /// Registers a new account (password [`TEST_PASSWORD`]) and returns its email and session.
    pub async fn register_account(&self, role: &str) -> (String, Session) {
        let email = unique_email(role);
        let r = self
            .post(
                "/v1/auth/register",
                None,
                json!({"email": email, "password": TEST_PASSWORD, "display_name": format!("Test {role}"), "role": role, "time_zone": "Europe/London"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "register: {:?}", r.body);
        (email, session(&r.body))
    }

    /// Registers a provider who can be booked any hour of any day from now on: 50-minute sessions every
    /// 60 minutes, no buffers, no notice, a 30-day window.
    pub async fn open_provider(&self) -> Session {
        let p = self.register("provider").await;
        let all_day: Vec<Value> = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
            .iter()
            .map(|d| json!({"day": d, "start": "00:00", "end": "00:00"}))
            .collect();
        let rules = json!({
            "time_zone": "UTC", "weekly": all_day, "overrides": [],
            "buffer_before_minutes": 0, "buffer_after_minutes": 0, "minimum_notice_minutes": 0,
            "booking_window_days": 30, "slot_interval_minutes": 60, "session_minutes": 50, "daily_limit": null
        });
        let r = self.call(Method::PUT, "/v1/me/availability", Some(&p.access), Some(rules), None).await;
        assert_eq!(r.status, StatusCode::OK, "availability: {:?}", r.body);
        p
    }

    /// The free slot starts of a provider in the next `days` days.
    pub async fn free_slots(&self, provider: &str, days: i64) -> Vec<String> {
        let now = self.clock().now();
        let to = now + SignedDuration::from_hours(24 * days);
        let r = self.get(&format!("/v1/providers/{provider}/slots?from={now}&to={to}"), None).await;
        assert_eq!(r.status, StatusCode::OK, "slots: {:?}", r.body);
        r.body["slots"]
            .as_array()
            .expect("slots")
            .iter()
            .map(|s| s["start"].as_str().expect("start").to_owned())
            .collect()
    }

    /// Books `start` with `provider` as `patient`, with a fresh Idempotency-Key.
    pub async fn book(&self, patient: &Session, provider: &str, start: &str) -> Resp {
        let key = uuid::Uuid::new_v4().to_string();
        self.call(
            Method::POST,
            "/v1/appointments",
            Some(&patient.access),
            Some(json!({"provider_id": provider, "start": start, "reason": "test"})),
            Some(&key),
        )
        .await
    }

    /// A start time `hours` from now, on the hour, as RFC 3339.
    pub fn hour_from_now(&self, hours: i64) -> String {
        let now: Timestamp = self.clock().now();
        let s = now.as_second() + hours * 3600;
        Timestamp::from_second(s - s.rem_euclid(3600)).expect("ts").to_string()
    }
}

/// Asserts that `r` is an RFC 9457 problem with `status` and `code`: problem+json content type, every
/// member present, `status` matching the HTTP status, and an `x-request-id` header.
pub fn assert_problem(r: &Resp, status: StatusCode, code: &str) {
    assert_eq!((r.status, r.code()), (status, code), "{:?}", r.body);
    let ct = r.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(ct.starts_with("application/problem+json"), "content-type {ct:?} for {:?}", r.body);
    for member in ["type", "title", "detail", "code"] {
        assert!(
            r.body[member].as_str().is_some_and(|v| !v.is_empty()),
            "problem member {member} missing: {:?}",
            r.body
        );
    }
    assert_eq!(r.body["status"].as_u64(), Some(u64::from(status.as_u16())), "{:?}", r.body);
    assert!(r.body["type"].as_str().is_some_and(|t| t.ends_with(code)), "type names the code: {:?}", r.body);
    assert!(r.headers.contains_key("x-request-id"), "x-request-id on {status}");
}

impl TestServer {
    /// The server's HS256 signing secret, read from the database.
    pub async fn jwt_secret(&self) -> Vec<u8> {
        self.state
            .db
            .read(|tx| {
                Ok(tx.query_row("SELECT value FROM server_secrets WHERE name = 'jwt_hs256'", [], |r| {
                    r.get::<_, Vec<u8>>(0)
                })?)
            })
            .await
            .expect("jwt secret")
    }
}

/// Extracts a session from a token response.
pub fn session(body: &Value) -> Session {
    Session {
        access: body["access_token"].as_str().expect("access_token").to_owned(),
        refresh: body["refresh_token"].as_str().expect("refresh_token").to_owned(),
        id: body["user"]["id"].as_str().expect("user.id").to_owned(),
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
