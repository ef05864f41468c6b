//! The `psyter` binary as scripts run it: exit codes and exactly one JSON document on stdout, for cases
//! that need neither a server nor the keychain (the live end-to-end run is a separate QA script).

use std::process::{Command, Output};

fn psyter(args: &[&str]) -> Output {
    let data = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_psyter"));
    for var in ["PSYTER_SERVER", "PSYTER_PROFILE", "PSYTER_PASSWORD", "RUST_LOG"] {
        cmd.env_remove(var);
    }
    cmd.env("PSYTER_DATA_DIR", data.path()).env("LANG", "C.UTF-8").args(args).output().expect("run psyter")
}

fn json(out: &Output) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}): {text}"))
}

#[test]
fn help_documents_the_exit_codes() {
    let out = psyter(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("Exit codes:") && help.contains("  6  auth"), "{help}");
    for cmd in ["login", "providers", "slots", "book", "appointments", "notes", "history", "sync", "reminders"] {
        assert!(help.contains(cmd), "{cmd} in {help}");
    }
}

#[test]
fn usage_errors_exit_2_and_speak_json_when_asked() {
    assert_eq!(psyter(&[]).status.code(), Some(2));
    let out = psyter(&["--json", "book", "not-an-id", "2026-11-24T08:00:00Z"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(json(&out)["error"]["code"], "usage");
    let out = psyter(&["appointments", "cancel"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn an_insecure_server_is_refused_before_anything_is_opened() {
    let out = psyter(&["--json", "--server", "http://example.com", "whoami"]);
    assert_eq!(out.status.code(), Some(9));
    let doc = json(&out);
    assert_eq!(doc["error"]["code"], "insecure_transport");
    assert_eq!(doc["error"]["kind"], "security");
    assert!(out.stderr.is_empty(), "no logs without -v: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn bad_settings_are_validation_errors() {
    let out = psyter(&["--json", "--profile", "Not Valid", "whoami"]);
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(json(&out)["error"]["code"], "invalid_profile");
    let out = psyter(&["--json", "--server", "ftp://127.0.0.1", "whoami"]);
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(json(&out)["error"]["code"], "invalid_server_url");
    let out = psyter(&["--server", "http://example.com", "whoami"]);
    assert_eq!(out.status.code(), Some(9));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("[insecure_transport]"));
}
