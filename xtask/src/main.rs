//! `cargo xtask <command>`: Psyter's one entry point for humans and CI.
//!
//! Commands are plain sequences of echoed shell-level steps so that whatever CI does can be
//! reproduced by hand. See `cargo xtask help`.

mod bench;
mod bench_core;
mod bench_ffi;
mod bindings;
mod cmd;
mod deps;
mod http;
mod keyring;
mod report;
mod run;
mod server;
mod steps;
mod test;

use anyhow::{Result, bail};
use std::process::ExitCode;

/// Usage text printed by `cargo xtask help` and on argument errors.
const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  run   [--listen ADDR] [--db PATH] [--fresh]
        build psyter-server and run it with demo data (default 127.0.0.1:8080, .psyter/demo.db);
        --fresh deletes the database first. Ctrl-C stops it gracefully.
  test  [--skip-lint]
        everything CI checks: tools, fmt, clippy, cargo test (on a private D-Bus session with an
        unlocked gnome-keyring, so the keychain tests use the real Secret Service), schemathesis
        against the server.
  bindings [--android | --ios] [--test-hooks]
        build psyter-ffi and generate Kotlin and Swift with the in-tree uniffi-bindgen into
        target/bindings; --android builds jniLibs with cargo-ndk, --ios an xcframework with
        xcodebuild (each needs its SDK); --test-hooks adds the panic hooks the JVM harness uses.
  bench [--only ffi]
        criterion slot generation, wrk search load vs a bare-axum floor, booking contention;
        writes target/bench/report.md.
  help  print this text
";

fn main() -> ExitCode {
    match real_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Parses the command line and dispatches to a subcommand, from the repository root.
fn real_main() -> Result<()> {
    std::env::set_current_dir(cmd::root())?;
    let mut args = std::env::args().skip(1);
    let Some(command) = args.next() else {
        print!("{USAGE}");
        bail!("missing command");
    };
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        "run" => run::main(run::Options::parse(&rest)?),
        "test" => test::main(test::Options::parse(&rest)?),
        "bindings" => bindings::main(bindings::Options::parse(&rest)?),
        "bench" => bench::main(bench::Options::parse(&rest)?),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => {
            print!("{USAGE}");
            bail!("unknown command `{other}`")
        }
    }
}

/// Small hand-rolled option parser shared by the subcommands.
pub struct Args<'a> {
    /// The command whose options these are, for error messages.
    command: &'static str,
    /// The remaining raw arguments.
    rest: std::slice::Iter<'a, String>,
}

impl<'a> Args<'a> {
    /// Wraps the raw arguments of `command`.
    pub fn new(command: &'static str, rest: &'a [String]) -> Self {
        Self { command, rest: rest.iter() }
    }

    /// Returns the next raw argument (normally a `--flag`).
    pub fn next_flag(&mut self) -> Option<&'a str> {
        self.rest.next().map(String::as_str)
    }

    /// Returns the value following `flag`, or an error naming the flag.
    pub fn value(&mut self, flag: &str) -> Result<String> {
        match self.rest.next() {
            Some(v) if !v.starts_with("--") => Ok(v.clone()),
            _ => bail!("`cargo xtask {}`: {flag} needs a value", self.command),
        }
    }

    /// The error for an unknown flag.
    pub fn unknown(&self, flag: &str) -> anyhow::Error {
        anyhow::anyhow!("`cargo xtask {}`: unknown option `{flag}`; see `cargo xtask help`", self.command)
    }
}
