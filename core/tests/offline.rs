//! Offline-first behaviour against the real server, stopped and restarted on the same port: the cache
//! answers while it is down, actions queue durably, and when it returns the outbox drains exactly once;
//! a booking whose slot was taken meanwhile turns into a visible conflict; an unreadable cache is rebuilt
//! without losing queued actions.

mod common;

use common::*;
use jiff::{SignedDuration, Timestamp};
use psyter_core::api::{AppointmentQuery, ProviderSearch};
use psyter_core::cache::{AppointmentFilter, OutboxKind, OutboxState};
use psyter_core::events::{CoreEvent, SyncActivity};
use psyter_core::secret::{Secret, SecretStore};
use psyter_core::{ActionOutcome, BookOutcome, ErrorKind};
use psyter_domain::wire::{BookRequest, LoginRequest};
use psyter_domain::{AppointmentId, AppointmentStatus, UserId};

/// Every appointment of a demo patient on the server, straight from the API.
async fn server_side(server: &LiveServer, email: &str) -> Vec<psyter_domain::wire::Appointment> {
    let api = server.api();
    let login = LoginRequest { email: email.into(), password: DEMO_PASSWORD.into(), totp_code: None };
    let token = api.login(&login).await.expect("login").access_token;
    let query = AppointmentQuery { limit: Some(200), ..Default::default() };
    api.appointments(&token, &query).await.expect("appointments").items
}

