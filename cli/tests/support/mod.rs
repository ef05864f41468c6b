//! Harness of the cross-process CLI tests: the reference server in this test process on loopback, and
//! the real `psyter` binary run against it with its own data directory and keychain profile.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use psyter_server::{AppState, Clock};
use serde_json::Value;

pub use psyter_server::seed::{DEMO_PASSWORD, DEMO_PATIENT};

/// Starts a demo-seeded server on a loopback port; it runs until the test's runtime ends.
pub async fn start_server(dir: &Path) -> String {
    let clock = Clock::default();
    let state = AppState::open(psyter_server::Config::new(dir.join("server.db")), clock.clone()).expect("server");
    let now = clock.now();
    state.db.with_writer(|c| psyter_server::seed::seed_demo(c, 20, now)).expect("seed");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { psyter_server::serve(listener, state, std::future::pending()).await });
    base
}

/// One CLI user: a server, a data directory and a keychain profile of its own.
pub struct Cli {
    pub server: String,
    pub data_dir: tempfile::TempDir,
    pub profile: String,
}

impl Cli {
    /// A CLI user with a unique profile (keychain entries are namespaced by it).
    pub fn new(server: &str) -> Self {
        let profile = format!("qa-{}", uuid::Uuid::new_v4().simple());
        Self { server: server.into(), data_dir: tempfile::tempdir().expect("tempdir"), profile }
    }

    /// The `psyter` command with this user's global options and `--json`.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_psyter"));
        cmd.args(["--json", "--server", &self.server, "--profile", &self.profile, "--data-dir"])
            .arg(self.data_dir.path())
            .args(args)
            .env_remove("PSYTER_PASSWORD")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `psyter --json ARGS` to the end (off the async runtime) and returns its exit code and JSON.
    pub async fn run(&self, args: &[&str]) -> (i32, Value) {
        let mut cmd = self.command(args);
        let output = tokio::task::spawn_blocking(move || cmd.output()).await.expect("join").expect("run psyter");
        parse(args, &output)
    }

    /// Signs in with the demo password on stdin.
    pub async fn login(&self, email: &str) {
        let mut cmd = self.command(&["login", "--email", email, "--password-stdin"]);
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let output = tokio::task::spawn_blocking(move || {
            let mut child = cmd.spawn().expect("spawn");
            {
                use std::io::Write;
                let mut stdin = child.stdin.take().expect("stdin");
                writeln!(stdin, "{DEMO_PASSWORD}").expect("password");
            }
            child.wait_with_output()
        })
        .await
        .expect("join")
        .expect("login");
        let (code, doc) = parse(&["login"], &output);
        assert_eq!(code, 0, "login: {doc}");
    }
}

/// The exit code and the one JSON document a `--json` run prints.
fn parse(args: &[&str], output: &Output) -> (i32, Value) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let doc = serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "psyter {args:?} printed no single JSON document ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().unwrap_or(-1), doc)
}
