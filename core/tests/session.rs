//! The session against the real server and keychain: transparent refresh when the access token expires
//! mid-request, one refresh for many concurrent calls, a clean end on refresh-token reuse, restore on
//! start, and the biometric gate.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use common::*;
use jiff::SignedDuration;
use psyter_core::cache::AppointmentFilter;
use psyter_core::events::CoreEvent;
use psyter_core::platform::{BiometricGate, BiometricOutcome};
use psyter_core::secret::SecretStore;
use psyter_core::{Psyter, SessionPhase, UnlockMethod};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_tokens_refresh_once_and_reuse_ends_the_session_cleanly() {
    let server = LiveServer::start_with_ttl(Some(SignedDuration::from_secs(120))).await;
    let device = Device::new(&server);
    let patient = device.signed_in("patient", DEMO_PATIENT).await;
    let stored = || device.secrets.get("patient/refresh_token").expect("keychain").map(|s| s.expose().to_vec());
    let first = stored().expect("the refresh token is in the keychain");

    // The access token expires between calls (the server's clock moves on): refreshed transparently.
    server.clock.advance(SignedDuration::from_mins(5));
    assert_eq!(patient.settings().refresh().await.expect("refreshed call").email, DEMO_PATIENT);
    assert_eq!(patient.refresh_count(), 1);
    let second = stored().expect("rotated token stored");
    assert_ne!(second, first, "the rotated refresh token replaced the old one in the keychain");

    // 20 concurrent calls after expiry: exactly one refresh.
    server.clock.advance(SignedDuration::from_mins(5));
    let calls = (0..20).map(|_| {
        let p = patient.clone();
        tokio::spawn(async move { p.settings().refresh().await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.expect("join").expect("every call succeeds");
    }
    assert_eq!(patient.refresh_count(), 2, "one refresh for twenty calls");

    // Someone replays the first refresh token after the grace window: the server revokes the family.
    let mut events = patient.events();
    server.clock.advance(SignedDuration::from_mins(1));
    let stolen = String::from_utf8(first).expect("ascii token");
    let reuse = server.api().refresh(&stolen).await.expect_err("reuse is refused");
    assert_eq!(reuse.code(), "session_ended");
    let ended = patient.settings().refresh().await.expect_err("the session is over");
    assert_eq!(ended.code(), "session_ended");
    assert_eq!(patient.phase(), SessionPhase::SignedOut);
    assert_eq!(stored(), None, "the refresh token is deleted from the keychain");
    assert_eq!(events.recv().await.expect("event"), CoreEvent::SessionEnded);
    let after = patient.appointments().upcoming(&AppointmentFilter::default(), 10, None).await;
    assert_eq!(after.expect_err("signed out").code(), "not_signed_in");
    // Signing in again works on the same profile.
    patient.auth().login(DEMO_PATIENT, DEMO_PASSWORD, None).await.expect("sign in again");
    assert_eq!(patient.phase(), SessionPhase::Active);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stored_session_is_restored_on_start_without_a_password() {
    let server = LiveServer::start().await;
    let device = Device::new(&server);
    drop(device.signed_in("patient", DEMO_PATIENT).await);
    let restored = device.open("patient").await;
    assert_eq!(restored.phase(), SessionPhase::Active);
    assert_eq!(restored.settings().refresh().await.expect("refresh on first call").email, DEMO_PATIENT);
    assert_eq!(restored.refresh_count(), 1, "the access token was only in memory");
    assert_eq!(device.open("nobody").await.phase(), SessionPhase::SignedOut);
}

/// A biometric prompt that answers what the test set: 0 passed, 1 failed, 2 unavailable.
#[derive(Default)]
struct Gate(AtomicU8);

impl BiometricGate for Gate {
    fn authenticate(&self, _reason: &str) -> BiometricOutcome {
        match self.0.load(Ordering::SeqCst) {
            0 => BiometricOutcome::Passed,
            1 => BiometricOutcome::Failed,
            _ => BiometricOutcome::Unavailable,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_biometric_gate_guards_unlock_and_falls_back_to_the_password() {
    let server = LiveServer::start().await;
    let device = Device::new(&server);
    let gate = Arc::new(Gate::default());
    let open = || {
        let mut config = device.config("patient");
        config.biometric = Some(gate.clone());
        Psyter::open(config)
    };
    let patient = open().await.expect("open");
    patient.auth().login(DEMO_PATIENT, DEMO_PASSWORD, None).await.expect("login");
    assert!(patient.settings().set_biometric(true).await.expect("enable").biometric);
    drop(patient);

    // On start the restored session is locked until the gate passes.
    let patient = open().await.expect("reopen");
    assert_eq!(patient.phase(), SessionPhase::Locked);
    assert_eq!(patient.auth().unlock_method().await.expect("method"), UnlockMethod::Biometric);
    assert_eq!(patient.settings().me().await.expect_err("locked").code(), "locked");
    gate.0.store(1, Ordering::SeqCst);
    let failed = patient.auth().unlock_with_biometric("Unlock Psyter").await.expect_err("failed check");
    assert_eq!((failed.code(), patient.phase()), ("biometric_failed", SessionPhase::Locked));
    gate.0.store(0, Ordering::SeqCst);
    patient.auth().unlock_with_biometric("Unlock Psyter").await.expect("unlock");
    assert_eq!(patient.settings().me().await.expect("unlocked").email, DEMO_PATIENT);

    // Biometrics unavailable (e.g. enrolment removed): the password unlocks.
    patient.auth().lock();
    gate.0.store(2, Ordering::SeqCst);
    let unavailable = patient.auth().unlock_with_biometric("Unlock Psyter").await.expect_err("unavailable");
    assert_eq!(unavailable.code(), "biometric_unavailable");
    patient.auth().unlock_with_password(DEMO_PASSWORD, None).await.expect("password unlock");
    assert_eq!(patient.phase(), SessionPhase::Active);
}
