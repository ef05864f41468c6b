//! The client core end to end against the reference server in this process on loopback, with a patient
//! who has 10,000 appointments: initial sync into an empty profile, a sync with no changes, and a cold
//! open of the synced profile to its first upcoming page (`Psyter::open`: profile record, keychain,
//! both databases, reconciliation; then the page). Prints medians and a `core result:` line that
//! `cargo xtask bench` reads. The keychain is an in-memory store here: this measures the core, not the
//! platform's keychain daemon.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use psyter_core::api::ApiConfig;
use psyter_core::cache::AppointmentFilter;
use psyter_core::secret::{Secret, SecretStore};
use psyter_core::{Config, CoreError, Psyter};
use psyter_server::seed::{DEMO_PASSWORD, DEMO_PATIENT_2};
use psyter_server::{AppState, Clock};

const APPOINTMENTS: u32 = 10_000;
const INITIAL_RUNS: usize = 5;
const NO_CHANGE_RUNS: usize = 30;
const OPEN_RUNS: usize = 20;

/// A process-local keychain.
#[derive(Default)]
struct Keys(Mutex<HashMap<String, Secret>>);

impl SecretStore for Keys {
    fn get(&self, key: &str) -> Result<Option<Secret>, CoreError> {
        Ok(self.0.lock().map_err(|_| CoreError::Keychain { detail: "poisoned".into() })?.get(key).cloned())
    }
    fn set(&self, key: &str, value: &Secret) -> Result<(), CoreError> {
        self.0.lock().map_err(|_| CoreError::Keychain { detail: "poisoned".into() })?.insert(key.into(), value.clone());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<(), CoreError> {
        self.0.lock().map_err(|_| CoreError::Keychain { detail: "poisoned".into() })?.remove(key);
        Ok(())
    }
}

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1_000.0
}

async fn start_server(dir: &std::path::Path) -> String {
    let clock = Clock::default();
    let state = AppState::open(psyter_server::Config::new(dir.join("server.db")), clock.clone()).expect("server");
    let now = clock.now();
    state
        .db
        .with_writer(|c| {
            psyter_server::seed::seed_demo(c, 50, now)?;
            psyter_server::seed::seed_bulk_history(c, DEMO_PATIENT_2, APPOINTMENTS, now)
        })
        .expect("seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { psyter_server::serve(listener, state, std::future::pending()).await });
    base
}

fn config(base: &str, dir: &std::path::Path, keys: &Arc<Keys>) -> Config {
    let secrets: Arc<dyn SecretStore> = keys.clone();
    Config::new(ApiConfig::new(base), dir, secrets)
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let scratch = tempfile::tempdir().expect("tempdir");
        let base = start_server(scratch.path()).await;
        println!("server seeded: {DEMO_PATIENT_2} has {APPOINTMENTS} appointments");

        let mut initial = Vec::new();
        let mut last = None;
        for run in 0..INITIAL_RUNS {
            let dir = scratch.path().join(format!("device-{run}"));
            let keys = Arc::new(Keys::default());
            let psyter = Psyter::open(config(&base, &dir, &keys)).await.expect("open");
            psyter.auth().login(DEMO_PATIENT_2, DEMO_PASSWORD, None).await.expect("login");
            let started = Instant::now();
            let report = psyter.sync().run().await.expect("initial sync");
            initial.push(started.elapsed());
            assert!(report.changes >= u64::from(APPOINTMENTS), "{report:?}");
            last = Some((psyter, dir, keys));
        }
        let (psyter, dir, keys) = last.expect("a synced profile");

        let mut no_change = Vec::new();
        for _ in 0..NO_CHANGE_RUNS {
            let started = Instant::now();
            let report = psyter.sync().run().await.expect("no-change sync");
            no_change.push(started.elapsed());
            assert_eq!(report.changes, 0);
        }
        drop(psyter);

        let mut open = Vec::new();
        for _ in 0..OPEN_RUNS {
            let started = Instant::now();
            let psyter = Psyter::open(config(&base, &dir, &keys)).await.expect("cold open");
            let page = psyter.appointments().upcoming(&AppointmentFilter::default(), 50, None).await.expect("page");
            open.push(started.elapsed());
            assert!(page.items.len() >= 20, "{}", page.items.len());
        }

        let (initial, no_change, open) = (median(initial), median(no_change), median(open));
        println!("initial sync of {APPOINTMENTS} appointments: median {initial:.1} ms (target <= 1500 ms)");
        println!("no-change sync: median {no_change:.2} ms (target <= 10 ms)");
        println!("cold open to first upcoming page: median {open:.2} ms (target <= 30 ms)");
        println!("core result: initial_sync_ms={initial:.1} nochange_sync_ms={no_change:.2} cold_open_ms={open:.2}");
    });
}
