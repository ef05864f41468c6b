//! The API client against the real reference server on loopback, plus tiny local stubs for faults the
//! real server cannot easily produce (gateway errors, throttling, slowness, TLS with pins).

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use jiff::civil::Time;
use jiff::{SignedDuration, Timestamp};
use psyter_core::CoreError;
use psyter_core::api::{ApiClient, ApiConfig, ApiRequest, AppointmentQuery, Method, ProviderSearch};
use psyter_domain::wire::{
    BookRequest, CancelRequest, ChangeOp, LoginRequest, Me, NoteRequest, RegisterRequest, RescheduleRequest,
    TokenResponse, UpdateMe,
};
use psyter_domain::{AppointmentId, AppointmentStatus, AvailabilityRules, Role, TimeRange, Weekday, WeeklyHours};
use psyter_server::seed::{DEMO_PASSWORD, DEMO_PATIENT, DEMO_PATIENT_2};
use psyter_server::{AppState, Clock, Config};
use tokio::task::JoinHandle;

/// The real server on a loopback port with a temporary, demo-seeded database.
struct Server {
    base: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let clock = Clock::default();
        let state = AppState::open(Config::new(dir.path().join("server.db")), clock.clone()).expect("state");
        let now = clock.now();
        state.db.with_writer(|c| psyter_server::seed::seed_demo(c, 40, now)).expect("seed");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            psyter_server::serve(listener, state, async move {
                let _ = rx.await;
            })
            .await
            .expect("serve");
        });
        Self { base, shutdown: Some(tx), task, _dir: dir }
    }

    /// Stops the server and waits until its port is closed.
    async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        (&mut self.task).await.expect("server task");
    }
}

/// A client with fast retries, so retry tests take milliseconds.
fn client(base: &str) -> ApiClient {
    ApiClient::new(fast(base)).expect("client")
}

fn fast(base: &str) -> ApiConfig {
    let mut c = ApiConfig::new(base);
    c.retry_base_delay = Duration::from_millis(5);
    c.retry_max_delay = Duration::from_millis(20);
    c
}

async fn login(api: &ApiClient, email: &str) -> TokenResponse {
    let req = LoginRequest { email: email.into(), password: DEMO_PASSWORD.into(), totp_code: None };
    api.login(&req).await.expect("login")
}

/// Registers a provider who can be booked any hour from now on (UTC, no notice, no buffers).
async fn open_provider(api: &ApiClient) -> TokenResponse {
    let email = format!("open-{}@test.psyter.app", uuid::Uuid::new_v4().simple());
    let req = RegisterRequest {
        email,
        password: "correct horse battery".into(),
        display_name: "Dr. Open".into(),
        role: Role::Provider,
        time_zone: Some("UTC".into()),
        locale: None,
    };
    let provider = api.register(&req).await.expect("register");
    let all_day = TimeRange { start: Time::midnight(), end: Time::midnight() };
    let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday];
    let days = days.into_iter().chain([Weekday::Friday, Weekday::Saturday, Weekday::Sunday]);
    let rules = AvailabilityRules {
        time_zone: "UTC".into(),
        weekly: days.map(|day| WeeklyHours { day, range: all_day }).collect(),
        overrides: vec![],
        buffer_before_minutes: 0,
        buffer_after_minutes: 0,
        minimum_notice_minutes: 0,
        booking_window_days: 30,
        slot_interval_minutes: 60,
        session_minutes: 50,
        daily_limit: None,
    };
    let saved = api.put_availability(&provider.access_token, &rules).await.expect("availability");
    assert_eq!(saved, rules);
    assert_eq!(api.availability(&provider.access_token).await.expect("read availability"), rules);
    provider
}

