//! One history-page call (`appointments().past(limit 20)`) through the bindings' objects from Rust:
//! the same path Kotlin takes minus the JNA crossing. `cargo xtask bench` runs it beside the Kotlin
//! harness's figure for the same call on the same demo data and prints the ratio.

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use psyter_core::cache::AppointmentFilter;
use psyter_server::seed::{DEMO_PASSWORD, DEMO_PATIENT};

/// Calls measured after the warm-up.
const CALLS: usize = 2000;

fn main() {
    let server = support::Server::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("rt");
    let times = runtime.block_on(async {
        let client = support::open(&server.base, &dir, Arc::default()).await;
        client.auth().login(DEMO_PATIENT.into(), DEMO_PASSWORD.into(), None).await.expect("login");
        client.sync().run().await.expect("sync");
        let appointments = client.appointments();
        let page = || appointments.past(AppointmentFilter::default(), 20, None);
        assert!(!page().await.expect("history").items.is_empty(), "the demo patient has history");
        for _ in 0..200 {
            page().await.expect("warm-up");
        }
        let mut times = Vec::with_capacity(CALLS);
        for _ in 0..CALLS {
            let start = Instant::now();
            page().await.expect("history page");
            times.push(start.elapsed());
        }
        times
    });
    let (median, p95) = percentiles(times);
    println!("ffi result: median_ms={:.4} p95_ms={:.4} calls={CALLS}", ms(median), ms(p95));
}

/// The median and 95th percentile.
fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

/// Milliseconds as a float.
fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
