//! Process helpers: every command is echoed (`$ ...`) before it runs and failures name it.

use anyhow::{Context, Result, bail};
use rustix::process::{Pid, Signal, kill_process};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The repository root (the parent of the xtask crate).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` when set, else `./target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from("target"),
    }
}

/// True when running under CI (`CI` set to anything but empty, `0` or `false`).
pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// Announces a step: `==> title`.
pub fn step(title: &str) {
    println!("==> {title}");
    flush();
}

/// Flushes stdout so our lines interleave correctly with child output.
pub fn flush() {
    let _ = std::io::stdout().flush();
}

/// A `cargo` command using the same cargo that launched xtask; on CI without incremental caches,
/// which a one-off build never reuses and which would double its size on disk.
pub fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    if is_ci() {
        command.env("CARGO_INCREMENTAL", "0");
    }
    command
}

/// Renders a command the way a shell user would type it; secret-looking env values are hidden.
pub fn show(cmd: &Command) -> String {
    let mut parts = Vec::new();
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            let key = key.to_string_lossy();
            let upper = key.to_ascii_uppercase();
            let secret = ["TOKEN", "PASSWORD", "SECRET"].iter().any(|s| upper.contains(s));
            let shown = if secret { "***".to_string() } else { quote(&value.to_string_lossy()) };
            parts.push(format!("{key}={shown}"));
        }
    }
    parts.push(quote(&cmd.get_program().to_string_lossy()));
    parts.extend(cmd.get_args().map(|a| quote(&a.to_string_lossy())));
    let line = parts.join(" ");
    match cmd.get_current_dir() {
        Some(dir) => format!("(cd {} && {line})", quote(&dir.to_string_lossy())),
        None => line,
    }
}

/// Shell-quotes one word when needed.
fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Prints `$ command` before running it.
pub fn echo(cmd: &Command) {
    println!("$ {}", show(cmd));
    flush();
}

/// Runs a command with inherited stdio and fails unless it exits 0.
pub fn run(cmd: &mut Command) -> Result<()> {
    echo(cmd);
    let status = cmd.status().with_context(|| format!("could not start `{}`", show(cmd)))?;
    check(cmd, status)
}

/// Runs a command silently (after echoing it) and reports whether it exited 0.
pub fn probe(cmd: &mut Command) -> bool {
    echo(cmd);
    cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// Runs a command capturing stdout (stderr passes through); fails unless it exits 0.
pub fn output(cmd: &mut Command) -> Result<String> {
    echo(cmd);
    let out = cmd.stderr(Stdio::inherit()).output().with_context(|| format!("could not start `{}`", show(cmd)))?;
    check(cmd, out.status)?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs a command streaming its stdout to ours while capturing it; returns status and output.
pub fn tee(cmd: &mut Command) -> Result<(ExitStatus, String)> {
    echo(cmd);
    let mut child = cmd.stdout(Stdio::piped()).spawn().with_context(|| format!("could not start `{}`", show(cmd)))?;
    let mut captured = String::new();
    if let Some(out) = child.stdout.take() {
        for_each_line(out, |line| {
            println!("{line}");
            captured.push_str(line);
            captured.push('\n');
        })?;
    }
    let status = child.wait()?;
    Ok((status, captured))
}

/// Like [`tee`] but fails unless the command exits 0.
pub fn run_tee(cmd: &mut Command) -> Result<String> {
    let (status, captured) = tee(cmd)?;
    check(cmd, status)?;
    Ok(captured)
}

/// Runs a command with inherited stdio, stopping it (and failing) after `limit`.
pub fn run_with_timeout(cmd: &mut Command, limit: Duration) -> Result<()> {
    echo(cmd);
    let mut child = cmd.spawn().with_context(|| format!("could not start `{}`", show(cmd)))?;
    match wait_timeout(&mut child, limit)? {
        Some(status) => check(cmd, status),
        None => {
            terminate(&mut child, Duration::from_secs(10))?;
            bail!("`{}` timed out after {}s", show(cmd), limit.as_secs())
        }
    }
}

/// Calls `f` for each line of `reader` (lossy UTF-8, without the newline).
pub fn for_each_line(reader: impl Read, mut f: impl FnMut(&str)) -> Result<()> {
    let mut reader = BufReader::new(reader);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        let line = String::from_utf8_lossy(&buf);
        f(line.trim_end_matches(['\n', '\r']));
    }
}

/// Fails with the command line and its status unless `status` is success.
pub fn check(cmd: &Command, status: ExitStatus) -> Result<()> {
    if status.success() { Ok(()) } else { bail!("`{}` failed ({})", show(cmd), describe(status)) }
}

/// Describes an exit status: exit code or the signal that killed the process.
pub fn describe(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => "unknown status".to_string(),
    }
}

/// Whether an executable named `name` is on `PATH`.
pub fn on_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            std::fs::metadata(dir.join(name)).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Sends `signal` to a child process (ignoring one that already exited).
pub fn signal(child: &Child, signal: Signal) -> Result<()> {
    match kill_process(Pid::from_child(child), signal) {
        Ok(()) | Err(rustix::io::Errno::SRCH) => Ok(()),
        Err(err) => Err(err).with_context(|| format!("could not signal process {}", child.id())),
    }
}

/// Waits up to `limit` for a child to exit; `None` if it is still running.
pub fn wait_timeout(child: &mut Child, limit: Duration) -> Result<Option<ExitStatus>> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Stops a child: SIGTERM, then SIGKILL if it has not exited within `grace`.
pub fn terminate(child: &mut Child, grace: Duration) -> Result<ExitStatus> {
    signal(child, Signal::TERM)?;
    if let Some(status) = wait_timeout(child, grace)? {
        return Ok(status);
    }
    eprintln!("process {} ignored SIGTERM for {}s; killing it", child.id(), grace.as_secs());
    child.kill()?;
    Ok(child.wait()?)
}
