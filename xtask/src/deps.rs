//! Tool installation, idempotent: apt packages (via `sudo` when not root) and the schemathesis venv.

use crate::cmd;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

/// Python requirements for the schemathesis step (pinned, reviewed with the config beside it).
pub const REQUIREMENTS: &str = "tests/schemathesis/requirements.txt";

/// Debian packages `cargo xtask test` needs: `dbus` (pulls in `dbus-daemon`, which has
/// `dbus-run-session`, and `dbus-bin`, which has `dbus-send`) and `gnome-keyring` for the keychain
/// tests' Secret Service; `libssl-dev` and `pkg-config` for SQLCipher's libcrypto; `maven` for the
/// Kotlin JVM harness (it brings a JDK when none is installed); WebKitGTK 4.1 and librsvg for the Tauri
/// desktop app.
pub const TEST_PACKAGES: &[&str] =
    &["dbus", "gnome-keyring", "libssl-dev", "pkg-config", "maven", "libwebkit2gtk-4.1-dev", "librsvg2-dev"];

/// What building the desktop app needs (WebKitGTK 4.1 with its GTK and libsoup headers, librsvg).
pub const DESKTOP_PACKAGES: &[&str] = &["libwebkit2gtk-4.1-dev", "librsvg2-dev", "pkg-config", "libssl-dev"];

/// The desktop UI's npm package.
pub const UI: &str = "ui";

/// The Swift/Kotlin syntax checker's npm package (tree-sitter grammars as WASM).
pub const SYNTAX_CHECKER: &str = "tests/syntax";

/// Set once `apt-get update` has run in this xtask invocation.
static APT_UPDATED: AtomicBool = AtomicBool::new(false);

/// Installs the Debian packages that are not installed yet (`apt-get update` at most once).
pub fn ensure_apt(packages: &[&str]) -> Result<()> {
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !dpkg_installed(p)).collect();
    if missing.is_empty() {
        println!("    already installed: {}", packages.join(" "));
        return Ok(());
    }
    if !cmd::on_path("apt-get") {
        bail!("need the packages {} but apt-get is not available; install them by hand", missing.join(" "));
    }
    if !APT_UPDATED.swap(true, Ordering::SeqCst) {
        cmd::run(&mut privileged("apt-get", &["update"])?)?;
    }
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend(&missing);
    cmd::run(&mut privileged("apt-get", &args)?)
}

/// Whether `dpkg -s` reports the package as installed.
fn dpkg_installed(package: &str) -> bool {
    let mut dpkg = Command::new("dpkg");
    dpkg.args(["-s", package]);
    cmd::echo(&dpkg);
    dpkg.output().is_ok_and(|out| {
        out.status.success()
            && String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == "Status: install ok installed")
    })
}

/// A command run as root: directly when we are root, else through `sudo` (non-interactive on CI).
fn privileged(program: &str, args: &[&str]) -> Result<Command> {
    let mut command = if rustix::process::geteuid().is_root() {
        let mut direct = Command::new(program);
        direct.env("DEBIAN_FRONTEND", "noninteractive");
        direct
    } else if cmd::on_path("sudo") {
        let mut sudo = Command::new("sudo");
        if cmd::is_ci() {
            sudo.arg("-n");
        }
        // sudo resets the environment, so pass DEBIAN_FRONTEND through `env`.
        sudo.args(["env", "DEBIAN_FRONTEND=noninteractive", program]);
        sudo
    } else {
        bail!("`{program}` needs root: run as root or install sudo");
    };
    command.args(args);
    Ok(command)
}

/// Where the schemathesis venv lives: `~/.cache/psyter/venv` (shared by all checkouts).
fn venv_dir() -> Result<PathBuf> {
    let home = std::env::var_os("HOME").context("HOME is not set")?;
    Ok(PathBuf::from(home).join(".cache/psyter/venv"))
}

/// Ensures the venv exists with the pinned requirements; returns the `schemathesis` executable.
pub fn ensure_schemathesis() -> Result<PathBuf> {
    let venv = venv_dir()?;
    let python = venv.join("bin/python");
    let mut pip_check = Command::new(&python);
    pip_check.args(["-m", "pip", "--version"]);
    if !python.exists() || !cmd::probe(&mut pip_check) {
        create_venv(&venv)?;
    }
    let requirements =
        std::fs::read_to_string(REQUIREMENTS).with_context(|| format!("could not read {REQUIREMENTS}"))?;
    let mut version = Command::new(&python);
    version.arg("--version");
    let wanted = format!("{}\n{requirements}", cmd::output(&mut version)?.trim());
    let stamp = venv.join(".psyter-requirements");
    let schemathesis = venv.join("bin/schemathesis");
    let current = std::fs::read_to_string(&stamp).unwrap_or_default();
    if current == wanted && schemathesis.exists() {
        println!("    {REQUIREMENTS} already installed in {}", venv.display());
    } else {
        // Remove the stamp first so an interrupted install is retried next time.
        let _ = std::fs::remove_file(&stamp);
        cmd::run(
            Command::new(&python)
                .args(["-m", "pip", "install", "--disable-pip-version-check"])
                .args(["--progress-bar", "off", "-r", REQUIREMENTS])
                .env("PIP_NO_INPUT", "1"),
        )?;
        std::fs::write(&stamp, wanted)?;
    }
    cmd::run(Command::new(&schemathesis).arg("--version"))?;
    Ok(schemathesis)
}

/// Creates the venv with `python3 -m venv`, installing `python3-venv` via apt if that fails.
fn create_venv(venv: &Path) -> Result<()> {
    if !cmd::on_path("python3") {
        ensure_apt(&["python3", "python3-venv"])?;
    }
    let fresh = || -> Result<Command> {
        if venv.exists() {
            std::fs::remove_dir_all(venv)
                .with_context(|| format!("could not remove broken venv {}", venv.display()))?;
        }
        if let Some(parent) = venv.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut create = Command::new("python3");
        create.args(["-m", "venv"]).arg(venv);
        Ok(create)
    };
    let mut create = fresh()?;
    cmd::echo(&create);
    if create.status().is_ok_and(|s| s.success()) {
        return Ok(());
    }
    println!("    venv creation failed; installing python3-venv and retrying");
    ensure_apt(&["python3-venv"])?;
    cmd::run(&mut fresh()?)
}

/// Installs the syntax checker's npm packages (see `ensure_npm`).
pub fn ensure_syntax_checker() -> Result<()> {
    ensure_npm(Path::new(SYNTAX_CHECKER))
}

/// Installs a package's npm dependencies with `npm ci` unless its lock file is unchanged since the
/// last install (installs `nodejs` and `npm` via apt when there is no `npm`).
pub fn ensure_npm(dir: &Path) -> Result<()> {
    if !cmd::on_path("npm") {
        ensure_apt(&["nodejs", "npm"])?;
    }
    let lock = std::fs::read_to_string(dir.join("package-lock.json"))
        .with_context(|| format!("reading {}/package-lock.json", dir.display()))?;
    let stamp = dir.join("node_modules/.psyter-lock");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == lock) {
        println!("    {}/node_modules is up to date", dir.display());
        return Ok(());
    }
    cmd::run(Command::new("npm").args(["ci", "--no-audit", "--no-fund", "--prefix"]).arg(dir))?;
    std::fs::write(stamp, lock)?;
    Ok(())
}

/// Builds the desktop UI into `ui/dist` (the desktop crate embeds it at compile time).
pub fn build_ui() -> Result<()> {
    ensure_npm(Path::new(UI))?;
    cmd::run(Command::new("npm").args(["run", "--prefix", UI, "build"]))
}
