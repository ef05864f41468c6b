//! Prometheus text metrics: request counts and latency histograms per route, bookings and conflicts.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Latency bucket upper bounds in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The metrics registry.
#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<(String, String), Histogram>>,
    bookings: AtomicU64,
    conflicts: AtomicU64,
}

impl Metrics {
    /// Counts a successful booking.
    pub fn booking(&self) {
        self.bookings.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a booking refused because the time was taken.
    pub fn booking_conflict(&self) {
        self.conflicts.fetch_add(1, Ordering::Relaxed);
    }

    fn observe(&self, method: &str, route: &str, status: u16, secs: f64) {
        *self
            .requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry((method.into(), route.into(), status))
            .or_default() += 1;
        let mut lat = self.latency.lock().unwrap_or_else(|p| p.into_inner());
        let h = lat.entry((method.into(), route.into())).or_default();
        h.count += 1;
        h.sum += secs;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                h.counts[i] += 1;
            }
        }
    }

    /// Renders the registry in the Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP psyter_http_requests_total HTTP requests by method, route and status.");
        let _ = writeln!(out, "# TYPE psyter_http_requests_total counter");
        for ((m, r, s), n) in self.requests.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let _ = writeln!(out, "psyter_http_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{s}\"}} {n}");
        }
        let _ = writeln!(out, "# HELP psyter_http_request_duration_seconds HTTP request latency by method and route.");
        let _ = writeln!(out, "# TYPE psyter_http_request_duration_seconds histogram");
        for ((m, r), h) in self.latency.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "psyter_http_request_duration_seconds_bucket{{method=\"{m}\",route=\"{r}\",le=\"{b}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "psyter_http_request_duration_seconds_bucket{{method=\"{m}\",route=\"{r}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(out, "psyter_http_request_duration_seconds_sum{{method=\"{m}\",route=\"{r}\"}} {}", h.sum);
            let _ =
                writeln!(out, "psyter_http_request_duration_seconds_count{{method=\"{m}\",route=\"{r}\"}} {}", h.count);
        }
        let _ = writeln!(out, "# HELP psyter_bookings_total Appointments booked.");
        let _ = writeln!(out, "# TYPE psyter_bookings_total counter");
        let _ = writeln!(out, "psyter_bookings_total {}", self.bookings.load(Ordering::Relaxed));
        let _ = writeln!(out, "# HELP psyter_booking_conflicts_total Bookings refused because the time was taken.");
        let _ = writeln!(out, "# TYPE psyter_booking_conflicts_total counter");
        let _ = writeln!(out, "psyter_booking_conflicts_total {}", self.conflicts.load(Ordering::Relaxed));
        out
    }
}

/// Middleware recording every request under its route template (never the raw path, which holds ids).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    state.metrics.observe(&method, &route, res.status().as_u16(), started.elapsed().as_secs_f64());
    res
}

/// Serves the metrics.
#[utoipa::path(get, path = "/metrics", tag = "ops", responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain")))]
pub async fn render(State(state): State<AppState>) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()).into_response()
}
