//! `cargo xtask test`: everything CI checks, fail-fast, ending with a timed summary.
//!
//! Steps: tools (apt packages, schemathesis venv, syntax checker) -> ui (npm ci, tsc, eslint, vitest,
//! vite build) -> fmt -> clippy -> cargo test (on a
//! private D-Bus session with an unlocked gnome-keyring: see `keyring.rs`) -> build binaries and the
//! host bindings -> the Kotlin JVM harness -> Swift and Android Kotlin syntax -> start the server ->
//! schemathesis as the demo patient and as the demo provider -> stop the server (must exit 0).

use crate::server::Server;
use crate::steps::Steps;
use crate::{Args, bindings, cmd, deps, http, keyring};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// Upper bound for one schemathesis pass; the config aims for well under half of this.
const SCHEMATHESIS_LIMIT: Duration = Duration::from_secs(300);
/// How long the debug server may take to seed the demo data and listen.
const STARTUP_LIMIT: Duration = Duration::from_secs(120);

/// Options of `cargo xtask test`.
pub struct Options {
    /// Skip `cargo fmt --check` and clippy.
    skip_lint: bool,
}

impl Options {
    /// Parses `[--skip-lint]`.
    pub fn parse(raw: &[String]) -> Result<Self> {
        let mut opts = Self { skip_lint: false };
        let mut args = Args::new("test", raw);
        while let Some(flag) = args.next_flag() {
            match flag {
                "--skip-lint" => opts.skip_lint = true,
                other => return Err(args.unknown(other)),
            }
        }
        Ok(opts)
    }
}

/// Runs every step, stopping at the first failure, then prints the summary.
pub fn main(opts: Options) -> Result<()> {
    if cmd::is_ci() {
        println!("    CI detected: no prompts, installing missing tools as needed");
    }
    let mut steps = Steps::new();
    let result = all_steps(&opts, &mut steps);
    steps.summary();
    result
}

/// The steps, in order.
fn all_steps(opts: &Options, steps: &mut Steps) -> Result<()> {
    steps.run("tools (apt packages)", || deps::ensure_apt(deps::TEST_PACKAGES))?;
    let schemathesis = steps.run("tools (schemathesis venv)", deps::ensure_schemathesis)?;
    steps.run("tools (syntax checker)", deps::ensure_syntax_checker)?;
    steps.run("ui (npm ci)", || deps::ensure_npm(Path::new(deps::UI)))?;
    if opts.skip_lint {
        steps.skip("ui typecheck and lint", "--skip-lint");
    } else {
        steps.run("ui typecheck and lint", || {
            cmd::run(Command::new("npm").args(["run", "--prefix", deps::UI, "typecheck"]))?;
            cmd::run(Command::new("npm").args(["run", "--prefix", deps::UI, "lint"]))
        })?;
    }
    steps
        .run("ui unit tests (vitest)", || cmd::run(Command::new("npm").args(["run", "--prefix", deps::UI, "test"])))?;
    // Before clippy: the desktop crate embeds ui/dist when it compiles.
    steps.run("ui build", deps::build_ui)?;

    if opts.skip_lint {
        steps.skip("cargo fmt", "--skip-lint");
        steps.skip("cargo clippy", "--skip-lint");
    } else {
        steps.run("cargo fmt", || cmd::run(cmd::cargo().args(["fmt", "--all", "--", "--check"])))?;
        steps.run("cargo clippy", || {
            cmd::run(cmd::cargo().args(["clippy", "--workspace", "--all-targets"]).args(["--", "-D", "warnings"]))
        })?;
    }

    // The keychain tests need the real Secret Service; the whole test run shares one session.
    steps.run("cargo test", || {
        let result = keyring::session(cmd::cargo().args(["test", "--workspace"])).and_then(|mut c| cmd::run(&mut c));
        keyring::cleanup();
        result
    })?;

    // Building the bindings selects the same targets as `cargo test` (see `bindings::host`), so it
    // reuses that build and only links the server binary, the cdylib and uniffi-bindgen.
    let generated = steps.run("build binaries and bindings", || bindings::host(true))?;
    steps.run("kotlin jvm harness", || kotlin_harness(&generated.join("kotlin")))?;
    steps.run("swift and android kotlin syntax", || {
        cmd::run(
            Command::new("node")
                .arg(Path::new(deps::SYNTAX_CHECKER).join("check.mjs"))
                .arg(generated.join("swift"))
                .args(["mobile/ios", "mobile/android/app"]),
        )
    })?;

    server_steps(steps, &schemathesis)
}

