//! Canary test: after full patient and provider flows, no token, password, reason or note text appears
//! in plain bytes in the profile's files (databases, WAL, SHM, profile record) or in the log output at
//! TRACE level, the databases do not carry SQLite's plaintext header, and a wrong key fails cleanly.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use jiff::{SignedDuration, Timestamp};
use psyter_core::cache::Cache;
use psyter_core::secret::SecretStore;
use psyter_core::{BookOutcome, CoreError};

const REASON: &str = "reasoncanary7c1e";
const NOTE: &str = "notecanary42f9a";

/// Everything every thread logs, at TRACE level.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_or_health_data_in_files_or_logs() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let server = LiveServer::start().await;
    let provider_tokens = server.open_provider().await;
    let pid = provider_tokens.user.id;
    let device = Device::new(&server);
    let patient = device.signed_in("patient", DEMO_PATIENT).await;
    let floor = Timestamp::now() + SignedDuration::from_hours(2);
    let start = server.free_slots(pid, 7).await.into_iter().find(|s| *s > floor).expect("slot");
    let BookOutcome::Booked(a) = patient.appointments().book(pid, start, REASON).await.expect("book") else {
        panic!("booked")
    };
    let provider = device.open("provider").await;
    provider.auth().login(&provider_tokens.user.email, "correct horse battery", None).await.expect("login");
    provider.sync().run().await.expect("provider sync");
    provider.appointments().write_note(a.id, NOTE).await.expect("note");
    patient.sync().run().await.expect("patient sync");
    provider.sync().run().await.expect("provider sync");
    assert_eq!(provider.appointments().search(NOTE, 5).await.expect("search").len(), 1, "the note is cached");

    let refresh_tokens: Vec<String> = ["patient", "provider"]
        .iter()
        .map(|p| {
            let secret = device.secrets.get(&format!("{p}/refresh_token")).expect("keychain").expect("stored");
            secret.expose_str().expect("ascii").to_owned()
        })
        .collect();
    let mut canaries: Vec<&str> = vec![REASON, NOTE, DEMO_PASSWORD, "correct horse battery", "eyJ"];
    canaries.extend(refresh_tokens.iter().map(String::as_str));

    // While both profiles are open (data in the WAL files) and after they are closed.
    for moment in ["open", "closed"] {
        let files = device.files();
        assert!(files.iter().any(|(p, _)| p.to_string_lossy().ends_with("cache.db-wal")) || moment == "closed");
        for (path, bytes) in &files {
            for canary in &canaries {
                assert!(!contains(bytes, canary.as_bytes()), "{} ({moment}) contains {canary:?}", path.display());
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if name.ends_with(".db") {
                assert!(!bytes.starts_with(b"SQLite format 3"), "{name} has a plaintext header");
            }
        }
        if moment == "open" {
            drop(patient.clone());
        }
    }
    drop((patient, provider));
    let logs = capture.0.lock().expect("logs").clone();
    assert!(!logs.is_empty(), "TRACE logging captured something");
    for canary in &canaries {
        assert!(!contains(&logs, canary.as_bytes()), "the logs contain {canary:?}");
    }

    // A wrong key fails cleanly: a typed error, and the right key still reads everything.
    let path = device.dir.path().join("profiles/patient/cache.db");
    assert_eq!(Cache::open(&path, &[7; 32]).expect_err("wrong key"), CoreError::CacheUnreadable);
    let patient = device.open("patient").await;
    let view = patient.appointments().get(a.id).await.expect("the cache is intact");
    assert_eq!(view.appointment.reason, REASON);
}
