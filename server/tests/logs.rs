//! Canary test: a full flow at DEBUG level leaves no password, token, reason or note text in the logs.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{TEST_PASSWORD, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("capture lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_carry_request_ids_but_no_secrets_or_health_data() {
    let capture = Capture::default();
    let writer = capture.clone();
    // The server runs on other threads, so this is the process-wide subscriber of this test binary.
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .with_env_filter("debug")
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish(),
    )
    .expect("only test in this binary sets the subscriber");

    let s = TestServer::start().await;
    let provider = s.open_provider().await;
    let (email, patient) = s.register_account("patient").await;
    let login = s.post("/v1/auth/login", None, json!({"email": email, "password": TEST_PASSWORD})).await;
    assert_eq!(login.status, StatusCode::OK);
    let bad = s.post("/v1/auth/login", None, json!({"email": email, "password": "canary-wrong-password-77"})).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    let slot = s.free_slots(&provider.id, 3).await[40].clone();
    let key = "canary-key";
    let reason = "canary reason: panic attacks since March";
    let r = s
        .call(
            Method::POST,
            "/v1/appointments",
            Some(&patient.access),
            Some(json!({"provider_id": provider.id, "start": slot, "reason": reason})),
            Some(key),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.body["id"].as_str().expect("id").to_owned();
    let note = "canary note: discussed childhood trauma";
    let r = s
        .call(
            Method::PUT,
            &format!("/v1/appointments/{id}/notes"),
            Some(&provider.access),
            Some(json!({"text": note})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let refreshed = s.refresh(&patient).await;
    // Force an internal-looking failure path too: a request with a broken token.
    let r = s.get("/v1/me", Some("not-a-token")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    let logs = String::from_utf8_lossy(&capture.0.lock().expect("lock")).into_owned();
    assert!(logs.contains("request{id="), "requests are logged with their id");
    for canary in [
        TEST_PASSWORD,
        "canary-wrong-password-77",
        reason,
        note,
        patient.access.as_str(),
        patient.refresh.as_str(),
        refreshed.refresh.as_str(),
        refreshed.access.as_str(),
        provider.access.as_str(),
    ] {
        assert!(!logs.contains(canary), "log output leaks {canary:?}");
    }
    assert!(!logs.contains(&email), "emails (personal data) are not logged");
}
