//! The bindings' benchmarks for `cargo xtask bench`: the stripped size of the shipped cdylib
//! (`release-ffi` profile), and one history-page call through Kotlin (the JVM harness over JNA)
//! beside the same call through the same objects from Rust (`bindings/benches/history.rs`).

use crate::report::{self, Row, Verdict};
use crate::{bindings, cmd};
use anyhow::{Context, Result};
use std::process::Command;

/// Target for the stripped host cdylib, bytes.
const SIZE_TARGET: u64 = 8 * 1024 * 1024;

/// Runs the size and call-cost benchmarks and adds their rows.
pub fn run(rows: &mut Vec<Row>) -> Result<()> {
    cmd::step("psyter-ffi: stripped cdylib size (release-ffi profile)");
    cmd::run(cmd::cargo().args(["build", "-p", "psyter-ffi", "--profile", bindings::SHIP_PROFILE]))?;
    let library = cmd::target_dir().join(bindings::SHIP_PROFILE).join(bindings::host_library_name());
    let size = std::fs::metadata(&library).with_context(|| format!("reading {}", library.display()))?.len();
    let mb = size as f64 / (1024.0 * 1024.0);
    println!("    {}: {mb:.2} MiB", library.display());
    rows.push(Row::new(
        "ffi: stripped host cdylib (release-ffi)",
        format!("{mb:.2} MiB"),
        "<= 8 MiB",
        Verdict::from_target(size <= SIZE_TARGET),
    ));

    cmd::step("psyter-ffi: history page from Rust through the bindings' objects");
    let output = cmd::run_tee(cmd::cargo().args(["bench", "-p", "psyter-ffi", "--bench", "history"]))?;
    let (_, rust) = report::result_line(&output, "ffi result:").context("the ffi bench printed no result line")?;

    cmd::step("psyter-ffi: the same call from Kotlin (JVM harness, release library)");
    let generated = bindings::host(true)?;
    cmd::run(cmd::cargo().args(["build", "--release", "-p", "psyter-ffi", "--features", "test-hooks"]))?;
    let root = std::env::current_dir()?;
    let release = root.join(cmd::target_dir().join("release"));
    let debug = root.join(cmd::target_dir().join("debug"));
    let output = cmd::run_tee(
        Command::new("mvn")
            .args(["-B", "-q", "-f", "tests/kotlin-jvm/pom.xml", "test", "-Dpsyter.bench=true"])
            .arg("-Dtest=HistoryPageBench")
            .arg("-Dsurefire.failIfNoSpecifiedTests=false")
            .arg(format!("-Dpsyter.bindings.dir={}", root.join(generated.join("kotlin")).display()))
            .arg(format!("-Dpsyter.lib.dir={}", release.display()))
            .arg(format!("-Dpsyter.server.bin={}", debug.join("psyter-server").display())),
    )?;
    let (_, kotlin) =
        report::result_line(&output, "kotlin result:").context("the Kotlin bench printed no result line")?;
    let median = |f: &std::collections::HashMap<String, f64>| f.get("median_ms").copied().unwrap_or(0.0);
    let (k, r) = (median(&kotlin), median(&rust));
    rows.push(
        Row::new("ffi: history page of 20 through Kotlin (median)", format!("{k:.3} ms"), "-", Verdict::Info)
            .with_floor(format!("{r:.3} ms (Rust)"), if r > 0.0 { k / r } else { 0.0 }),
    );
    Ok(())
}