#[tokio::test]
async fn patient_and_provider_flows_against_the_real_server() {
    let server = Server::start().await;
    let api = client(&server.base);
    let patient = login(&api, DEMO_PATIENT).await;
    let token = patient.access_token.as_str();
    assert_eq!(api.me(token).await.expect("me").email, DEMO_PATIENT);
    let update = UpdateMe { reminder_minutes: Some(vec![60, 1440]), ..Default::default() };
    assert_eq!(api.update_me(token, &update).await.expect("update").reminder_minutes, vec![1440, 60]);

    // Directory: search, detail, slots.
    let page = api.search_providers(&ProviderSearch { limit: Some(3), ..Default::default() }).await.expect("search");
    assert_eq!(page.items.len(), 3);
    assert!(page.next_cursor.is_some());
    let first = &page.items[0];
    assert_eq!(api.provider(first.id).await.expect("detail").display_name, first.display_name);
    let found = api.search_providers(&ProviderSearch { q: Some("mitch".into()), ..Default::default() }).await;
    assert!(found.expect("text search").items.iter().any(|p| p.display_name.contains("Mitchell")));

    let provider = open_provider(&api).await;
    let pid = provider.user.id;
    let now = Timestamp::now();
    let slots = api.slots(pid, Some(now), Some(now + SignedDuration::from_hours(96))).await.expect("slots").slots;
    let later: Vec<Timestamp> =
        slots.iter().map(|s| s.start).filter(|s| *s > now + SignedDuration::from_hours(48)).collect();
    let soon = slots.iter().map(|s| s.start).find(|s| *s > now + SignedDuration::from_hours(3)).expect("soon slot");
    assert!(later.len() > 3, "{} slots", later.len());

    // Book with an Idempotency-Key; the same key and body replays the same appointment.
    let book = BookRequest { provider_id: pid, start: later[0], reason: "first visit".into() };
    let appt = api.book(token, &book, "book-1").await.expect("book");
    assert_eq!((appt.status, appt.provider_id, appt.start), (AppointmentStatus::Booked, pid, later[0]));
    let again = api.book(token, &book, "book-1").await.expect("replay");
    assert_eq!((again.id, again.version), (appt.id, appt.version));
    let raw = ApiRequest::post("/v1/appointments").bearer(token).idempotency_key("book-1").json(&book).expect("body");
    let replay = api.send::<psyter_domain::wire::Appointment>(raw).await.expect("raw replay");
    assert!(replay.replayed && replay.status == 201 && replay.body.id == appt.id, "{replay:?}");
    // The same key with another body is a conflict; someone else taking the slot is slot_taken.
    let other = BookRequest { reason: "changed".into(), ..book.clone() };
    let e = api.book(token, &other, "book-1").await.expect_err("key reuse");
    assert_eq!(e.code(), "idempotency_key_reused");
    let patient2 = login(&api, DEMO_PATIENT_2).await;
    let e = api.book(&patient2.access_token, &book, "p2-book-1").await.expect_err("taken");
    assert!(matches!(&e, CoreError::Conflict { code, .. } if code == "slot_taken"), "{e:?}");

    // Lists, detail, reschedule.
    let query =
        AppointmentQuery { status: vec![AppointmentStatus::Booked], provider_id: Some(pid), ..Default::default() };
    let mine = api.appointments(token, &query).await.expect("list");
    assert_eq!(mine.items.iter().map(|a| a.id).collect::<Vec<_>>(), vec![appt.id]);
    assert_eq!(api.appointment(token, appt.id).await.expect("detail").reason, "first visit");
    let moved = api.reschedule(token, appt.id, &RescheduleRequest { start: later[2] }, "move-1").await.expect("move");
    assert_eq!((moved.id, moved.start, moved.version), (appt.id, later[2], appt.version + 1));

    // Inside the 24 h cut-off a patient cannot cancel: a policy error, not a conflict.
    let near = api.book(token, &BookRequest { provider_id: pid, start: soon, reason: String::new() }, "book-2").await;
    let near = near.expect("book soon");
    let e = api.cancel(token, near.id, &CancelRequest { reason: "busy".into() }, None).await.expect_err("cut-off");
    assert!(matches!(&e, CoreError::Policy { code, .. } if code == "cancel_cutoff"), "{e:?}");
    let cancelled = api.cancel(token, appt.id, &CancelRequest { reason: "plans".into() }, Some("cancel-1")).await;
    assert_eq!(cancelled.expect("cancel").status, AppointmentStatus::Cancelled);

    // Unknown or invisible ids are NotFound; a patient may not write notes.
    assert_eq!(api.appointment(token, AppointmentId::new()).await.expect_err("unknown"), CoreError::NotFound);
    let e = api.put_note(token, near.id, &NoteRequest { text: "x".into() }).await.expect_err("patient note");
    assert!(matches!(&e, CoreError::Policy { code, .. } if code == "forbidden"), "{e:?}");

    // Provider side: notes round-trip and delete; video outside the join window is a conflict.
    let ptoken = provider.access_token.as_str();
    let note = api.put_note(ptoken, near.id, &NoteRequest { text: "plan".into() }).await.expect("note").expect("some");
    assert_eq!(api.note(ptoken, near.id).await.expect("read note").text, note.text);
    assert!(api.put_note(ptoken, near.id, &NoteRequest { text: String::new() }).await.expect("delete").is_none());
    assert_eq!(api.note(ptoken, near.id).await.expect_err("deleted"), CoreError::NotFound);
    let e = api.video_token(ptoken, near.id).await.expect_err("too early");
    assert!(matches!(&e, CoreError::Conflict { code, .. } if code == "outside_join_window"), "{e:?}");

    // Sync pages decode: the cancelled booking is a tombstone with its record; then the feed is drained.
    let feed = api.sync(token, 0, Some(1000)).await.expect("sync");
    assert!(!feed.has_more && feed.cursor > 0);
    let change = feed.changes.iter().find(|c| c.id == appt.id.to_string()).expect("change for booking");
    assert_eq!(change.op, ChangeOp::Tombstone);
    assert_eq!(change.appointment.as_ref().map(|a| a.status), Some(AppointmentStatus::Cancelled));
    assert!(feed.providers.iter().any(|p| p.id == pid));
    let rest = api.sync(token, feed.cursor, None).await.expect("sync again");
    assert!(rest.changes.is_empty() && rest.cursor == feed.cursor);
    server.stop().await;
}

