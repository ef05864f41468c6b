//! A fail-fast step runner that times each step and prints a closing summary.

use crate::cmd;
use anyhow::Result;
use std::time::{Duration, Instant};

/// How a step ended.
enum Outcome {
    /// It succeeded.
    Passed,
    /// It failed (the error is reported by the caller).
    Failed,
    /// It was skipped on purpose, with the reason.
    Skipped(String),
}

/// One finished step.
struct Record {
    /// The step's name.
    name: String,
    /// How it ended.
    outcome: Outcome,
    /// Wall-clock time it took.
    took: Duration,
}

/// Steps run so far, in order.
pub struct Steps {
    /// Finished steps.
    done: Vec<Record>,
    /// When the first step started.
    started: Instant,
}

impl Steps {
    /// An empty runner; the clock starts now.
    pub fn new() -> Self {
        Self { done: Vec::new(), started: Instant::now() }
    }

    /// Runs one step, announcing it with `==> name`; returns its error so the caller stops.
    pub fn run<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        cmd::step(name);
        let start = Instant::now();
        let result = f();
        let took = start.elapsed();
        let outcome = if result.is_ok() {
            println!("    {name}: ok ({})", fmt_duration(took));
            Outcome::Passed
        } else {
            println!("    {name}: FAILED ({})", fmt_duration(took));
            Outcome::Failed
        };
        cmd::flush();
        self.done.push(Record { name: name.to_string(), outcome, took });
        result
    }

    /// Records a step that was skipped on purpose.
    pub fn skip(&mut self, name: &str, why: &str) {
        cmd::step(&format!("{name} (skipped: {why})"));
        self.done.push(Record {
            name: name.to_string(),
            outcome: Outcome::Skipped(why.to_string()),
            took: Duration::ZERO,
        });
    }

    /// Prints the summary table and the final `N passed, M failed` line.
    pub fn summary(&self) {
        let width = self.done.iter().map(|r| r.name.len()).max().unwrap_or(4);
        println!();
        println!("==> summary");
        for record in &self.done {
            let status = match &record.outcome {
                Outcome::Passed => "ok".to_string(),
                Outcome::Failed => "FAILED".to_string(),
                Outcome::Skipped(why) => format!("skipped ({why})"),
            };
            println!("    {:<width$}  {:>8}  {status}", record.name, fmt_duration(record.took));
        }
        println!("    {:<width$}  {:>8}", "total", fmt_duration(self.started.elapsed()));
        let passed = self.count(|o| matches!(o, Outcome::Passed));
        let failed = self.count(|o| matches!(o, Outcome::Failed));
        println!("{passed} passed, {failed} failed");
        cmd::flush();
    }

    /// Number of steps whose outcome matches.
    fn count(&self, pred: impl Fn(&Outcome) -> bool) -> usize {
        self.done.iter().filter(|r| pred(&r.outcome)).count()
    }
}

/// Formats a duration as `1m05s` or `4.2s`.
pub fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 60.0 {
        let whole = d.as_secs();
        format!("{}m{:02}s", whole / 60, whole % 60)
    } else {
        format!("{secs:.1}s")
    }
}

#[cfg(test)]
mod tests {
    use super::fmt_duration;
    use std::time::Duration;

    #[test]
    fn durations_read_well() {
        assert_eq!(fmt_duration(Duration::from_millis(4_240)), "4.2s");
        assert_eq!(fmt_duration(Duration::from_secs(65)), "1m05s");
    }
}
