//! Crash safety across processes: `psyter sync` is killed with SIGKILL at random points while it sends
//! queued bookings and pulls the feed, then run again. Every run must open the databases, nothing
//! queued may be lost, and nothing may be applied twice on the server.

mod support;

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use psyter_core::api::{ApiClient, ApiConfig, AppointmentQuery, ProviderSearch};
use psyter_domain::wire::LoginRequest;
use rand::Rng;
use support::*;

const QUEUED: usize = 36;
const MAX_KILLS: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_sync_loses_nothing_and_applies_nothing_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start_server(dir.path()).await;
    let api = ApiClient::new(ApiConfig::new(&server)).expect("api");
    let qa = Cli::new(&server);
    qa.login(DEMO_PATIENT).await;

    // Free slots more than a day ahead across providers, 90 minutes apart so the patient's sessions never
    // overlap; enough of them that a drain lasts long enough for kills to land between two sends.
    // The demo patient's own seeded appointments count too: a pick overlapping one would be refused
    // (`patient_overlap`) depending on the time of day the test runs.
    let floor = Timestamp::now() + SignedDuration::from_hours(26);
    let login = LoginRequest { email: DEMO_PATIENT.into(), password: DEMO_PASSWORD.into(), totp_code: None };
    let token = api.login(&login).await.expect("login").access_token;
    let existing = api.appointments(&token, &AppointmentQuery { limit: Some(200), ..Default::default() }).await;
    let existing: Vec<Timestamp> = existing.expect("appointments").items.iter().map(|a| a.start).collect();
    let providers = api.search_providers(&ProviderSearch { limit: Some(20), ..Default::default() }).await;
    let mut picks: Vec<(String, Timestamp)> = Vec::new();
    for p in providers.expect("providers").items {
        let slots = api.slots(p.id, Some(floor), Some(floor + SignedDuration::from_hours(24 * 10))).await;
        for s in slots.expect("slots").slots {
            let near = |t: &Timestamp| t.duration_since(s.start).abs() < SignedDuration::from_mins(90);
            let hour_taken = picks.iter().any(|(_, t)| near(t)) || existing.iter().any(near);
            if picks.len() < QUEUED && !hour_taken {
                picks.push((p.id.to_string(), s.start));
            }
        }
        // Cache the profile so an offline booking can show it.
        let (code, shown) = qa.run(&["providers", "show", &p.id.to_string()]).await;
        assert_eq!(code, 0, "{shown}");
        if picks.len() == QUEUED {
            break;
        }
    }
    assert_eq!(picks.len(), QUEUED, "enough free slots");
    for (provider, start) in &picks {
        let (code, out) = qa.run(&["--offline", "book", provider, &start.to_string(), "--reason", "crash test"]).await;
        assert_eq!((code, out["outcome"].as_str()), (0, Some("queued")), "{out}");
    }

    // Kill `psyter sync` at random moments. The window grows while kills land before any progress, so
    // kills fall during start-up, mid-drain (some bookings sent, others not) and during the feed pull.
    let mut rng = rand::rng();
    let (mut interrupted, mut mid_drain, mut window_ms) = (0, 0, 20u64);
    let mut remaining = QUEUED;
    for _ in 0..MAX_KILLS {
        let delay = Duration::from_millis(rng.random_range(0..window_ms));
        let mut child = qa
            .command(&["sync"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn sync");
        tokio::time::sleep(delay).await;
        if child.try_wait().expect("poll").is_none() {
            interrupted += 1;
        }
        child.kill().expect("SIGKILL"); // SIGKILL on Unix: no cleanup, no unwinding
        child.wait().expect("reap");
        // The databases open after every kill, and tell how far the drain got.
        let (code, pending) = qa.run(&["--offline", "appointments", "pending"]).await;
        assert_eq!(code, 0, "the profile opens after a kill: {pending}");
        let now_pending = pending["items"].as_array().map_or(usize::MAX, Vec::len);
        if now_pending == remaining {
            window_ms += 10;
        } else if now_pending > 0 {
            mid_drain += 1;
        }
        remaining = now_pending;
        if remaining == 0 {
            break;
        }
    }
    eprintln!("kills: {interrupted} hit a running sync, {mid_drain} between two sends, window {window_ms} ms");
    assert!(interrupted >= 3, "only {interrupted} kills hit a running sync");
    assert!(mid_drain >= 1, "no kill landed between two sends (window reached {window_ms} ms)");

    // A clean run finishes the job: nothing left queued or failed.
    let (code, synced) = qa.run(&["sync"]).await;
    assert_eq!(code, 0, "{synced}");
    let (_, pending) = qa.run(&["appointments", "pending"]).await;
    assert_eq!(pending["items"].as_array().map(Vec::len), Some(0), "nothing lost or refused: {pending}");

    // On the server: every queued booking exists exactly once.
    let token = api.login(&login).await.expect("login").access_token;
    let all = api.appointments(&token, &AppointmentQuery { limit: Some(200), ..Default::default() }).await;
    let all = all.expect("appointments").items;
    for (provider, start) in &picks {
        let n = all.iter().filter(|a| a.provider_id.to_string() == *provider && a.start == *start).count();
        assert_eq!(n, 1, "booking at {start} applied {n} times");
    }
    // And locally every one is booked, none still a placeholder.
    let (_, list) = qa.run(&["appointments", "list", "--limit", "100"]).await;
    let items = list["items"].as_array().expect("items");
    for (_, start) in &picks {
        let here: Vec<_> = items.iter().filter(|a| a["start"] == start.to_string()).collect();
        assert_eq!(here.len(), 1, "{start}: {here:?}");
        assert_eq!(here[0]["status"], "booked");
    }
}