#[tokio::test]
async fn auth_failures_map_to_auth_errors() {
    let server = Server::start().await;
    let api = client(&server.base);
    let bad = LoginRequest { email: DEMO_PATIENT.into(), password: "wrong password".into(), totp_code: None };
    assert_eq!(
        api.login(&bad).await.expect_err("wrong"),
        CoreError::Unauthorized { code: "invalid_credentials".into() }
    );
    assert_eq!(
        api.me("not-a-token").await.expect_err("junk"),
        CoreError::Unauthorized { code: "token_invalid".into() }
    );

    // Rotation: presenting a spent refresh token after its replacement was used ends the session.
    let first = login(&api, DEMO_PATIENT).await;
    let second = api.refresh(&first.refresh_token).await.expect("refresh");
    let third = api.refresh(&second.refresh_token).await.expect("refresh again");
    assert_eq!(api.refresh(&first.refresh_token).await.expect_err("reuse"), CoreError::SessionEnded);
    assert_eq!(api.me(&third.access_token).await.expect_err("revoked"), CoreError::SessionEnded);

    let other = login(&api, DEMO_PATIENT).await;
    api.logout(&other.refresh_token).await.expect("logout");
    assert_eq!(api.me(&other.access_token).await.expect_err("logged out"), CoreError::SessionEnded);
    server.stop().await;
}

#[tokio::test]
async fn a_stopped_server_is_offline_and_plain_http_elsewhere_is_refused() {
    let server = Server::start().await;
    let api = client(&server.base);
    let session = login(&api, DEMO_PATIENT).await;
    server.stop().await;
    assert_eq!(api.me(&session.access_token).await.expect_err("stopped"), CoreError::Offline);
    assert_eq!(ApiClient::new(ApiConfig::new("http://example.com")).err(), Some(CoreError::InsecureTransport));
}

/// A stub answering `/flaky` with `fail` then 200, `/limited` with 429, `/slow` after a pause, `/odd` with
/// a body that is not a `Me`. Returns its base URL and the count of requests it saw.
async fn stub(fail: axum::http::StatusCode, times: u32, retry_after: &'static str) -> (String, Arc<AtomicU32>) {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let hits = Arc::new(AtomicU32::new(0));
    let h = hits.clone();
    let flaky = move || {
        let n = h.fetch_add(1, Ordering::SeqCst) + 1;
        async move {
            if n <= times {
                let problem = serde_json::json!({"type": "about:blank", "title": "x", "status": fail.as_u16(), "detail": "busy", "code": "busy"});
                (
                    fail,
                    [(header::CONTENT_TYPE, "application/problem+json"), (header::RETRY_AFTER, retry_after)],
                    problem.to_string(),
                )
                    .into_response()
            } else {
                axum::Json(serde_json::json!({"attempt": n})).into_response()
            }
        }
    };
    let slow = || async {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        StatusCode::NO_CONTENT
    };
    let odd = || async { axum::Json(serde_json::json!({"id": "confidential-patient-name"})) };
    let app = axum::Router::new()
        .route("/flaky", axum::routing::any(flaky))
        .route("/slow", axum::routing::get(slow))
        .route("/odd", axum::routing::get(odd));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("stub") });
    (base, hits)
}

