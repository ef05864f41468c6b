//! The delta feed: paging without repeats, tombstones, visibility, resumable cursors.

mod common;

use std::collections::HashSet;

use common::{Session, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Pages through the feed from `since` with `limit`, returning (changes, final cursor).
async fn drain(s: &TestServer, who: &Session, since: i64, limit: u32) -> (Vec<Value>, i64) {
    let mut cursor = since;
    let mut all = Vec::new();
    loop {
        let r = s.get(&format!("/v1/sync?since={cursor}&limit={limit}"), Some(&who.access)).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        let changes = r.body["changes"].as_array().expect("changes").clone();
        assert!(changes.len() <= limit as usize);
        for c in &changes {
            assert!(c["seq"].as_i64().expect("seq") > cursor, "sequence moves forward");
        }
        let next = r.body["cursor"].as_i64().expect("cursor");
        assert!(next >= cursor);
        cursor = next;
        all.extend(changes);
        if !r.body["has_more"].as_bool().expect("has_more") {
            return (all, cursor);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_never_repeat_and_cancel_yields_a_tombstone() {
    let s = TestServer::start().await;
    let provider = s.open_provider().await;
    let patient = s.register("patient").await;
    let slots = s.free_slots(&provider.id, 10).await;
    let mut ids = Vec::new();
    for st in slots.iter().skip(48).step_by(3).take(7) {
        let r = s.book(&patient, &provider.id, st).await;
        assert_eq!(r.status, StatusCode::CREATED);
        ids.push(r.body["id"].as_str().expect("id").to_owned());
    }
    let (changes, cursor) = drain(&s, &patient, 0, 2).await;
    let seen: Vec<&str> = changes.iter().map(|c| c["id"].as_str().expect("id")).collect();
    assert_eq!(seen.len(), 7, "each appointment exactly once: {seen:?}");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 7);
    assert!(ids.iter().all(|i| seen.contains(&i.as_str())));
    assert!(
        changes
            .iter()
            .all(|c| c["op"] == "upsert" && c["kind"] == "appointment" && c["appointment"]["status"] == "booked")
    );

    // Nothing new -> empty page at the same cursor.
    let r = s.get(&format!("/v1/sync?since={cursor}"), Some(&patient.access)).await;
    assert_eq!(r.body["changes"].as_array().expect("changes").len(), 0);
    assert_eq!(r.body["cursor"], cursor);

    // Cancel one: the next pull has exactly that appointment, as a tombstone carrying its final record.
    let r = s
        .post(&format!("/v1/appointments/{}/cancel", ids[3]), Some(&patient.access), json!({"reason": "travel"}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let (changes, cursor2) = drain(&s, &patient, cursor, 50).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["op"], "tombstone");
    assert_eq!(changes[0]["id"], ids[3].as_str());
    assert_eq!(changes[0]["appointment"]["status"], "cancelled");
    assert!(cursor2 > cursor);
    // The provider's feed carries the same tombstone.
    let (pchanges, _) = drain(&s, &provider, 0, 3).await;
    let t: Vec<&Value> = pchanges.iter().filter(|c| c["id"] == ids[3].as_str()).collect();
    assert_eq!(t.len(), 1);
    assert_eq!(t[0]["op"], "tombstone");
    // A full resync from zero still lists every appointment once, the cancelled one as a tombstone.
    let (changes, _) = drain(&s, &patient, 0, 4).await;
    assert_eq!(changes.len(), 7);
    // The referenced provider's profile rides along.
    let r = s.get("/v1/sync?since=0", Some(&patient.access)).await;
    assert_eq!(r.body["providers"][0]["id"], provider.id.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_are_private_to_the_provider_and_deletions_are_tombstones() {
    let s = TestServer::start().await;
    let provider = s.open_provider().await;
    let patient = s.register("patient").await;
    let slot = s.free_slots(&provider.id, 5).await[50].clone();
    let id = s.book(&patient, &provider.id, &slot).await.body["id"].as_str().expect("id").to_owned();
    let (_, cursor) = drain(&s, &provider, 0, 100).await;
    let r = s
        .call(
            Method::PUT,
            &format!("/v1/appointments/{id}/notes"),
            Some(&provider.access),
            Some(json!({"text": "Private observations"})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let (changes, cursor) = drain(&s, &provider, cursor, 100).await;
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0]["kind"].as_str(), changes[0]["op"].as_str()), (Some("note"), Some("upsert")));
    assert_eq!(changes[0]["note"]["text"], "Private observations");
    let r = s
        .call(
            Method::PUT,
            &format!("/v1/appointments/{id}/notes"),
            Some(&provider.access),
            Some(json!({"text": ""})),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let (changes, _) = drain(&s, &provider, cursor, 100).await;
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0]["kind"].as_str(), changes[0]["op"].as_str()), (Some("note"), Some("tombstone")));
    assert!(changes[0]["note"].is_null());
    let (pchanges, _) = drain(&s, &patient, 0, 100).await;
    assert!(pchanges.iter().all(|c| c["kind"] == "appointment"), "patients never receive notes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paging_is_stable_under_concurrent_writes() {
    let s = std::sync::Arc::new(TestServer::start().await);
    let provider = s.open_provider().await;
    let patient = s.register("patient").await;
    let slots = s.free_slots(&provider.id, 20).await;
    for st in slots.iter().skip(48).step_by(2).take(10) {
        assert_eq!(s.book(&patient, &provider.id, st).await.status, StatusCode::CREATED);
    }
    // Book 20 more while a reader pages through in pages of 3.
    let writer = {
        let (s, patient, provider, slots) = (s.clone(), patient.clone(), provider.id.clone(), slots.clone());
        tokio::spawn(async move {
            for st in slots.iter().skip(49).step_by(2).take(20) {
                assert_eq!(s.book(&patient, &provider, st).await.status, StatusCode::CREATED);
            }
        })
    };
    let (mut changes, cursor) = drain(&s, &patient, 0, 3).await;
    writer.await.expect("writer");
    let (rest, _) = drain(&s, &patient, cursor, 3).await;
    changes.extend(rest);
    let ids: Vec<&str> = changes.iter().map(|c| c["id"].as_str().expect("id")).collect();
    assert_eq!(ids.len(), 30, "every booking seen");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 30, "and none twice");
}
