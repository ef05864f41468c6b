//! `cargo xtask bench`: slot generation (criterion), the client core (cache pages, sync, cold open; see
//! `bench_core`), the bindings (cdylib size, a call through Kotlin vs Rust; see `bench_ffi`), provider
//! search under wrk against a bare-axum floor, and booking contention; prints a table and writes
//! `target/bench/report.md`.
//!
//! Missed performance targets are marked, not fatal (the machine is noisy). Errors are fatal:
//! build or start failures at once; 5xx, non-2xx search responses or an unclean server exit
//! after the report is written.

use crate::report::{self, Row, Verdict};
use crate::server::Server;
use crate::{Args, cmd, deps};
use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, SystemTime};

/// Criterion benchmark id (substring) for slot generation.
const SLOT_BENCH: &str = "slot generation 30 days";
/// Target median for slot generation over 30 days, µs.
const SLOT_TARGET_US: f64 = 200.0;
/// Target p95 for provider search, ms.
const SEARCH_P95_MS: f64 = 20.0;
/// Target throughput for provider search, requests/s.
const SEARCH_RPS: f64 = 5_000.0;
/// Target p95 for booking under contention, ms.
const BOOKING_P95_MS: f64 = 50.0;
/// wrk settings shared by psyter and the floor.
const WRK_ARGS: [&str; 6] = ["-t2", "-c64", "-d10s", "--latency", "-s", "tests/load/search.lua"];
/// Seeding 10,000 providers in release mode may take a while.
const STARTUP_LIMIT: Duration = Duration::from_secs(900);

/// Options of `cargo xtask bench`.
pub struct Options {
    /// Only the bindings' benchmarks (size, Kotlin vs Rust), for quick runs while working on them.
    ffi_only: bool,
}

impl Options {
    /// Parses `[--only ffi]`.
    pub fn parse(raw: &[String]) -> Result<Self> {
        let mut opts = Self { ffi_only: false };
        let mut args = Args::new("bench", raw);
        while let Some(flag) = args.next_flag() {
            match flag {
                "--only" => match args.value("--only")?.as_str() {
                    "ffi" => opts.ffi_only = true,
                    other => bail!("`cargo xtask bench --only`: unknown group `{other}` (known: ffi)"),
                },
                other => return Err(args.unknown(other)),
            }
        }
        Ok(opts)
    }
}

/// Runs every benchmark (or only the bindings') and writes the report.
pub fn main(opts: Options) -> Result<()> {
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    let mut failures = Vec::new();

    if opts.ffi_only {
        crate::bench_ffi::run(&mut rows)?;
        return finish(&rows, &notes, &failures);
    }
    slots(&mut rows)?;
    crate::bench_core::run(&mut rows)?;
    crate::bench_ffi::run(&mut rows)?;

    cmd::step("tools: wrk");
    deps::ensure_apt(&["wrk"])?;
    cmd::step("build release psyter-server and load tools");
    cmd::run(cmd::cargo().args(["build", "--release", "-p", "psyter-server", "-p", "psyter-load"]))?;

    let release = cmd::target_dir().join("release");
    // A fresh database every run: bookings from an earlier run would skew the contention test.
    let scratch = cmd::target_dir().join("xtask/bench");
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch)?;
    }
    std::fs::create_dir_all(&scratch)?;
    let logs = cmd::target_dir().join("xtask/logs");

    cmd::step("start release psyter-server with --seed demo:10000");
    let mut command = Command::new(release.join("psyter-server"));
    command.arg("--db").arg(scratch.join("bench.db")).args(["--listen", "127.0.0.1:0", "--seed", "demo:10000"]);
    let log = logs.join("psyter-server-bench.log");
    let mut server = Server::start("psyter-server", &mut command, &log, STARTUP_LIMIT)?;
    server.wait_healthy(Duration::from_secs(60))?;
    let base = server.base_url()?;

    cmd::step("wrk: provider search on psyter-server");
    let psyter = wrk(&base, &mut notes, &mut failures)?;

    cmd::step("wrk: the same load on bare-axum (the floor)");
    let mut command = Command::new(release.join("bare-axum"));
    command.args(["--listen", "127.0.0.1:0"]);
    let log = logs.join("bare-axum-bench.log");
    let bare_server = Server::start("bare-axum", &mut command, &log, Duration::from_secs(30))?;
    let bare = wrk(&bare_server.base_url()?, &mut notes, &mut failures)?;
    bare_server.stop()?;
    search_rows(&mut rows, &psyter, &bare);

    cmd::step("booking-load: contended POST /v1/appointments");
    booking(&release.join("booking-load"), &base, &mut rows, &mut notes, &mut failures)?;

    cmd::step("stop psyter-server");
    if let Err(err) = server.stop() {
        failures.push(format!("{err:#}"));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    finish(&rows, &notes, &failures)
}

/// Prints the table, writes the markdown report, and fails if any benchmark hit an error.
fn finish(rows: &[Row], notes: &[String], failures: &[String]) -> Result<()> {
    cmd::step("report");
    report::print(rows);
    let path = cmd::target_dir().join("bench/report.md");
    report::write_markdown(&path, rows, notes)?;
    println!("    written to {}", path.display());
    if !failures.is_empty() {
        bail!("bench found errors:\n  {}", failures.join("\n  "));
    }
    Ok(())
}

