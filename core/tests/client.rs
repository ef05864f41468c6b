//! The client core against the real server on loopback with the real OS keychain: patient and provider
//! flows, reminders, history, account switch and logout.

mod common;

use common::*;
use jiff::{SignedDuration, Timestamp};
use psyter_core::api::ProviderSearch;
use psyter_core::cache::AppointmentFilter;
use psyter_core::{ActionOutcome, BookOutcome, SessionPhase};
use psyter_domain::AppointmentStatus;
use psyter_domain::wire::{StatusAction, UpdateMe};

/// The first free slot at least `hours` ahead.
async fn slot_after(server: &LiveServer, provider: psyter_domain::UserId, hours: i64) -> Timestamp {
    let floor = Timestamp::now() + SignedDuration::from_hours(hours);
    server.free_slots(provider, 7).await.into_iter().find(|s| *s > floor).expect("a free slot")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patient_and_provider_flows_end_to_end() {
    let server = LiveServer::start().await;
    let provider_tokens = server.open_provider().await;
    let pid = provider_tokens.user.id;
    let device = Device::new(&server);
    let patient = device.signed_in("patient", DEMO_PATIENT).await;
    assert_eq!(patient.phase(), SessionPhase::Active);
    assert_eq!(patient.auth().me().await.expect("me").email, DEMO_PATIENT);
    let update = UpdateMe { reminder_minutes: Some(vec![60, 1440]), ..Default::default() };
    assert_eq!(patient.settings().update(&update).await.expect("settings").reminder_minutes, [1440, 60]);

    // Search, profile, slots, book in one call.
    let search = ProviderSearch { q: Some("openhour".into()), ..Default::default() };
    let found = patient.providers().search(&search).await.expect("search");
    assert!(!found.from_cache && found.items.iter().any(|p| p.id == pid), "{found:?}");
    assert_eq!(patient.providers().profile(pid).await.expect("profile").session_minutes, 50);
    let start = slot_after(&server, pid, 30).await;
    let BookOutcome::Booked(booked) = patient.appointments().book(pid, start, "Sleep trouble").await.expect("book")
    else {
        panic!("online booking must be booked at once")
    };
    assert_eq!((booked.status, booked.start, booked.provider_id), (AppointmentStatus::Booked, start, pid));
    let taken = patient.appointments().book(pid, start, "again").await.expect_err("same slot twice");
    assert_eq!(taken.code(), "slot_taken", "{taken:?}");
    assert!(patient.appointments().pending_actions().await.expect("pending").is_empty(), "refusals are reported");

    // The lists come from the cache; the sync run pulls whatever else the server has.
    let report = patient.sync().run().await.expect("sync");
    assert!(report.pages >= 1);
    let none = AppointmentFilter::default();
    let upcoming = patient.appointments().upcoming(&none, 50, None).await.expect("upcoming");
    let mine = upcoming.items.iter().find(|v| v.appointment.id == booked.id).expect("booked one listed");
    assert_eq!((mine.appointment.status, &mine.pending), (AppointmentStatus::Booked, &None));
    let by_provider = AppointmentFilter { provider_id: Some(pid), ..AppointmentFilter::default() };
    let only = patient.appointments().upcoming(&by_provider, 50, None).await.expect("filtered");
    assert_eq!(only.items.iter().map(|v| v.appointment.id).collect::<Vec<_>>(), [booked.id]);

    // Reminders: a day and an hour before, handed to the scheduler.
    let planned = patient.reminders().replan().await.expect("plan");
    let ours: Vec<_> = planned.iter().filter(|r| r.appointment_id == booked.id.to_string()).collect();
    assert_eq!(ours.iter().map(|r| r.minutes_before).collect::<Vec<_>>(), [1440, 60]);
    assert_eq!(ours[1].fire_at, start - SignedDuration::from_hours(1));
    assert!(ours[0].body.contains("Lena Openhour"), "{}", ours[0].body);
    let shown = device.notifications.scheduled.lock().expect("lock").clone();
    assert!(shown.iter().any(|r| r.id == ours[0].id) && shown.iter().any(|r| r.id == ours[1].id));

    // The provider sees it, writes a note, and the note is searchable in the provider's history.
    let provider_device = Device::new(&server);
    let provider = provider_device.open("provider").await;
    provider.auth().login(&provider_tokens.user.email, "correct horse battery", None).await.expect("provider login");
    provider.sync().run().await.expect("provider sync");
    let theirs = provider.appointments().upcoming(&none, 50, None).await.expect("provider upcoming");
    assert!(theirs.items.iter().any(|v| v.appointment.id == booked.id));
    let wrote = provider.appointments().write_note(booked.id, "Discussed insomnia and routines").await;
    assert_eq!(wrote.expect("note"), ActionOutcome::Applied);
    assert_eq!(provider.appointments().note(booked.id).await.expect("note").expect("cached").text.len(), 31);
    let hits = provider.appointments().search("insom", 10).await.expect("search notes");
    assert_eq!(hits.iter().map(|v| v.appointment.id).collect::<Vec<_>>(), [booked.id]);
    let early = provider.appointments().set_status(booked.id, StatusAction::Fulfilled).await;
    assert_eq!(early.expect_err("not started yet").code(), "wrong_time");
    patient.sync().run().await.expect("patient sync");
    assert!(patient.appointments().note(booked.id).await.expect("note").is_none(), "notes are the provider's");

    // The patient cancels; the reminders are withdrawn and the cancelled appointment stays as history.
    let outcome = patient.appointments().cancel(booked.id, "Feeling better").await.expect("cancel");
    assert_eq!(outcome, ActionOutcome::Applied);
    let view = patient.appointments().get(booked.id).await.expect("get");
    assert_eq!(view.appointment.status, AppointmentStatus::Cancelled);
    let shown = device.notifications.scheduled.lock().expect("lock").clone();
    assert!(shown.iter().all(|r| r.appointment_id != booked.id.to_string()), "{shown:?}");
    let cancelled = AppointmentFilter { statuses: vec![AppointmentStatus::Cancelled], ..AppointmentFilter::default() };
    let list = patient.appointments().upcoming(&cancelled, 50, None).await.expect("cancelled filter");
    assert!(list.items.iter().any(|v| v.appointment.id == booked.id));
    provider.sync().run().await.expect("provider sync");
    let seen = provider.appointments().get(booked.id).await.expect("provider get");
    assert_eq!(seen.appointment.status, AppointmentStatus::Cancelled);

    // Three days on, it is in the past. The idle session locked meanwhile (5 minutes by default).
    device.clock.advance(SignedDuration::from_hours(72));
    let none_filter = AppointmentFilter::default();
    let locked = patient.appointments().past(&none_filter, 20, None).await.expect_err("idle too long");
    assert_eq!((locked.code(), patient.phase()), ("locked", SessionPhase::Locked));
    assert_eq!(patient.auth().unlock_method().await.expect("method"), psyter_core::UnlockMethod::Password);
    let wrong = patient.auth().unlock_with_password("not the password", None).await.expect_err("wrong password");
    assert_eq!(wrong.code(), "invalid_credentials");
    patient.auth().unlock_with_password(DEMO_PASSWORD, None).await.expect("unlock");
    // The history timeline and full-text search find it.
    let past = patient.appointments().past(&none, 20, None).await.expect("past");
    assert!(past.items.iter().any(|v| v.appointment.id == booked.id));
    let hits = patient.appointments().search("openh sleep", 10).await.expect("history search");
    assert_eq!(hits.iter().map(|v| v.appointment.id).collect::<Vec<_>>(), [booked.id]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_switch_and_logout_leave_nothing_of_the_previous_user() {
    let server = LiveServer::start().await;
    let pid = server.open_provider().await.user.id;
    let device = Device::new(&server);
    let first = device.signed_in("shared", DEMO_PATIENT).await;
    let start = slot_after(&server, pid, 2).await;
    let BookOutcome::Booked(booked) = first.appointments().book(pid, start, "switchcanary").await.expect("book") else {
        panic!("booked")
    };
    first.sync().run().await.expect("sync");
    let cache_key = |d: &Device| {
        use psyter_core::secret::SecretStore;
        d.secrets.get("shared/cache_key").expect("keychain").map(|s| s.expose().to_vec())
    };
    let first_key = cache_key(&device).expect("a cache key");

    // Another user signs in on the same profile: the previous user's data and keys are gone.
    first.auth().login(DEMO_PATIENT_2, DEMO_PASSWORD, None).await.expect("second user");
    assert_ne!(cache_key(&device).expect("a new cache key"), first_key);
    assert!(first.appointments().get(booked.id).await.is_err());
    assert!(first.appointments().search("switchcanary", 10).await.expect("search").is_empty());
    first.sync().run().await.expect("second user's sync");
    let all = first.appointments().upcoming(&AppointmentFilter::default(), 500, None).await.expect("list");
    assert!(all.items.iter().all(|v| v.appointment.patient_id != booked.patient_id));

    // Logout: the server session is revoked, the keychain entries and every file of the profile deleted.
    assert!(first.auth().logout(false).await.expect("logout"), "the server confirmed the revocation");
    assert_eq!(first.phase(), SessionPhase::SignedOut);
    assert_eq!(first.auth().me().await.expect_err("signed out").code(), "not_signed_in");
    use psyter_core::secret::{SecretKey, SecretStore};
    for key in SecretKey::all_for("shared") {
        assert!(device.secrets.get(key.as_str()).expect("keychain").is_none(), "{key} left behind");
    }
    let left: Vec<_> = device.files().into_iter().map(|(p, _)| p).collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
    // Opening the profile again finds nobody signed in.
    assert_eq!(device.open("shared").await.phase(), SessionPhase::SignedOut);
}
