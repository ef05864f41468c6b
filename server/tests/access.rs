//! The authorisation matrix: who may see and do what to an appointment. Strangers (another patient,
//! another provider) get 404 as if the appointment did not exist; participants get 403 only for
//! actions their role may not take.

mod common;

use common::{Resp, Session, TestServer, assert_problem};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug)]
enum Route {
    Detail,
    Cancel,
    Reschedule,
    Status,
    PutNote,
    GetNote,
    Video,
}

const ROUTES: [Route; 7] =
    [Route::Detail, Route::Cancel, Route::Reschedule, Route::Status, Route::PutNote, Route::GetNote, Route::Video];

/// Calls `route` on appointment `id`; `start` is the reschedule target.
async fn hit(s: &TestServer, route: Route, id: &str, token: Option<&str>, start: &str) -> Resp {
    let base = format!("/v1/appointments/{id}");
    match route {
        Route::Detail => s.get(&base, token).await,
        Route::Cancel => s.post(&format!("{base}/cancel"), token, json!({"reason": "not needed"})).await,
        Route::Reschedule => {
            let key = uuid::Uuid::new_v4().to_string();
            s.call(Method::POST, &format!("{base}/reschedule"), token, Some(json!({"start": start})), Some(&key)).await
        }
        Route::Status => s.post(&format!("{base}/status"), token, json!({"status": "noshow"})).await,
        Route::PutNote => {
            s.call(Method::PUT, &format!("{base}/notes"), token, Some(json!({"text": "private clinical note"})), None)
                .await
        }
        Route::GetNote => s.get(&format!("{base}/notes"), token).await,
        Route::Video => s.call(Method::POST, &format!("{base}/video-token"), token, None, None).await,
    }
}

fn ids(page: &Value, list: &str) -> Vec<String> {
    page[list].as_array().expect("list").iter().filter_map(|x| x["id"].as_str().map(str::to_owned)).collect()
}

