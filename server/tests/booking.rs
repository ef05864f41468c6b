//! Double booking is impossible; Idempotency-Key semantics hold.

mod common;

use common::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_bookings_of_one_slot_yield_exactly_one() {
    let s = std::sync::Arc::new(TestServer::start().await);
    let provider = s.open_provider().await;
    let mut patients = Vec::new();
    for _ in 0..8 {
        patients.push(s.register("patient").await);
    }
    let start = s.free_slots(&provider.id, 3).await.into_iter().find(|st| *st > s.hour_from_now(30)).expect("slot");
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (s, p, pid, start) = (s.clone(), patients[i % patients.len()].clone(), provider.id.clone(), start.clone());
        tasks.push(tokio::spawn(async move { s.book(&p, &pid, &start).await }));
    }
    let mut created = 0;
    let mut conflicts = 0;
    for t in tasks {
        let r = t.await.expect("join");
        assert!(!r.status.is_server_error(), "5xx: {:?}", r.body);
        match r.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                assert!(matches!(r.code(), "slot_taken" | "patient_overlap"), "{:?}", r.body);
                conflicts += 1;
            }
            other => panic!("unexpected {other}: {:?}", r.body),
        }
    }
    assert_eq!((created, conflicts), (1, 199));
    let pid = provider.id.clone();
    let n: i64 = s
        .state
        .db
        .read(move |tx| {
            Ok(tx.query_row("SELECT count(*) FROM appointments WHERE provider_id = ?1", [&pid], |r| r.get(0))?)
        })
        .await
        .expect("count");
    assert_eq!(n, 1, "exactly one row exists for the contended provider");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlapping_bookings_of_different_lengths_are_rejected() {
    let s = TestServer::start().await;
    let provider = s.open_provider().await;
    let (a, b) = (s.register("patient").await, s.register("patient").await);
    let start = s.free_slots(&provider.id, 3).await.into_iter().find(|st| *st > s.hour_from_now(30)).expect("slot");
    let r = s.book(&a, &provider.id, &start).await;
    assert_eq!(r.status, StatusCode::CREATED);
    // The provider switches to 90-minute sessions every 30 minutes: the new candidate 30 min before the
    // existing 50-minute session would overlap it and must be refused, by the rules and by the database.
    let mut rules = s.get("/v1/me/availability", Some(&provider.access)).await.body;
    rules["session_minutes"] = json!(90);
    rules["slot_interval_minutes"] = json!(30);
    let r = s.call(Method::PUT, "/v1/me/availability", Some(&provider.access), Some(rules), None).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let t: jiff::Timestamp = start.parse().expect("ts");
    for offset in [-60i64, -30, 30] {
        let at = (t + jiff::SignedDuration::from_mins(offset)).to_string();
        let r = s.book(&b, &provider.id, &at).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "slot_taken"), "offset {offset}: {:?}", r.body);
    }
    let later = (t + jiff::SignedDuration::from_mins(60)).to_string();
    let r = s.book(&b, &provider.id, &later).await;
    assert_eq!(r.status, StatusCode::CREATED, "adjacent booking is fine: {:?}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_refuses_overlap_even_if_code_does_not_check() {
    let s = TestServer::start().await;
    let provider = s.open_provider().await;
    let patient = s.register("patient").await;
    let start = s.free_slots(&provider.id, 3).await.into_iter().find(|st| *st > s.hour_from_now(30)).expect("slot");
    assert_eq!(s.book(&patient, &provider.id, &start).await.status, StatusCode::CREATED);
    let pid = provider.id.clone();
    let err = s
        .state
        .db
        .write(move |tx| {
            let (st, en): (i64, i64) = tx.query_row("SELECT start_ts, end_ts FROM appointments WHERE provider_id = ?1", [&pid], |r| Ok((r.get(0)?, r.get(1)?)))?;
            tx.execute(
                "INSERT INTO appointments (id, patient_id, provider_id, start_ts, end_ts, block_start, block_end, status, holds_time, price_cents,
                    currency, created_at, updated_at) SELECT 'x', id, ?1, ?2, ?3, ?2, ?3, 'booked', 1, 0, 'USD', 0, 0 FROM users WHERE role = 'patient' LIMIT 1",
                rusqlite::params![pid, st + 600, en + 600],
            )
            .map_err(psyter_server::appointments::store::map_write_error)?;
            Ok(())
        })
        .await
        .expect_err("trigger refuses");
    assert_eq!(err.code(), "slot_taken");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_key_semantics() {
    let s = TestServer::start().await;
    let provider = s.open_provider().await;
    let patient = s.register("patient").await;
    let slots = s.free_slots(&provider.id, 3).await;
    let (a, b) = (&slots[30], &slots[31]);
    let body = json!({"provider_id": provider.id, "start": a, "reason": "first"});

    // Missing key -> 400.
    let r = s.call(Method::POST, "/v1/appointments", Some(&patient.access), Some(body.clone()), None).await;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "idempotency_key_missing"));
    // First use -> 201; replay -> the same 201 body, marked replayed, and nothing new created.
    let first = s.call(Method::POST, "/v1/appointments", Some(&patient.access), Some(body.clone()), Some("k-1")).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = s.call(Method::POST, "/v1/appointments", Some(&patient.access), Some(body.clone()), Some("k-1")).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers.get("idempotent-replayed").map(|v| v.to_str().unwrap_or("")), Some("true"));
    let r = s.get("/v1/appointments", Some(&patient.access)).await;
    assert_eq!(r.body["items"].as_array().expect("items").len(), 1);
    // Same key, different body -> 422.
    let other = json!({"provider_id": provider.id, "start": b, "reason": "first"});
    let r = s.call(Method::POST, "/v1/appointments", Some(&patient.access), Some(other), Some("k-1")).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused"));
    // Keys are per user: another patient may use "k-1" for their own booking.
    let other_patient = s.register("patient").await;
    let r = s
        .call(
            Method::POST,
            "/v1/appointments",
            Some(&other_patient.access),
            Some(json!({"provider_id": provider.id, "start": b})),
            Some("k-1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    // A conflict is stored and replayed too (the retry does not suddenly succeed elsewhere).
    let taken = json!({"provider_id": provider.id, "start": a});
    let c1 =
        s.call(Method::POST, "/v1/appointments", Some(&other_patient.access), Some(taken.clone()), Some("k-2")).await;
    let c2 = s.call(Method::POST, "/v1/appointments", Some(&other_patient.access), Some(taken), Some("k-2")).await;
    assert_eq!((c1.status, c2.status), (StatusCode::CONFLICT, StatusCode::CONFLICT));
    assert_eq!(c1.body, c2.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_in_flight_is_refused_with_409() {
    let s = TestServer::start().await;
    let patient = s.register("patient").await;
    let user: psyter_domain::UserId = patient.id.parse().expect("id");
    let fp = psyter_server::appointments::idempotency::fingerprint("POST /v1/appointments", &json!({"x": 1}));
    let now = s.clock().now();
    // Claim the key as a request that is still running would.
    let f = fp.clone();
    s.state
        .db
        .write(move |tx| psyter_server::appointments::idempotency::claim(tx, user, "busy-key", &f, now).map(|_| ()))
        .await
        .expect("claim");
    let f = fp.clone();
    let second = s
        .state
        .db
        .write(move |tx| psyter_server::appointments::idempotency::claim(tx, user, "busy-key", &f, now).map(|_| ()))
        .await;
    assert_eq!(second.expect_err("in flight").code(), "idempotency_in_flight");
    // Over HTTP: the same key used for a booking while that claim is open gets 409 as well.
    let provider = s.open_provider().await;
    let slots = s.free_slots(&provider.id, 3).await;
    let r =
        s.call(Method::POST, "/v1/appointments", Some(&patient.access), Some(json!({"x": 1})), Some("busy-key")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "an unknown field is rejected before the key is looked at");
    let body = json!({"provider_id": provider.id, "start": slots[40]});
    let fp2 = psyter_server::appointments::idempotency::fingerprint(
        "POST /v1/appointments",
        &serde_json::from_value::<psyter_server::model::BookRequest>(body.clone()).expect("req"),
    );
    s.state
        .db
        .write(move |tx| psyter_server::appointments::idempotency::claim(tx, user, "busy-2", &fp2, now).map(|_| ()))
        .await
        .expect("claim 2");
    let r = s.call(Method::POST, "/v1/appointments", Some(&patient.access), Some(body.clone()), Some("busy-2")).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "idempotency_in_flight"));
    // An abandoned claim (its request died) can be retaken after a minute.
    s.clock().advance(jiff::SignedDuration::from_secs(61));
    let r = s.call(Method::POST, "/v1/appointments", Some(&patient.access), Some(body), Some("busy-2")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
}
