//! Runs a command in a throwaway D-Bus session with an unlocked gnome-keyring (the real Secret
//! Service), so the core's keychain tests exercise the OS keychain headless, on CI and as root.

use crate::cmd;
use anyhow::{Result, bail};
use std::path::PathBuf;
use std::process::Command;

/// The session script (kept beside this file so the step can be reproduced by hand).
const SCRIPT: &str = "xtask/src/keyring-session.sh";

/// Where the throwaway keyring lives while the command runs (removed by [`cleanup`]).
pub fn dir() -> Result<PathBuf> {
    Ok(std::env::current_dir()?.join(cmd::target_dir()).join("xtask/keyring"))
}

/// `dbus-run-session -- sh keyring-session.sh <inner>`: `inner`'s program, arguments and environment
/// run with `PSYTER_KEYCHAIN_TESTS=1` and a fresh, unlocked gnome-keyring on a private session bus.
pub fn session(inner: &Command) -> Result<Command> {
    for tool in ["dbus-run-session", "dbus-send", "gnome-keyring-daemon"] {
        if !cmd::on_path(tool) {
            bail!("`{tool}` is not installed; the keychain tests need the packages dbus and gnome-keyring");
        }
    }
    let mut outer = Command::new("dbus-run-session");
    outer.args(["--", "sh", SCRIPT]).arg(inner.get_program()).args(inner.get_args());
    outer.env("PSYTER_KEYRING_DIR", dir()?);
    for (key, value) in inner.get_envs() {
        match value {
            Some(value) => outer.env(key, value),
            None => outer.env_remove(key),
        };
    }
    if let Some(cwd) = inner.get_current_dir() {
        outer.current_dir(cwd);
    }
    Ok(outer)
}

/// Removes the throwaway keyring (its password is no secret, so it must not linger).
pub fn cleanup() {
    if let Ok(dir) = dir() {
        let _ = std::fs::remove_dir_all(dir);
    }
}