#[tokio::test]
async fn gets_and_keyed_posts_retry_through_gateway_errors_but_plain_posts_do_not() {
    use axum::http::StatusCode;
    let (base, hits) = stub(StatusCode::SERVICE_UNAVAILABLE, 2, "0").await;
    let api = client(&base);
    let ok = api.send::<serde_json::Value>(ApiRequest::get("/flaky")).await.expect("get retried");
    assert_eq!((ok.attempts, ok.body["attempt"].as_u64(), hits.load(Ordering::SeqCst)), (3, Some(3), 3));

    let (base, hits) = stub(StatusCode::SERVICE_UNAVAILABLE, 2, "0").await;
    let e = client(&base).send::<serde_json::Value>(ApiRequest::post("/flaky")).await.expect_err("not retried");
    assert_eq!((e, hits.load(Ordering::SeqCst)), (CoreError::Server { status: 503 }, 1));

    let (base, hits) = stub(StatusCode::BAD_GATEWAY, 2, "0").await;
    let keyed = ApiRequest::post("/flaky").idempotency_key("k-1").json_value(serde_json::json!({}));
    let ok = client(&base).send::<serde_json::Value>(keyed).await.expect("keyed post retried");
    assert_eq!((ok.attempts, hits.load(Ordering::SeqCst)), (3, 3));

    // The budget is respected, and other errors are never retried.
    let (base, hits) = stub(StatusCode::GATEWAY_TIMEOUT, 10, "0").await;
    let mut config = fast(&base);
    config.max_retries = 1;
    let e = ApiClient::new(config).expect("client").send::<()>(ApiRequest::get("/flaky")).await.expect_err("gives up");
    assert_eq!((e, hits.load(Ordering::SeqCst)), (CoreError::Server { status: 504 }, 2));
    let (base, hits) = stub(StatusCode::INTERNAL_SERVER_ERROR, 10, "0").await;
    let e = client(&base).send::<()>(ApiRequest::new(Method::Put, "/flaky")).await.expect_err("500");
    assert_eq!((e, hits.load(Ordering::SeqCst)), (CoreError::Server { status: 500 }, 1));
}

#[tokio::test]
async fn throttling_timeouts_and_bad_bodies() {
    use axum::http::StatusCode;
    // A short Retry-After is waited out; a long one is handed back at once.
    let (base, hits) = stub(StatusCode::TOO_MANY_REQUESTS, 1, "0").await;
    assert!(client(&base).send::<serde_json::Value>(ApiRequest::get("/flaky")).await.is_ok());
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    let (base, hits) = stub(StatusCode::TOO_MANY_REQUESTS, 5, "3600").await;
    let e = client(&base).send::<()>(ApiRequest::get("/flaky")).await.expect_err("limited");
    assert_eq!((e, hits.load(Ordering::SeqCst)), (CoreError::RateLimited { retry_after_secs: 3600 }, 1));

    let mut config = fast(&base);
    config.request_timeout = Duration::from_millis(200);
    config.max_retries = 1;
    let e = ApiClient::new(config).expect("client").send::<()>(ApiRequest::get("/slow")).await.expect_err("slow");
    assert_eq!(e, CoreError::Timeout);

    let e = client(&base).send::<Me>(ApiRequest::get("/odd")).await.expect_err("not a Me");
    assert_eq!(e.code(), "internal");
    assert!(!e.to_string().contains("confidential"), "{e}");
}

mod tls {
    //! HTTPS end to end: a tokio-rustls server on loopback with an rcgen chain; the client trusts the CA.
    use super::*;
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair, PublicKeyData};
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    use sha2::{Digest, Sha256};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// Serves `{}` over TLS on loopback; returns the port, the CA's DER and the leaf's SPKI pin.
    async fn tls_server() -> (u16, Vec<u8>, [u8; 32]) {
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("key")).expect("ca");
        let key = KeyPair::generate().expect("key");
        let leaf =
            CertificateParams::new(vec!["localhost".to_owned()]).expect("params").signed_by(&key, &ca).expect("leaf");
        let pin: [u8; 32] = Sha256::digest(key.subject_public_key_info()).into();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_no_client_auth()
            .with_single_cert(vec![CertificateDer::from(leaf.der().to_vec())], key_der)
            .expect("server config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                    let mut buf = vec![0u8; 4096];
                    let _ = tls.read(&mut buf).await;
                    let reply = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}";
                    let _ = tls.write_all(reply.as_bytes()).await;
                    let _ = tls.shutdown().await;
                });
            }
        });
        (port, ca.der().to_vec(), pin)
    }

    async fn get(port: u16, roots: Vec<Vec<u8>>, pins: Vec<[u8; 32]>) -> Result<serde_json::Value, CoreError> {
        let mut config = fast(&format!("https://localhost:{port}"));
        config.extra_roots = roots;
        config.pins = pins;
        config.max_retries = 0;
        ApiClient::new(config)?.call(ApiRequest::get("/x")).await
    }

    #[tokio::test]
    async fn pins_are_enforced_on_top_of_normal_validation() {
        let (port, ca, pin) = tls_server().await;
        assert_eq!(get(port, vec![ca.clone()], vec![]).await.expect("trusted"), serde_json::json!({}));
        assert_eq!(get(port, vec![ca.clone()], vec![[1; 32], pin]).await.expect("pinned"), serde_json::json!({}));
        assert_eq!(get(port, vec![ca], vec![[1; 32]]).await.expect_err("wrong pin"), CoreError::Certificate);
        assert_eq!(get(port, vec![], vec![pin]).await.expect_err("untrusted"), CoreError::Certificate);
    }
}