/// Slots of `provider` at least `hours` ahead.
async fn slots_after(server: &LiveServer, provider: UserId, hours: i64) -> Vec<Timestamp> {
    let floor = Timestamp::now() + SignedDuration::from_hours(hours);
    server.free_slots(provider, 7).await.into_iter().filter(|s| *s > floor).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_down_then_back_drains_the_outbox_exactly_once() {
    let mut server = LiveServer::start().await;
    let pid = server.open_provider().await.user.id;
    let slots = slots_after(&server, pid, 30).await;
    let (a_start, b_start, c_start) = (slots[0], slots[2], slots[4]);
    let device = Device::new(&server);
    let patient = device.signed_in("patient", DEMO_PATIENT).await;
    let search = ProviderSearch { q: Some("openhour".into()), ..Default::default() };
    patient.providers().search(&search).await.expect("search online");
    let BookOutcome::Booked(a) = patient.appointments().book(pid, a_start, "Panic attacks").await.expect("book") else {
        panic!("booked online")
    };
    patient.sync().run().await.expect("sync");

    server.stop().await;
    // Reads come from the cache.
    let none = AppointmentFilter::default();
    let upcoming = patient.appointments().upcoming(&none, 50, None).await.expect("upcoming offline");
    assert!(upcoming.items.iter().any(|v| v.appointment.id == a.id));
    let hits = patient.appointments().search("panic", 10).await.expect("history search offline");
    assert_eq!(hits.iter().map(|v| v.appointment.id).collect::<Vec<_>>(), [a.id]);
    let cached = patient.providers().search(&search).await.expect("provider search offline");
    assert!(cached.from_cache && cached.items.iter().any(|p| p.id == pid), "{cached:?}");
    let sync = patient.sync().run().await.expect_err("sync offline");
    assert_eq!(sync.kind(), ErrorKind::Offline);

    // Actions queue: a cancel, a booking, and a booking someone else will take first.
    let ActionOutcome::Queued { outbox_id: cancel_id } =
        patient.appointments().cancel(a.id, "Travelling").await.expect("queued cancel")
    else {
        panic!("queued while the server is down")
    };
    let BookOutcome::Queued(b) = patient.appointments().book(pid, b_start, "Follow-up").await.expect("queued") else {
        panic!("queued booking")
    };
    assert_eq!(b.appointment.status, AppointmentStatus::Pending);
    device.network.set_online(false); // the platform says offline: nothing is even tried
    let BookOutcome::Queued(c) = patient.appointments().book(pid, c_start, "Contested").await.expect("queued") else {
        panic!("queued booking")
    };
    // A booking still in the outbox: acting on it needs the server's record, cancelling withdraws it.
    let BookOutcome::Queued(d) = patient.appointments().book(pid, slots[6], "Changed my mind").await.expect("queued")
    else {
        panic!("queued booking")
    };
    let d_id = d.appointment.id;
    let pending = patient.appointments().reschedule(d_id, slots[8]).await.expect_err("not on the server yet");
    assert_eq!(pending.code(), "booking_pending");
    assert_eq!(patient.appointments().cancel(d_id, "").await.expect("withdrawn"), ActionOutcome::Applied);
    assert!(patient.appointments().get(d_id).await.is_err(), "the placeholder is gone");
    let views = patient.appointments().upcoming(&none, 50, None).await.expect("upcoming").items;
    let view = |id: AppointmentId| views.iter().find(|v| v.appointment.id == id).cloned().expect("listed");
    let pending = view(a.id).pending.expect("cancel pending");
    assert_eq!((pending.outbox_id, pending.kind, pending.state), (cancel_id, OutboxKind::Cancel, OutboxState::Queued));
    assert_eq!(pending.appointment_id, a.id.to_string());
    assert_eq!(view(b.appointment.id).pending.expect("booking pending").kind, OutboxKind::Book);
    assert_eq!(patient.appointments().pending_actions().await.expect("pending").len(), 3);

    // The server returns; meanwhile another patient took slot C.
    server.restart().await;
    let api = server.api();
    let login = LoginRequest { email: DEMO_PATIENT_2.into(), password: DEMO_PASSWORD.into(), totp_code: None };
    let other = api.login(&login).await.expect("other patient");
    let req = BookRequest { provider_id: pid, start: c_start, reason: String::new() };
    api.book(&other.access_token, &req, "other-key").await.expect("the other patient books C");
    device.network.set_online(true);
    let report = patient.sync().run().await.expect("sync after return");
    assert_eq!((report.sent, report.refused), (2, 1), "{report:?}");

    // Applied once: A cancelled, B booked exactly once, C refused and shown as a conflict.
    let on_server = server_side(&server, DEMO_PATIENT).await;
    let at = |start: Timestamp| on_server.iter().filter(|x| x.start == start && x.provider_id == pid).count();
    assert_eq!((at(a_start), at(b_start), at(c_start), at(slots[6])), (1, 1, 0, 0));
    assert!(on_server.iter().any(|x| x.id == a.id && x.status == AppointmentStatus::Cancelled));
    let views = patient.appointments().upcoming(&none, 50, None).await.expect("upcoming").items;
    assert!(views.iter().all(|v| v.appointment.id != b.appointment.id), "the placeholder was replaced");
    let real_b = views.iter().find(|v| v.appointment.start == b_start).expect("B booked");
    assert_eq!((real_b.appointment.status, &real_b.pending), (AppointmentStatus::Booked, &None));
    let conflict = views.iter().find(|v| v.appointment.id == c.appointment.id).expect("C still shown");
    let failed = conflict.pending.clone().expect("C failed");
    assert_eq!((failed.state, failed.error_code.as_deref()), (OutboxState::Failed, Some("slot_taken")));

    // Nothing is sent twice; the user dismisses the conflict.
    let again = patient.sync().run().await.expect("sync again");
    assert_eq!((again.sent, again.refused), (0, 0));
    patient.appointments().dismiss(failed.outbox_id).await.expect("dismiss");
    assert!(patient.appointments().pending_actions().await.expect("pending").is_empty());
    let views = patient.appointments().upcoming(&none, 50, None).await.expect("upcoming").items;
    assert!(views.iter().all(|v| v.appointment.id != c.appointment.id));
    assert_eq!(server_side(&server, DEMO_PATIENT).await.len(), on_server.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_cache_is_rebuilt_from_the_server_keeping_queued_actions() {
    let server = LiveServer::start().await;
    let pid = server.open_provider().await.user.id;
    let slots = slots_after(&server, pid, 30).await;
    let device = Device::new(&server);
    let patient = device.signed_in("patient", DEMO_PATIENT).await;
    let BookOutcome::Booked(a) = patient.appointments().book(pid, slots[0], "Rebuild me").await.expect("book") else {
        panic!("booked")
    };
    device.network.set_online(false);
    let queued = patient.appointments().book(pid, slots[2], "Queued before the damage").await.expect("queued");
    assert!(matches!(queued, BookOutcome::Queued(_)));
    drop(patient);

    // The keychain now holds a different cache key (as after a restore from another device's backup).
    device.secrets.set("patient/cache_key", &Secret::random(32).expect("rng")).expect("replace key");
    let reopened = device.open("patient").await;
    let mut events = reopened.events();
    assert_eq!(events.try_recv().expect("the first subscriber hears about the rebuild"), CoreEvent::CacheRebuilt);
    let none = AppointmentFilter::default();
    let empty = reopened.appointments().upcoming(&none, 50, None).await.expect("rebuilt cache");
    assert!(empty.items.iter().all(|v| v.appointment.id != a.id), "the old cache is gone");
    assert_eq!(empty.items.len(), 1, "the queued booking's placeholder is back: {empty:?}");
    assert_eq!(reopened.appointments().pending_actions().await.expect("pending").len(), 1);
    assert_eq!(reopened.sync().status().borrow().pending_actions, 1, "the status counts what was queued before");

    device.network.set_online(true);
    let report = reopened.sync().run().await.expect("sync refills");
    assert_eq!(report.sent, 1);
    let list = reopened.appointments().upcoming(&none, 50, None).await.expect("upcoming").items;
    assert!(list.iter().any(|v| v.appointment.id == a.id), "refilled from the server");
    assert!(list.iter().any(|v| v.appointment.start == slots[2] && v.appointment.status == AppointmentStatus::Booked));

    // A corrupt file is treated the same way.
    drop(reopened);
    let path = device.dir.path().join("profiles/patient/cache.db");
    let mut bytes = std::fs::read(&path).expect("read");
    for b in bytes.iter_mut().skip(4096).take(8192) {
        *b ^= 0x5a;
    }
    std::fs::write(&path, bytes).expect("damage");
    let _ = std::fs::remove_file(device.dir.path().join("profiles/patient/cache.db-wal"));
    let again = device.open("patient").await;
    again.sync().run().await.expect("sync after corruption");
    let list = again.appointments().upcoming(&none, 50, None).await.expect("upcoming").items;
    assert!(list.iter().any(|v| v.appointment.id == a.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_loop_backs_off_while_down_and_drains_when_woken() {
    let mut server = LiveServer::start().await;
    let pid = server.open_provider().await.user.id;
    let slots = slots_after(&server, pid, 30).await;
    let device = Device::new(&server);
    let patient = device.signed_in("patient", DEMO_PATIENT).await;
    let BookOutcome::Booked(a) = patient.appointments().book(pid, slots[0], "Loop").await.expect("book") else {
        panic!("booked")
    };
    server.stop().await;
    let mut status = patient.sync().status();
    let sync_loop = patient.sync().start(std::time::Duration::from_secs(3600));
    let offline = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        status.wait_for(|s| s.activity == SyncActivity::Offline),
    );
    offline.await.expect("the loop reports offline").expect("status");
    let queued = patient.appointments().cancel(a.id, "Loop cancel").await.expect("queued");
    assert!(matches!(queued, ActionOutcome::Queued { .. }));
    assert_eq!(status.borrow().pending_actions, 1);

    // The server returns; the shell says so (a network change): the loop drains at once, without
    // waiting out its hour-long interval.
    server.restart().await;
    patient.sync().wake();
    let drained = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        status.wait_for(|s| s.pending_actions == 0 && s.activity == SyncActivity::Idle && s.last_synced_at.is_some()),
    );
    drained.await.expect("the loop drains after wake").expect("status");
    let on_server = server_side(&server, DEMO_PATIENT).await;
    assert!(on_server.iter().any(|x| x.id == a.id && x.status == AppointmentStatus::Cancelled));
    sync_loop.stop();
}
