//! `cargo xtask run`: build the server, run it with demo data, forward Ctrl-C/SIGTERM to it.
//!
//! The flow is: build (UI, server, desktop app) -> prepare the database -> start the server -> open the
//! desktop app on it (when there is a display) -> supervise every child until one exits or we are
//! signalled.

use crate::server::{Group, Output, Server};
use crate::{Args, cmd, deps, http};
use anyhow::{Result, bail};
use rustix::process::Signal;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long the server may take to seed and start listening.
const STARTUP_LIMIT: Duration = Duration::from_secs(300);

/// Options of `cargo xtask run`.
pub struct Options {
    /// Address the server listens on.
    listen: String,
    /// SQLite database path.
    db: PathBuf,
    /// Delete the database (and its -wal/-shm) before starting.
    fresh: bool,
}

impl Options {
    /// Parses `[--listen ADDR] [--db PATH] [--fresh]`.
    pub fn parse(raw: &[String]) -> Result<Self> {
        let mut opts =
            Self { listen: "127.0.0.1:8080".to_string(), db: PathBuf::from(".psyter/demo.db"), fresh: false };
        let mut args = Args::new("run", raw);
        while let Some(flag) = args.next_flag() {
            match flag {
                "--listen" => opts.listen = args.value(flag)?,
                "--db" => opts.db = PathBuf::from(args.value(flag)?),
                "--fresh" => opts.fresh = true,
                other => return Err(args.unknown(other)),
            }
        }
        Ok(opts)
    }
}

/// Runs the demo stack until Ctrl-C/SIGTERM or until a process exits.
pub fn main(opts: Options) -> Result<()> {
    // Register handlers first: from here on a signal is forwarded, never fatal to xtask itself.
    let signals = Signals::install()?;

    cmd::step("install what the desktop app needs to build");
    deps::ensure_apt(deps::DESKTOP_PACKAGES)?;
    cmd::step("build the desktop UI (ui/dist)");
    deps::build_ui()?;
    cmd::step("build psyter-server and psyter-desktop");
    cmd::run(cmd::cargo().args(["build", "-p", "psyter-server", "-p", "psyter-desktop"]))?;

    cmd::step(&format!("prepare database {}", opts.db.display()));
    prepare_db(&opts.db, opts.fresh)?;

    cmd::step("start psyter-server with demo data");
    let bin = cmd::target_dir().join("debug/psyter-server");
    let mut server_cmd = Command::new(&bin);
    server_cmd.arg("--db").arg(&opts.db).args(["--listen", &opts.listen, "--seed", "demo"]);
    // Its own process group: a terminal Ctrl-C reaches only us, and we forward exactly one signal.
    let mut server = Server::spawn("psyter-server", &mut server_cmd, Output::Terminal, Group::Own)?;
    let addr = server.wait_listening(STARTUP_LIMIT, &|| signals.pending())?;
    let base = format!("http://{addr}");

    let mut children = vec![server];
    if has_display() {
        cmd::step("open the desktop app (signed out, on its own demo profile)");
        let data_dir = opts.db.parent().unwrap_or(Path::new(".")).join("desktop");
        if opts.fresh && data_dir.exists() {
            std::fs::remove_dir_all(&data_dir)?;
        }
        let mut app = Command::new(cmd::target_dir().join("debug/psyter-desktop"));
        app.env("PSYTER_SERVER_URL", &base).env("PSYTER_DATA_DIR", &data_dir).env("PSYTER_PROFILE", "demo");
        children.push(Server::spawn("psyter-desktop", &mut app, Output::Terminal, Group::Own)?);
    } else {
        println!(
            "    no display (DISPLAY/WAYLAND_DISPLAY unset): the desktop app is not opened; the server runs alone"
        );
    }

    cmd::step(&format!("Psyter is running at {base}"));
    println!("    API description: {base}/openapi.json   health: {base}/healthz");
    println!("    demo logins (password {}): patient@demo.psyter.app, provider@demo.psyter.app", http::DEMO_PASSWORD);
    println!("    press Ctrl-C to stop");
    cmd::flush();
    supervise(&mut children, &signals)
}

/// Creates the database directory; with `fresh`, deletes the database and its WAL files.
fn prepare_db(db: &Path, fresh: bool) -> Result<()> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    if fresh {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = db.as_os_str().to_owned();
            path.push(suffix);
            let path = PathBuf::from(path);
            match std::fs::remove_file(&path) {
                Ok(()) => println!("    deleted {}", path.display()),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) => bail!("could not delete {}: {err}", path.display()),
            }
        }
    } else if db.exists() {
        println!("    reusing {} (--fresh starts over)", db.display());
    }
    Ok(())
}

/// Waits until a child exits or we are signalled; forwards the signal and waits for shutdown.
fn supervise(children: &mut [Server], signals: &Signals) -> Result<()> {
    let mut stopping = false;
    loop {
        if let Some(signal) = signals.take() {
            if stopping {
                println!("==> second signal: killing");
                for child in children.iter_mut() {
                    let _ = child.child().kill();
                }
            } else {
                println!("==> stopping (signal forwarded; press Ctrl-C again to force)");
                for child in children.iter_mut() {
                    cmd::signal(child.child(), signal)?;
                }
                stopping = true;
            }
            cmd::flush();
        }
        for index in 0..children.len() {
            if let Some(status) = children[index].child().try_wait()? {
                // One process ended: stop the rest, then report how the first one ended.
                for (other, child) in children.iter_mut().enumerate() {
                    if other != index {
                        let _ = cmd::terminate(child.child(), Duration::from_secs(30));
                    }
                }
                if !stopping && status.success() {
                    println!("    the server exited by itself");
                }
                return children[index].check_exit(status);
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The last termination signal received (SIGINT, SIGTERM or SIGHUP), recorded by a handler.
struct Signals {
    /// Signal number, or 0 when none is pending.
    last: Arc<AtomicUsize>,
}

impl Signals {
    /// Installs handlers that record the signal instead of terminating xtask.
    fn install() -> Result<Self> {
        let last = Arc::new(AtomicUsize::new(0));
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            let value = usize::try_from(signal)?;
            signal_hook::flag::register_usize(signal, Arc::clone(&last), value)?;
        }
        Ok(Self { last })
    }

    /// Whether a signal arrived and was not taken yet.
    fn pending(&self) -> bool {
        self.last.load(Ordering::SeqCst) != 0
    }

    /// Takes the pending signal, mapped to what the children get (SIGHUP becomes SIGTERM).
    fn take(&self) -> Option<Signal> {
        match i32::try_from(self.last.swap(0, Ordering::SeqCst)).ok()? {
            0 => None,
            SIGINT => Some(Signal::INT),
            _ => Some(Signal::TERM),
        }
    }
}

/// Whether a graphical session is available for the desktop app.
fn has_display() -> bool {
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()))
}
