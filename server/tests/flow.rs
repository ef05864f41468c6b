//! The whole patient and provider flow over HTTP against a real server.

mod common;

use common::TestServer;
use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patient_and_provider_flow() {
    let s = TestServer::start().await;
    let provider = s.open_provider().await;
    let patient = s.register("patient").await;

    // Patient: search, see the provider, see slots, book.
    let r = s.get("/v1/providers?q=test&limit=100", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body["items"].as_array().expect("items").iter().any(|p| p["id"] == provider.id.as_str()),
        "new provider is searchable"
    );
    let r = s.get(&format!("/v1/providers/{}", provider.id), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["time_zone"], "UTC");
    let slots = s.free_slots(&provider.id, 7).await;
    assert!(slots.len() > 100, "open provider has many slots, got {}", slots.len());
    let start = slots.iter().find(|st| **st > s.hour_from_now(48)).expect("slot in 2 days").clone();
    let booked = s.book(&patient, &provider.id, &start).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{:?}", booked.body);
    assert_eq!(booked.body["status"], "booked");
    let id = booked.body["id"].as_str().expect("id").to_owned();
    assert!(!s.free_slots(&provider.id, 7).await.contains(&start), "booked slot is no longer free");

    // Both see it.
    let r = s.get("/v1/appointments?status=booked", Some(&patient.access)).await;
    assert_eq!(r.body["items"].as_array().expect("items").len(), 1);
    let r = s.get(&format!("/v1/appointments/{id}"), Some(&provider.access)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["patient_name"], "Test patient");

    // Provider: notes, then through the visit to fulfilled.
    let r = s
        .call(
            Method::PUT,
            &format!("/v1/appointments/{id}/notes"),
            Some(&provider.access),
            Some(json!({"text": "Initial assessment."})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = s.get(&format!("/v1/appointments/{id}/notes"), Some(&patient.access)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "patients cannot read session notes");
    let r =
        s.post(&format!("/v1/appointments/{id}/status"), Some(&provider.access), json!({"status": "arrived"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "too early to arrive: {:?}", r.body);
    assert_eq!(r.code(), "wrong_time");
    let start_ts: jiff::Timestamp = start.parse().expect("start");
    s.clock().advance(start_ts.duration_since(s.clock().now()) - SignedDuration::from_mins(5));
    // Access tokens live 15 minutes; two days later both sides refresh.
    let (provider, patient) = (s.refresh(&provider).await, s.refresh(&patient).await);
    let r =
        s.post(&format!("/v1/appointments/{id}/status"), Some(&provider.access), json!({"status": "arrived"})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r =
        s.post(&format!("/v1/appointments/{id}/status"), Some(&patient.access), json!({"status": "fulfilled"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "patients cannot set status");
    s.clock().advance(SignedDuration::from_mins(30));
    let (provider, patient) = (s.refresh(&provider).await, s.refresh(&patient).await);
    let r =
        s.post(&format!("/v1/appointments/{id}/status"), Some(&provider.access), json!({"status": "fulfilled"})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["status"], "fulfilled");
    let r = s.get("/v1/appointments?status=fulfilled", Some(&patient.access)).await;
    assert_eq!(r.body["items"][0]["id"], id.as_str());

    // Metrics saw the booking.
    let m = s.http.get(format!("{}/metrics", s.base)).send().await.expect("metrics").text().await.expect("text");
    assert!(m.contains("psyter_bookings_total 1"), "{m}");
    assert!(m.contains("route=\"/v1/appointments\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reschedule_moves_atomically_and_cancel_respects_cutoff() {
    let s = TestServer::start().await;
    let provider = s.open_provider().await;
    let patient = s.register("patient").await;
    let slots = s.free_slots(&provider.id, 7).await;
    let far: Vec<&String> = slots.iter().filter(|st| **st > s.hour_from_now(72)).collect();
    let booked = s.book(&patient, &provider.id, far[0]).await;
    let id = booked.body["id"].as_str().expect("id").to_owned();

    // Reschedule to a later slot: the old one frees, the new one is taken, same appointment.
    let r = s
        .call(
            Method::POST,
            &format!("/v1/appointments/{id}/reschedule"),
            Some(&patient.access),
            Some(json!({"start": far[2]})),
            Some("move-1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["start"], far[2].as_str());
    assert_eq!(r.body["version"], 2);
    let free = s.free_slots(&provider.id, 7).await;
    assert!(free.contains(far[0]) && !free.contains(far[2]));
    // Without a key it is refused.
    let r = s.post(&format!("/v1/appointments/{id}/reschedule"), Some(&patient.access), json!({"start": far[3]})).await;
    assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "idempotency_key_missing"));

    // A booking inside the 24 h cut-off: the patient cannot cancel or reschedule; the provider can cancel.
    let soon = slots.iter().find(|st| **st > s.hour_from_now(3) && **st < s.hour_from_now(20)).expect("soon slot");
    let r = s.book(&patient, &provider.id, soon).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let soon_id = r.body["id"].as_str().expect("id").to_owned();
    let r =
        s.post(&format!("/v1/appointments/{soon_id}/cancel"), Some(&patient.access), json!({"reason": "busy"})).await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "cancel_cutoff"), "{:?}", r.body);
    let r = s
        .call(
            Method::POST,
            &format!("/v1/appointments/{soon_id}/reschedule"),
            Some(&patient.access),
            Some(json!({"start": far[5]})),
            Some("move-2"),
        )
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "cancel_cutoff"));
    let r = s
        .post(&format!("/v1/appointments/{soon_id}/cancel"), Some(&provider.access), json!({"reason": "provider ill"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["cancelled_by"], "provider");
    // Outside the cut-off the patient can cancel; cancelling twice is a no-op.
    for _ in 0..2 {
        let r = s
            .post(&format!("/v1/appointments/{id}/cancel"), Some(&patient.access), json!({"reason": "feeling better"}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert_eq!(r.body["status"], "cancelled");
    }
    assert!(s.free_slots(&provider.id, 7).await.contains(far[2]), "cancelled slot is free again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_is_searchable_by_every_filter() {
    let s = TestServer::start().await;
    let r = s.get("/v1/providers?language=ar&specialty=anxiety&limit=100", None).await;
    assert_eq!(r.status, StatusCode::OK);
    for p in r.body["items"].as_array().expect("items") {
        assert!(p["languages"].as_array().expect("langs").iter().any(|l| l == "ar"));
        assert!(p["specialties"].as_array().expect("specs").iter().any(|l| l == "anxiety"));
    }
    let r = s.get("/v1/providers?max_price_cents=8000&min_rating=4&gender=female&limit=100", None).await;
    for p in r.body["items"].as_array().expect("items") {
        assert!(p["price_cents"].as_u64().expect("price") <= 8000 && p["rating"].as_f64().expect("rating") >= 4.0);
        assert_eq!(p["gender"], "female");
    }
    // Paging: 40 providers in pages of 7, none twice, none missing, ordered by rating.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/providers?limit=7&cursor={c}"),
            None => "/v1/providers?limit=7".into(),
        };
        let r = s.get(&path, None).await;
        seen.extend(
            r.body["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|p| (p["id"].as_str().expect("id").to_owned(), p["rating"].as_f64().expect("r"))),
        );
        match r.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 40);
    let mut ids: Vec<&String> = seen.iter().map(|(i, _)| i).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40);
    assert!(seen.windows(2).all(|w| w[0].1 >= w[1].1));
    // Text search finds the demo provider by name prefix.
    let r = s.get("/v1/providers?q=mitch", None).await;
    assert_eq!(r.body["items"][0]["display_name"], "Dr. Sarah Mitchell");
    // Availability filter only returns providers with a free slot in the range.
    let from = s.clock().now() + SignedDuration::from_hours(48);
    let to = from + SignedDuration::from_hours(24 * 7);
    let r = s.get(&format!("/v1/providers?available_from={from}&available_to={to}&limit=100"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let available = r.body["items"].as_array().expect("items").len();
    assert!(available > 0 && available <= 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_provider_is_found_by_the_new_name_only() {
    let s = TestServer::start().await;
    let provider = s.open_provider().await;
    let r = s
        .call(Method::PATCH, "/v1/me", Some(&provider.access), Some(json!({"display_name": "Dr. Zebulon Quill"})), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = s.get("/v1/providers?q=zebul", None).await;
    let items = r.body["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{items:?}");
    assert_eq!(items[0]["id"], provider.id.as_str());
    assert_eq!(items[0]["display_name"], "Dr. Zebulon Quill");
    let r = s.get("/v1/providers?q=test%20provider", None).await;
    assert!(
        r.body["items"].as_array().expect("items").iter().all(|p| p["id"] != provider.id.as_str()),
        "old name is gone"
    );
}