/// Compiles the generated Kotlin and the kit with Maven and runs the JVM harness's flows against
/// the host library and live servers it starts itself.
fn kotlin_harness(kotlin: &Path) -> Result<()> {
    let debug = absolute(&cmd::target_dir().join("debug"))?;
    cmd::run(
        Command::new("mvn")
            .args(["-B", "-q", "-f", "tests/kotlin-jvm/pom.xml", "test"])
            .arg(format!("-Dpsyter.bindings.dir={}", absolute(kotlin)?.display()))
            .arg(format!("-Dpsyter.lib.dir={}", debug.display()))
            .arg(format!("-Dpsyter.server.bin={}", debug.join("psyter-server").display())),
    )
}

/// Starts the debug server, fuzzes it as the demo patient and provider, and stops it.
fn server_steps(steps: &mut Steps, schemathesis: &Path) -> Result<()> {
    let scratch = cmd::target_dir().join("xtask/test");
    let mut server = steps.run("start psyter-server", || start_server(&scratch))?;
    let base = server.base_url()?;
    let (patient, provider) = steps.run("log in demo users", || {
        // Both tokens up front: fuzzing the auth endpoints must not be able to lock us out.
        Ok((http::login(&base, "patient@demo.psyter.app")?, http::login(&base, "provider@demo.psyter.app")?))
    })?;
    steps.run("schemathesis (patient)", || fuzz(schemathesis, &base, "patient", &patient))?;
    steps.run("schemathesis (provider)", || fuzz(schemathesis, &base, "provider", &provider))?;
    steps.run("stop psyter-server", || {
        server.wait_healthy(Duration::from_secs(10))?;
        server.stop()
    })?;
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

/// Starts the debug server on a fresh database in `scratch` and waits for `/healthz`.
fn start_server(scratch: &Path) -> Result<Server> {
    if scratch.exists() {
        std::fs::remove_dir_all(scratch)?;
    }
    std::fs::create_dir_all(scratch)?;
    let bin = cmd::target_dir().join("debug/psyter-server");
    let log = cmd::target_dir().join("xtask/logs/psyter-server-test.log");
    let mut command = Command::new(&bin);
    command.arg("--db").arg(scratch.join("demo.db")).args(["--listen", "127.0.0.1:0", "--seed", "demo"]);
    let mut server = Server::start("psyter-server", &mut command, &log, STARTUP_LIMIT)?;
    server.wait_healthy(Duration::from_secs(30))?;
    Ok(server)
}

/// One schemathesis pass through `tests/schemathesis/run.sh` (options live beside it).
fn fuzz(schemathesis: &Path, base: &str, role: &str, token: &str) -> Result<()> {
    let reports = absolute(&cmd::target_dir().join("schemathesis"))?;
    let mut command = Command::new("bash");
    command
        .args(["tests/schemathesis/run.sh", base, role])
        .env("SCHEMATHESIS", schemathesis)
        .env("PSYTER_REPORT_DIR", &reports)
        .env("PSYTER_ACCESS_TOKEN", token);
    cmd::run_with_timeout(&mut command, SCHEMATHESIS_LIMIT).with_context(|| {
        format!("schemathesis found problems as the demo {role}; JUnit report in {}/{role}", reports.display())
    })
}

/// `path` made absolute against the current directory.
fn absolute(path: &Path) -> Result<PathBuf> {
    Ok(std::env::current_dir()?.join(path))
}