/// Criterion: `cargo bench -p psyter-domain --bench slots`, reporting the 30-day median.
fn slots(rows: &mut Vec<Row>) -> Result<()> {
    cmd::step("criterion: psyter-domain slot generation");
    let criterion_home = std::env::current_dir()?.join(cmd::target_dir().join("criterion"));
    let since = SystemTime::now();
    let output = cmd::run_tee(
        cmd::cargo().args(["bench", "-p", "psyter-domain", "--bench", "slots"]).env("CRITERION_HOME", &criterion_home),
    )?;
    let median_ns = report::criterion_median(&criterion_home, SLOT_BENCH, since)
        .or_else(|| report::criterion_stdout(&output, SLOT_BENCH));
    let row = match median_ns {
        Some(ns) => {
            let us = ns / 1_000.0;
            println!("    {SLOT_BENCH}: median {us:.1} µs (target <= {SLOT_TARGET_US} µs)");
            Row::new(
                &format!("{SLOT_BENCH} (median)"),
                format!("{us:.1} µs"),
                &format!("<= {SLOT_TARGET_US} µs"),
                Verdict::from_target(us <= SLOT_TARGET_US),
            )
        }
        None => {
            println!("    no criterion result named `{SLOT_BENCH}` found");
            Row::new(SLOT_BENCH, "missing".into(), "<= 200 µs", Verdict::Fail)
        }
    };
    rows.push(row);
    Ok(())
}

/// Parsed `search result:` fields printed by `tests/load/search.lua`.
type Fields = HashMap<String, f64>;

/// Warms up, then runs wrk with the shared settings against `base` and parses its result line.
fn wrk(base: &str, notes: &mut Vec<String>, failures: &mut Vec<String>) -> Result<Fields> {
    // A short warm-up so caches and connection pools are hot before measuring.
    cmd::output(Command::new("wrk").args(["-t2", "-c64", "-d3s", "-s", "tests/load/search.lua", base]))?;
    let output = cmd::run_tee(Command::new("wrk").args(WRK_ARGS).arg(base))?;
    let (line, fields) = report::result_line(&output, "search result:")
        .context("wrk printed no `search result:` line (see tests/load/search.lua)")?;
    let errors = field(&fields, "non2xx") + field(&fields, "socket_errors");
    if errors > 0.0 {
        failures.push(format!("{base}: {errors} failed search requests ({line})"));
    }
    notes.push(format!("{base} {line}"));
    Ok(fields)
}

/// A field of a result line, 0 when absent.
fn field(fields: &Fields, name: &str) -> f64 {
    fields.get(name).copied().unwrap_or(0.0)
}

/// Rows for search latency and throughput, beside the bare-axum floor.
fn search_rows(rows: &mut Vec<Row>, psyter: &Fields, bare: &Fields) {
    let (p95, bare_p95) = (field(psyter, "p95_ms"), field(bare, "p95_ms"));
    let (rps, bare_rps) = (field(psyter, "rps"), field(bare, "rps"));
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let failed = field(psyter, "non2xx") + field(psyter, "socket_errors") > 0.0;
    let verdict = |ok: bool| {
        if failed { Verdict::Fail } else { Verdict::from_target(ok) }
    };
    rows.push(
        Row::new(
            "search p95 latency",
            format!("{p95:.2} ms"),
            &format!("<= {SEARCH_P95_MS} ms"),
            verdict(p95 <= SEARCH_P95_MS),
        )
        .with_floor(format!("{bare_p95:.2} ms"), ratio(p95, bare_p95)),
    );
    rows.push(
        Row::new(
            "search throughput",
            format!("{rps:.0} req/s"),
            &format!(">= {SEARCH_RPS} req/s"),
            verdict(rps >= SEARCH_RPS),
        )
        .with_floor(format!("{bare_rps:.0} req/s"), ratio(rps, bare_rps)),
    );
    let p = |f: &Fields| format!("{:.2} / {:.2} ms", field(f, "p50_ms"), field(f, "p99_ms"));
    rows.push(
        Row::new("search p50 / p99", p(psyter), "-", Verdict::Info)
            .with_floor(p(bare), ratio(field(psyter, "p99_ms"), field(bare, "p99_ms"))),
    );
}

/// Runs `booking-load` against the seeded server and adds its rows.
fn booking(
    bin: &std::path::Path,
    base: &str,
    rows: &mut Vec<Row>,
    notes: &mut Vec<String>,
    failures: &mut Vec<String>,
) -> Result<()> {
    let mut command = Command::new(bin);
    command.args(["--server", base, "--patients", "64", "--attempts", "2000", "--concurrency", "64"]);
    let (status, output) = cmd::tee(&mut command)?;
    let ok = status.success();
    if !ok {
        failures.push(format!("booking-load failed ({}): see its output above", cmd::describe(status)));
    }
    let Some((line, fields)) = report::result_line(&output, "booking result:") else {
        rows.push(Row::new("booking p95 latency", "missing".into(), "<= 50 ms", Verdict::Fail));
        return Ok(());
    };
    notes.push(line);
    let p95 = field(&fields, "p95_ms");
    let verdict = |pass: bool| {
        if ok { Verdict::from_target(pass) } else { Verdict::Fail }
    };
    rows.push(Row::new(
        "booking p95 latency",
        format!("{p95:.2} ms"),
        &format!("<= {BOOKING_P95_MS} ms"),
        verdict(p95 <= BOOKING_P95_MS),
    ));
    rows.push(Row::new(
        "booking outcomes",
        format!(
            "201: {:.0}, 409: {:.0}, other: {:.0}, 5xx: {:.0}",
            field(&fields, "created"),
            field(&fields, "conflict"),
            field(&fields, "other"),
            field(&fields, "server_errors")
        ),
        "no 5xx, no double booking",
        verdict(true),
    ));
    Ok(())
}