async fn sync_ids(s: &TestServer, who: &Session) -> Vec<(String, String)> {
    let r = s.get("/v1/sync", Some(&who.access)).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| (c["kind"].as_str().expect("kind").to_owned(), c["id"].as_str().expect("id").to_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appointment_routes_follow_the_authorisation_matrix() {
    let s = TestServer::start().await;
    let (a, b) = (s.open_provider().await, s.open_provider().await);
    let (p, q) = (s.register("patient").await, s.register("patient").await);
    let slots = s.free_slots(&a.id, 7).await;
    let far: Vec<&String> = slots.iter().filter(|st| **st > s.hour_from_now(72)).collect();
    let booked = s.book(&p, &a.id, far[0]).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{:?}", booked.body);
    let id = booked.body["id"].as_str().expect("id").to_owned();

    // Anonymous callers are asked to sign in; strangers and bad ids see nothing at all.
    let missing = uuid::Uuid::now_v7().to_string();
    for route in ROUTES {
        let r = hit(&s, route, &id, None, far[1]).await;
        assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthorized");
        assert!(r.headers.contains_key("www-authenticate"), "{route:?}");
        for (who, stranger) in [("other patient", &q), ("other provider", &b)] {
            let r = hit(&s, route, &id, Some(&stranger.access), far[1]).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{who} on {route:?}: {:?}", r.body);
            assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
        }
        for (who, bad_id) in [(&p, missing.as_str()), (&a, missing.as_str()), (&p, "not-a-uuid"), (&a, "42")] {
            let r = hit(&s, route, bad_id, Some(&who.access), far[1]).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{route:?} on {bad_id}: {:?}", r.body);
            assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
        }
    }
    // None of that changed anything.
    let r = hit(&s, Route::Detail, &id, Some(&p.access), "").await;
    assert_eq!(
        (r.status, r.body["status"].as_str(), r.body["version"].as_i64()),
        (StatusCode::OK, Some("booked"), Some(1))
    );
    assert_eq!(r.body["start"], far[0].as_str());
    let pid = id.clone();
    let notes: i64 = s
        .state
        .db
        .read(move |tx| Ok(tx.query_row("SELECT count(*) FROM notes WHERE appointment_id = ?1", [pid], |r| r.get(0))?))
        .await
        .expect("notes");
    assert_eq!(notes, 0);

    // Participants: both see it; only the provider writes and reads notes and sets status.
    assert_eq!(hit(&s, Route::Detail, &id, Some(&a.access), "").await.status, StatusCode::OK);
    assert_problem(&hit(&s, Route::PutNote, &id, Some(&p.access), "").await, StatusCode::FORBIDDEN, "forbidden");
    let r = hit(&s, Route::PutNote, &id, Some(&a.access), "").await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_problem(&hit(&s, Route::GetNote, &id, Some(&p.access), "").await, StatusCode::FORBIDDEN, "forbidden");
    let r = hit(&s, Route::GetNote, &id, Some(&a.access), "").await;
    assert_eq!((r.status, r.body["text"].as_str()), (StatusCode::OK, Some("private clinical note")));
    assert_problem(&hit(&s, Route::Status, &id, Some(&p.access), "").await, StatusCode::FORBIDDEN, "forbidden");
    // The provider is allowed, but a no-show cannot be recorded before the start.
    assert_problem(&hit(&s, Route::Status, &id, Some(&a.access), "").await, StatusCode::CONFLICT, "wrong_time");
    for who in [&p, &a] {
        assert_problem(
            &hit(&s, Route::Video, &id, Some(&who.access), "").await,
            StatusCode::CONFLICT,
            "outside_join_window",
        );
    }
    // Either participant may move it.
    for (who, to) in [(&p, far[2]), (&a, far[4])] {
        let r = hit(&s, Route::Reschedule, &id, Some(&who.access), to).await;
        assert_eq!((r.status, r.body["start"].as_str()), (StatusCode::OK, Some(to.as_str())), "{:?}", r.body);
    }

    // Lists and the sync feed: strangers get nothing of it, even when filtering for the participants.
    for (who, filter) in
        [(&q, format!("patient_id={}", p.id)), (&b, format!("provider_id={}", a.id)), (&q, String::new())]
    {
        let r = s.get(&format!("/v1/appointments?{filter}"), Some(&who.access)).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert!(ids(&r.body, "items").is_empty(), "{filter}: {:?}", r.body);
        assert!(sync_ids(&s, who).await.iter().all(|(_, i)| *i != id), "sync leaks the appointment");
    }
    for who in [&p, &a] {
        let r = s.get("/v1/appointments", Some(&who.access)).await;
        assert_eq!(ids(&r.body, "items"), vec![id.clone()]);
    }
    // Session notes reach the provider's devices only.
    let patient_feed = sync_ids(&s, &p).await;
    assert!(patient_feed.contains(&("appointment".into(), id.clone())));
    assert!(patient_feed.iter().all(|(kind, _)| kind != "note"), "notes never sync to patients: {patient_feed:?}");
    assert!(sync_ids(&s, &a).await.contains(&("note".into(), id.clone())));

    // Cancelling: the patient may (outside the cut-off), and so may the provider, on another booking.
    let r = hit(&s, Route::Cancel, &id, Some(&p.access), "").await;
    assert_eq!((r.status, r.body["cancelled_by"].as_str()), (StatusCode::OK, Some("patient")), "{:?}", r.body);
    let other = s.book(&p, &a.id, far[6]).await;
    let other_id = other.body["id"].as_str().expect("id").to_owned();
    let r = hit(&s, Route::Cancel, &other_id, Some(&a.access), "").await;
    assert_eq!((r.status, r.body["cancelled_by"].as_str()), (StatusCode::OK, Some("provider")), "{:?}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_patient_never_succeeds_at_a_provider_status_action() {
    let s = TestServer::start().await;
    let a = s.open_provider().await;
    let p = s.register("patient").await;
    let slot = s.free_slots(&a.id, 7).await.into_iter().find(|st| *st > s.hour_from_now(48)).expect("slot");
    let id = s.book(&p, &a.id, &slot).await.body["id"].as_str().expect("id").to_owned();
    let path = format!("/v1/appointments/{id}/status");
    let status = |who: Session, to: &'static str| {
        let (s, path) = (&s, path.clone());
        async move { s.post(&path, Some(&who.access), json!({"status": to})).await }
    };
    let r = status(a.clone(), "entered-in-error").await;
    assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("entered-in-error")), "{:?}", r.body);
    // Repeating the provider's action is a no-op for the provider, but still refused for the patient.
    assert_eq!(status(a.clone(), "entered-in-error").await.status, StatusCode::OK);
    for to in ["entered-in-error", "fulfilled", "arrived"] {
        assert_problem(&status(p.clone(), to).await, StatusCode::FORBIDDEN, "forbidden");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_gated_routes() {
    let s = TestServer::start().await;
    let (a, b) = (s.open_provider().await, s.open_provider().await);
    let p = s.register("patient").await;
    let rules = s.get("/v1/me/availability", Some(&a.access)).await;
    assert_eq!(rules.status, StatusCode::OK);

    // Availability belongs to providers.
    assert_problem(&s.get("/v1/me/availability", Some(&p.access)).await, StatusCode::FORBIDDEN, "forbidden");
    let r = s.call(Method::PUT, "/v1/me/availability", Some(&p.access), Some(rules.body.clone()), None).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    assert_problem(&s.get("/v1/me/availability", None).await, StatusCode::UNAUTHORIZED, "unauthorized");
    let r = s.call(Method::PUT, "/v1/me/availability", None, Some(rules.body.clone()), None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthorized");

    // Booking belongs to patients: a provider cannot book another provider, and nothing is taken.
    let before = s.free_slots(&b.id, 3).await;
    let r = s.book(&a, &b.id, &before[10]).await;
    assert_problem(&r, StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(s.free_slots(&b.id, 3).await, before);
    let r = s
        .call(
            Method::POST,
            "/v1/appointments",
            None,
            Some(json!({"provider_id": b.id, "start": before[10]})),
            Some("k"),
        )
        .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED, "unauthorized");
    // A patient cannot book a patient.
    let other = s.register("patient").await;
    let r = s.book(&p, &other.id, &before[10]).await;
    assert_problem(&r, StatusCode::NOT_FOUND, "not_found");
    // Lists and the feed need a session.
    for path in ["/v1/appointments", "/v1/sync", "/v1/me"] {
        assert_problem(&s.get(path, None).await, StatusCode::UNAUTHORIZED, "unauthorized");
    }
}
