//! The client core's benchmarks for `cargo xtask bench`: the encrypted cache's history page beside the
//! same SQL on bare rusqlite (criterion), and end to end against the server in process: initial sync of
//! 10,000 appointments, a no-change sync and a cold profile open to the first page (`core/benches/sync.rs`).

use crate::cmd;
use crate::report::{self, Row, Verdict};
use anyhow::{Context, Result};
use std::time::SystemTime;

/// Words of the criterion id of the core's history page (ids are matched word by word, and "25,000"
/// is two words there, so the needles avoid numbers with separators).
const PAGE_BENCH: &str = "cache history page of 50 at depth";
/// Words of the criterion id of the same query on bare rusqlite.
const BARE_BENCH: &str = "bare rusqlite history page of 50";
/// Target median for a history page, ms.
const PAGE_TARGET_MS: f64 = 1.0;
/// Target ratio of the core's page to bare rusqlite.
const PAGE_RATIO: f64 = 1.5;

/// Runs both core benchmarks and adds their rows.
pub fn run(rows: &mut Vec<Row>) -> Result<()> {
    cmd::step("criterion: psyter-core cache history page vs bare rusqlite");
    let criterion_home = std::env::current_dir()?.join(cmd::target_dir().join("criterion"));
    let since = SystemTime::now();
    let output = cmd::run_tee(
        cmd::cargo().args(["bench", "-p", "psyter-core", "--bench", "cache"]).env("CRITERION_HOME", &criterion_home),
    )?;
    let median = |needle: &str| {
        report::criterion_median(&criterion_home, needle, since).or_else(|| report::criterion_stdout(&output, needle))
    };
    match (median(PAGE_BENCH), median(BARE_BENCH)) {
        (Some(page_ns), Some(bare_ns)) => {
            let (page, bare) = (page_ns / 1e6, bare_ns / 1e6);
            let ratio = page / bare;
            let ok = page <= PAGE_TARGET_MS && ratio <= PAGE_RATIO;
            rows.push(
                Row::new(
                    "core: 50-row history page of 50,000 (median)",
                    format!("{page:.3} ms"),
                    &format!("<= {PAGE_TARGET_MS} ms, ratio <= {PAGE_RATIO}"),
                    Verdict::from_target(ok),
                )
                .with_floor(format!("{bare:.3} ms"), ratio),
            );
        }
        _ => rows.push(Row::new("core: history page", "missing".into(), "<= 1 ms", Verdict::Fail)),
    }

    cmd::step("psyter-core sync bench: initial sync, no-change sync, cold open (server in process)");
    let output = cmd::run_tee(cmd::cargo().args(["bench", "-p", "psyter-core", "--bench", "sync"]))?;
    let (_, fields) = report::result_line(&output, "core result:").context("the sync bench printed no result line")?;
    let get = |k: &str| fields.get(k).copied().context(format!("core result without {k}"));
    let (initial, no_change, open) = (get("initial_sync_ms")?, get("nochange_sync_ms")?, get("cold_open_ms")?);
    for (name, value, target) in [
        ("core: initial sync of 10,000 appointments (median)", initial, 1_500.0),
        ("core: no-change sync (median)", no_change, 10.0),
        ("core: cold open of a 10,000-appointment profile to first page (median)", open, 30.0),
    ] {
        rows.push(Row::new(
            name,
            format!("{value:.2} ms"),
            &format!("<= {target} ms"),
            Verdict::from_target(value <= target),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_needles_name_exactly_their_benchmark() {
        let page = "cache history page of 50 at depth 25,000 of 50,000";
        let bare = "bare rusqlite history page of 50 at depth 25,000 of 50,000";
        assert!(report::names(page, PAGE_BENCH) && !report::names(bare, PAGE_BENCH));
        assert!(report::names(bare, BARE_BENCH) && !report::names(page, BARE_BENCH));
    }
}
