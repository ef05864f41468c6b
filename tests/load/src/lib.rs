//! Shared pieces of Psyter's load tools (`bare-axum`, `booking-load`): latency statistics and
//! graceful-shutdown signals. `tests/load/search.lua` (for wrk) lives beside this crate.

use std::time::Duration;

/// Latency samples, sorted, reported in milliseconds.
pub struct Latencies {
    /// Samples in milliseconds, ascending.
    sorted_ms: Vec<f64>,
}

impl Latencies {
    /// Collects samples (any order).
    pub fn new(samples: impl IntoIterator<Item = Duration>) -> Self {
        let mut sorted_ms: Vec<f64> = samples.into_iter().map(|d| d.as_secs_f64() * 1_000.0).collect();
        sorted_ms.sort_by(f64::total_cmp);
        Self { sorted_ms }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.sorted_ms.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.sorted_ms.is_empty()
    }

    /// The `p`-th percentile (0–100) by nearest rank, in ms; 0 without samples.
    pub fn percentile(&self, p: f64) -> f64 {
        if self.sorted_ms.is_empty() {
            return 0.0;
        }
        let n = self.sorted_ms.len();
        // Nearest rank: the smallest sample with at least p% of samples at or below it.
        let rank = ((p.clamp(0.0, 100.0) / 100.0) * n as f64).ceil() as usize;
        self.sorted_ms[rank.clamp(1, n) - 1]
    }

    /// The largest sample in ms; 0 without samples.
    pub fn max(&self) -> f64 {
        self.sorted_ms.last().copied().unwrap_or(0.0)
    }
}

/// Resolves on Ctrl-C or SIGTERM, for `axum::serve(..).with_graceful_shutdown(..)`.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

#[cfg(test)]
mod tests {
    use super::Latencies;
    use std::time::Duration;

    #[test]
    fn percentiles_use_nearest_rank() {
        let lat = Latencies::new((1..=100).rev().map(Duration::from_millis));
        assert_eq!(lat.len(), 100);
        assert!((lat.percentile(50.0) - 50.0).abs() < 1e-9);
        assert!((lat.percentile(95.0) - 95.0).abs() < 1e-9);
        assert!((lat.percentile(99.0) - 99.0).abs() < 1e-9);
        assert!((lat.percentile(100.0) - 100.0).abs() < 1e-9);
        assert!((lat.max() - 100.0).abs() < 1e-9);
        assert!((lat.percentile(0.0) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn empty_is_zero() {
        let lat = Latencies::new(Vec::new());
        assert!(lat.is_empty());
        assert!(lat.percentile(95.0).abs() < 1e-9);
    }
}
