//! The bindings from Rust, through exactly the objects Kotlin and Swift get: sign-in, search,
//! history, typed errors (bad credentials, a failing foreign keychain, offline) and a foreign media
//! engine answering the core from another thread.

mod support;

use std::sync::Arc;

use psyter_core::api::ProviderSearch;
use psyter_core::cache::AppointmentFilter;
use psyter_core::video::{CheckItem, Verdict};
use psyter_core::{ActionOutcome, BookOutcome, SessionPhase};
use psyter_ffi::{PlatformError, PsyterError};
use psyter_server::seed::{DEMO_PASSWORD, DEMO_PATIENT};
use support::{MemorySecrets, ProbeEngine, Server};

#[tokio::test]
async fn a_patient_signs_in_searches_books_and_reads_history_through_the_bindings() {
    let server = Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let client = support::open(&server.base, &dir, Arc::default()).await;
    assert_eq!(client.phase(), SessionPhase::SignedOut);

    let me = client.auth().login(DEMO_PATIENT.into(), DEMO_PASSWORD.into(), None).await.expect("login");
    assert_eq!(me.email, DEMO_PATIENT);
    assert_eq!(client.phase(), SessionPhase::Active);
    client.sync().run().await.expect("first sync");

    let search = ProviderSearch { q: Some("Mitchell".into()), ..Default::default() };
    let found = client.providers().search(search).await.expect("search");
    let provider = found.items.first().expect("Dr. Mitchell is found");
    // More than a day ahead, outside the 24-hour cancellation cut-off.
    let from = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(26);
    let slots = client.providers().slots(provider.id, Some(from), None).await.expect("slots");
    let slot = slots.slots.first().expect("a free slot");
    let outcome = client.appointments().book(provider.id, slot.start, "check-in".into()).await.expect("book");
    let BookOutcome::Booked(booked) = outcome else { panic!("online booking is applied: {outcome:?}") };

    let upcoming = client.appointments().upcoming(AppointmentFilter::default(), 50, None).await.expect("upcoming");
    assert!(upcoming.items.iter().any(|v| v.appointment.id == booked.id), "the booking is listed");
    let past = client.appointments().past(AppointmentFilter::default(), 20, None).await.expect("history");
    assert!(!past.items.is_empty(), "the demo patient has history");
    let cancelled = client.appointments().cancel(booked.id, "plans changed".into()).await.expect("cancel");
    assert_eq!(cancelled, ActionOutcome::Applied);
}

#[tokio::test]
async fn failures_come_back_as_typed_errors_with_stable_codes() {
    let server = Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let secrets = Arc::new(MemorySecrets::default());
    let client = support::open(&server.base, &dir, secrets.clone()).await;

    let err = client.auth().login(DEMO_PATIENT.into(), "wrong password".into(), None).await.expect_err("refused");
    assert!(matches!(&err, PsyterError::Auth { code, .. } if code == "invalid_credentials"), "{err:?}");

    // The shell's keychain throws: sign-in fails with a device error, nothing crashes.
    *secrets.fail_set.lock().expect("lock") = Some(PlatformError::Unavailable { reason: "device locked".into() });
    let err = client.auth().login(DEMO_PATIENT.into(), DEMO_PASSWORD.into(), None).await.expect_err("no keychain");
    assert!(matches!(&err, PsyterError::Device { code, .. } if code == "keychain_unavailable"), "{err:?}");

    // A server that is not there: offline, typed.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let other = tempfile::tempdir().expect("tempdir");
    let offline = support::open(&base, &other, Arc::default()).await;
    let err = offline.auth().login(DEMO_PATIENT.into(), DEMO_PASSWORD.into(), None).await.expect_err("offline");
    assert!(matches!(&err, PsyterError::Offline { code, .. } if code == "offline"), "{err:?}");
}

#[tokio::test]
async fn a_foreign_media_engine_answers_the_pre_call_check_from_its_own_thread() {
    let server = Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let client = support::open(&server.base, &dir, Arc::default()).await;
    client.auth().login(DEMO_PATIENT.into(), DEMO_PASSWORD.into(), None).await.expect("login");

    let report = client.video().check(Arc::new(ProbeEngine::default())).await.expect("check");
    let verdict = |item| report.items.iter().find(|r| r.item == item).map(|r| (r.verdict, r.message_id.clone()));
    assert_eq!(verdict(CheckItem::Microphone).map(|v| v.0), Some(Verdict::Pass));
    assert_eq!(verdict(CheckItem::Camera).map(|v| v.0), Some(Verdict::Warn), "camera not allowed");
    // The probe the engine sent back (quality 5) was judged, not the 5 s "no answer" fallback.
    assert_eq!(verdict(CheckItem::Network), Some((Verdict::Fail, "precall-network-fail".to_owned())));
}
