//! Every failure is an RFC 9457 problem with a stable code and the right 4xx status, never a 5xx:
//! malformed bodies and queries, domain rule violations, out-of-range instants, unknown routes.

mod common;

use common::{Resp, Session, TestServer, assert_problem};
use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const JSON: (&str, &str) = ("content-type", "application/json");
const BAD: StatusCode = StatusCode::BAD_REQUEST;
const UNPROCESSABLE: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;
const NOT_FOUND: StatusCode = StatusCode::NOT_FOUND;

/// Sends `body` as JSON with `who`'s token.
async fn send(s: &TestServer, m: Method, path: &str, who: &Session, body: Value) -> Resp {
    s.call(m, path, Some(&who.access), Some(body), None).await
}

/// POSTs `body` with `who`'s token and a fresh Idempotency-Key.
async fn post_keyed(s: &TestServer, path: &str, who: &Session, body: Value) -> Resp {
    let key = uuid::Uuid::new_v4().to_string();
    s.call(Method::POST, path, Some(&who.access), Some(body), Some(&key)).await
}

/// Books for `who` with `body`.
async fn book(s: &TestServer, who: &Session, body: Value) -> Resp {
    post_keyed(s, "/v1/appointments", who, body).await
}

/// POSTs raw bytes to the login route.
async fn login(s: &TestServer, body: &[u8], headers: &[(&str, &str)]) -> Resp {
    let body = Some(body.to_vec());
    s.call_raw(Method::POST, "/v1/auth/login", headers, body).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_bodies_are_400_413_415() {
    let s = TestServer::start().await;
    let a = s.open_provider().await;
    let p = s.register("patient").await;
    let slots = s.free_slots(&a.id, 3).await;
    let booked = s.book(&p, &a.id, &slots[30]).await;
    let id = booked.body["id"].as_str().expect("id").to_owned();

    // Deep nesting is refused by the parser's recursion limit, before any allocation blow-up.
    let malformed: [&[u8]; 6] = [
        b"{\"email\":",
        b"",
        b"{'email': 1}",
        b"\xff\xfe",
        br#"{"email": "a@b.co", "password": "x"} trailing"#,
        &[b'['; 5000],
    ];
    for body in malformed {
        assert_problem(&login(&s, body, &[JSON]).await, BAD, "malformed_json");
    }
    let wrong: [&[u8]; 5] = [
        br#"{"email": 5, "password": "x"}"#,
        b"[]",
        b"42",
        br#"{"email": "a@b.co"}"#,
        br#"{"email": "a@b.co", "password": "x", "remember": true}"#,
    ];
    for body in wrong {
        assert_problem(&login(&s, body, &[JSON]).await, BAD, "invalid_body");
    }

    // Wrong types, unknown enum words and unknown fields on typed routes.
    let mut bodies: Vec<Value> = [json!(5), json!("2026-02-30T10:00:00Z"), json!("9999-12-31T23:59:59Z")]
        .into_iter()
        .map(|start| json!({"provider_id": a.id, "start": start}))
        .collect();
    bodies.push(json!({"provider_id": "not-a-uuid", "start": slots[31]}));
    bodies.push(json!({"provider_id": a.id, "start": slots[31], "price_cents": 0}));
    for body in bodies {
        assert_problem(&book(&s, &p, body).await, BAD, "invalid_body");
    }
    let path = format!("/v1/appointments/{id}/status");
    for status in ["done", "booked", "cancelled", ""] {
        let r = send(&s, Method::POST, &path, &a, json!({"status": status})).await;
        assert_problem(&r, BAD, "invalid_body");
    }
    let email = common::unique_email("x");
    let register = json!({"email": email, "password": "long enough", "display_name": "X", "role": "admin"});
    let r = s.post("/v1/auth/register", None, register).await;
    assert_problem(&r, BAD, "invalid_body");
    let path = format!("/v1/appointments/{id}/cancel");
    let body = json!({"reason": "x", "force": true});
    assert_problem(&send(&s, Method::POST, &path, &p, body).await, BAD, "invalid_body");
    let notes = format!("/v1/appointments/{id}/notes");
    let body = json!({"text": 7});
    assert_problem(&send(&s, Method::PUT, &notes, &a, body).await, BAD, "invalid_body");
    let mut rules = s.get("/v1/me/availability", Some(&a.access)).await.body;
    rules["weekly"][0]["start"] = json!("25:00");
    let r = send(&s, Method::PUT, "/v1/me/availability", &a, rules).await;
    assert_problem(&r, BAD, "invalid_body");

    // The body must be declared JSON.
    let body = br#"{"email": "a@b.co", "password": "long enough password"}"#;
    let form = ("content-type", "application/x-www-form-urlencoded");
    for headers in [&[][..], &[("content-type", "text/plain")], &[form]] {
        let r = login(&s, body, headers).await;
        assert_problem(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    }
    let utf8 = ("content-type", "application/json; charset=utf-8");
    assert_eq!(login(&s, body, &[utf8]).await.status, StatusCode::UNAUTHORIZED);

    // Over 64 KiB is refused before anything is parsed or hashed.
    let big = "x".repeat(70 * 1024);
    let register = json!({"email": "b@x.io", "password": big, "display_name": "B", "role": "patient"});
    let note = json!({"text": big});
    let too_large = [
        s.post("/v1/auth/register", None, register).await,
        send(&s, Method::PUT, &notes, &a, note).await,
        login(&s, big.as_bytes(), &[JSON]).await,
    ];
    for r in &too_large {
        assert_problem(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn domain_rule_violations_are_422() {
    let s = TestServer::start().await;
    let a = s.open_provider().await;
    let p = s.register("patient").await;
    let saved = s.get("/v1/me/availability", Some(&a.access)).await.body;

    let with = |field: &str, value: Value| {
        let mut rules = saved.clone();
        rules[field] = value;
        rules
    };
    let monday = |ranges: &[(&str, &str)]| {
        let range = |(f, t): &(&str, &str)| json!({"day": "monday", "start": f, "end": t});
        with("weekly", ranges.iter().map(range).collect())
    };
    let same_date = json!([{"date": "2030-01-01", "hours": []}, {"date": "2030-01-01", "hours": []}]);
    let invalid = [
        (with("time_zone", json!("Mars/Olympus_Mons")), "unknown_time_zone"),
        (with("session_minutes", json!(5)), "validation_failed"),
        (with("slot_interval_minutes", json!(0)), "validation_failed"),
        (with("booking_window_days", json!(0)), "validation_failed"),
        (with("daily_limit", json!(0)), "validation_failed"),
        (with("overrides", same_date), "validation_failed"),
        (monday(&[("09:00", "12:00"), ("11:00", "13:00")]), "validation_failed"),
        (monday(&[("12:00", "09:00")]), "validation_failed"),
        (monday(&[("09:00:30", "12:00")]), "validation_failed"),
    ];
    for (rules, code) in invalid {
        let r = send(&s, Method::PUT, "/v1/me/availability", &a, rules).await;
        assert_problem(&r, UNPROCESSABLE, code);
    }
    let now_rules = s.get("/v1/me/availability", Some(&a.access)).await.body;
    assert_eq!(now_rules, saved, "rejected rules were not saved");

    // Booking times: off-grid, past, too far, and outside the years the API accepts at all.
    let slot: Timestamp = s.free_slots(&a.id, 3).await[30].parse().expect("slot");
    let ago = s.clock().now() - SignedDuration::from_hours(24 * 365 * 5);
    let cases = [
        ((slot + SignedDuration::from_mins(7)).to_string(), "slot_unaligned"),
        ((slot + SignedDuration::from_millis(500)).to_string(), "slot_unaligned"),
        (s.hour_from_now(-24), "slot_too_soon"),
        (ago.to_string(), "slot_too_soon"),
        (s.hour_from_now(24 * 40), "slot_too_far_ahead"),
        ("1900-01-01T00:00:00Z".to_owned(), "validation_failed"),
        ("3000-01-01T00:00:00Z".to_owned(), "validation_failed"),
        ("9999-01-01T00:00:00Z".to_owned(), "validation_failed"),
        ("-001000-01-01T00:00:00Z".to_owned(), "validation_failed"),
    ];
    for (start, code) in &cases {
        let r = book(&s, &p, json!({"provider_id": a.id, "start": start})).await;
        assert_problem(&r, UNPROCESSABLE, code);
    }
    let long = json!({"provider_id": a.id, "start": slot, "reason": "x".repeat(1001)});
    assert_problem(&book(&s, &p, long).await, UNPROCESSABLE, "validation_failed");
    let booked = book(&s, &p, json!({"provider_id": a.id, "start": slot})).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{:?}", booked.body);
    let id = booked.body["id"].as_str().expect("id").to_owned();
    let path = format!("/v1/appointments/{id}/reschedule");
    for (start, code) in &cases {
        let r = post_keyed(&s, &path, &p, json!({"start": start})).await;
        assert_problem(&r, UNPROCESSABLE, code);
    }
    let path = format!("/v1/appointments/{id}/notes");
    let note = json!({"text": "n".repeat(20_001)});
    let r = send(&s, Method::PUT, &path, &a, note).await;
    assert_problem(&r, UNPROCESSABLE, "validation_failed");

    // Account settings.
    for (body, code) in [
        (json!({"time_zone": "Not/AZone"}), "unknown_time_zone"),
        (json!({"locale": "xx"}), "validation_failed"),
        (json!({"reminder_minutes": [1]}), "validation_failed"),
        (json!({"display_name": ""}), "validation_failed"),
    ] {
        let r = send(&s, Method::PATCH, "/v1/me", &p, body).await;
        assert_problem(&r, UNPROCESSABLE, code);
    }
}

/// "<status> <code> <path>" rows for `bad_query_parameters_are_4xx_with_codes`.
const PUBLIC_QUERIES: &[&str] = &[
    "422 validation_failed /v1/providers?limit=0",
    "422 validation_failed /v1/providers?limit=101",
    "400 invalid_query /v1/providers?limit=abc",
    "400 invalid_query /v1/providers?limit=-1",
    "400 invalid_query /v1/providers?limit=4294967296",
    "422 validation_failed /v1/providers?min_rating=NaN",
    "422 validation_failed /v1/providers?min_rating=inf",
    "422 validation_failed /v1/providers?min_rating=-0.5",
    "400 invalid_query /v1/providers?gender=robot",
    "400 invalid_query /v1/providers?bogus=1",
    "400 invalid_cursor /v1/providers?cursor=!!!",
    "400 invalid_cursor /v1/providers?cursor={cursor}",
    "422 validation_failed /v1/providers?available_from={day}",
    "422 validation_failed /v1/providers?available_from=3000-01-01T00:00:00Z&available_to=3000-01-02T00:00:00Z",
    "422 validation_failed /v1/providers/{a}/slots?from=1900-01-01T00:00:00Z",
    "422 validation_failed /v1/providers/{a}/slots?from={day}&to=3000-01-01T00:00:00Z",
    "422 validation_failed /v1/providers/{a}/slots?from={day}&to={early}",
    "422 validation_failed /v1/providers/{a}/slots?from={day}&to={63d}",
    "422 validation_failed /v1/providers/{a}/slots?from=2099-12-31T00:00:00Z",
    "400 invalid_query /v1/providers/{a}/slots?from=tomorrow",
    "404 not_found /v1/providers/{random}/slots",
    "404 not_found /v1/providers/{p}",
    "404 not_found /v1/providers/not-a-uuid",
];

/// Like [`PUBLIC_QUERIES`], sent with a patient's token.
const PRIVATE_QUERIES: &[&str] = &[
    "422 validation_failed /v1/sync?since=-1",
    "400 invalid_query /v1/sync?since=abc",
    "422 validation_failed /v1/sync?limit=0",
    "422 validation_failed /v1/sync?limit=1001",
    "400 invalid_query /v1/sync?since=9223372036854775808",
    "422 validation_failed /v1/appointments?limit=0",
    "422 validation_failed /v1/appointments?limit=201",
    "400 invalid_cursor /v1/appointments?cursor=bad",
    "400 invalid_cursor /v1/appointments?cursor=1_not-a-uuid",
    "400 invalid_cursor /v1/appointments?cursor=x_{random}",
    "422 validation_failed /v1/appointments?order=sideways",
    "422 validation_failed /v1/appointments?status=done",
    "422 validation_failed /v1/appointments?status=",
    "422 validation_failed /v1/appointments?from=1900-01-01T00:00:00Z",
    "422 validation_failed /v1/appointments?to=3000-01-01T00:00:00Z",
    "400 invalid_query /v1/appointments?from=yesterday",
    "400 invalid_query /v1/appointments?provider_id=nobody",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_query_parameters_are_4xx_with_codes() {
    use base64::Engine;
    let s = TestServer::start().await;
    let a = s.open_provider().await;
    let p = s.register("patient").await;
    let day = s.clock().now() + SignedDuration::from_hours(24);
    let cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("5000:not-a-uuid");
    let fill = |path: &str| {
        path.replace("{a}", &a.id)
            .replace("{p}", &p.id)
            .replace("{day}", &day.to_string())
            .replace("{early}", &(day - SignedDuration::from_hours(1)).to_string())
            .replace("{63d}", &(day + SignedDuration::from_hours(24 * 63)).to_string())
            .replace("{cursor}", &cursor)
            .replace("{random}", &uuid::Uuid::now_v7().to_string())
    };
    let tables = [(None, PUBLIC_QUERIES), (Some(p.access.as_str()), PRIVATE_QUERIES)];
    for (token, table) in tables {
        for row in table {
            let mut parts = row.splitn(3, ' ');
            let status = parts.next().and_then(|s| s.parse::<StatusCode>().ok()).expect("status");
            let (code, path) = (parts.next().expect("code"), fill(parts.next().expect("path")));
            let r = s.get(&path, token).await;
            assert_eq!(r.status, status, "{path}: {:?}", r.body);
            assert_problem(&r, status, code);
        }
    }
    // Extremes that are valid are answered normally.
    let ok = ["/v1/sync?since=9223372036854775807", "/v1/appointments?from=2000-01-01T00:00:00Z"];
    for path in ok {
        assert_eq!(s.get(path, Some(&p.access)).await.status, StatusCode::OK, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routing_errors_and_request_ids() {
    let s = TestServer::start().await;
    let p = s.register("patient").await;
    for path in ["/v1/nope", "/nope", "/v1/me/", "/v1", "/v1/appointments/%FF", "/v1/x/y"] {
        assert_problem(&s.get(path, Some(&p.access)).await, NOT_FOUND, "not_found");
    }
    let some = "/v1/appointments/01890a5d-ac96-774b-bcce-b302099a8057";
    let cancel = format!("{some}/cancel");
    for (method, path) in [
        (Method::DELETE, "/v1/me"),
        (Method::GET, "/v1/auth/login"),
        (Method::PUT, "/v1/appointments"),
        (Method::DELETE, some),
        (Method::GET, &cancel),
        (Method::POST, "/healthz"),
        (Method::PATCH, "/v1/providers"),
    ] {
        let r = s.call(method.clone(), path, Some(&p.access), None, None).await;
        assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}: {:?}", r.body);
        assert_problem(&r, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    }
    // Idempotency keys must be 1 to 255 visible ASCII characters.
    let body = json!({"provider_id": p.id, "start": s.hour_from_now(30)});
    let long = "k".repeat(256);
    for key in [long.as_str(), "has space", " "] {
        let token = Some(p.access.as_str());
        let r = s.call(Method::POST, "/v1/appointments", token, Some(body.clone()), Some(key));
        assert_problem(&r.await, BAD, "idempotency_key_invalid");
    }

    // Successes carry a request id too (a generated UUID), and a client's own id is echoed.
    let ok = s.post("/v1/auth/logout", None, json!({"refresh_token": "none"})).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert!(ok.headers.contains_key("x-request-id"));
    for path in ["/healthz", "/openapi.json", "/v1/providers?limit=1"] {
        let r = s.get(path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        let id = r.headers.get("x-request-id").and_then(|v| v.to_str().ok());
        assert!(id.is_some_and(|id| uuid::Uuid::parse_str(id).is_ok()), "{path}: {id:?}");
    }
    let own = [("x-request-id", "trace-abc-123")];
    let r = s.call_raw(Method::GET, "/v1/nope", &own, None).await;
    let echoed = r.headers.get("x-request-id").and_then(|v| v.to_str().ok());
    assert_eq!(echoed, Some("trace-abc-123"));
}
