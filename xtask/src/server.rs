//! A server child process: started, its address read from stdout, health-checked, stopped cleanly.

use crate::{cmd, http};
use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long a server gets to exit after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(30);

/// Where a server's output goes.
pub enum Output {
    /// Straight to our terminal (for `cargo xtask run`).
    Terminal,
    /// Into a log file (stdout and stderr), shown in part when something fails.
    Log(PathBuf),
}

/// Placement of a server in process groups.
pub enum Group {
    /// Our own group: a terminal Ctrl-C reaches the server directly, like any child.
    Shared,
    /// A group of its own: only signals we forward reach it (so it gets exactly one).
    Own,
}

/// A running server process.
pub struct Server {
    /// Human name for messages, e.g. `psyter-server`.
    name: String,
    /// The process.
    child: Child,
    /// Addresses announced on stdout (`listening on http://ADDR`).
    announced: Receiver<String>,
    /// The announced address, once seen.
    addr: Option<String>,
    /// The log file, when output is logged.
    log: Option<PathBuf>,
}

impl Server {
    /// Starts `cmd` (echoing it); its stdout is relayed to `output` and scanned for the address.
    pub fn spawn(name: &str, cmd: &mut Command, output: Output, group: Group) -> Result<Self> {
        cmd.stdin(Stdio::null()).stdout(Stdio::piped());
        let (mut sink, log): (Box<dyn Write + Send>, _) = match output {
            Output::Terminal => {
                cmd.stderr(Stdio::inherit());
                (Box::new(std::io::stdout()), None)
            }
            Output::Log(path) => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                let file = File::create(&path).with_context(|| format!("could not create {}", path.display()))?;
                cmd.stderr(file.try_clone()?);
                (Box::new(file), Some(path))
            }
        };
        if let Group::Own = group {
            cmd.process_group(0);
        }
        cmd::echo(cmd);
        let mut child = cmd.spawn().with_context(|| format!("could not start `{}`", cmd::show(cmd)))?;
        if let Some(path) = &log {
            println!("    ({name} output goes to {})", path.display());
        }
        let stdout = child.stdout.take().context("child stdout was not piped")?;
        let (tx, announced) = mpsc::channel();
        std::thread::spawn(move || relay(stdout, &mut sink, &tx));
        Ok(Self { name: name.to_string(), child, announced, addr: None, log })
    }

    /// Waits for the `listening on http://ADDR` line; `abort` is polled to allow interruption.
    pub fn wait_listening(&mut self, limit: Duration, abort: &dyn Fn() -> bool) -> Result<String> {
        let deadline = Instant::now() + limit;
        loop {
            match self.announced.recv_timeout(Duration::from_millis(100)) {
                Ok(addr) => {
                    self.addr = Some(addr.clone());
                    return Ok(addr);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => std::thread::sleep(Duration::from_millis(100)),
            }
            if let Some(status) = self.child.try_wait()? {
                bail!("{} exited before it was listening ({}){}", self.name, cmd::describe(status), self.log_tail());
            }
            if abort() {
                bail!("interrupted while waiting for {} to start", self.name);
            }
            if Instant::now() >= deadline {
                bail!(
                    "{} did not print `listening on http://...` within {}s{}",
                    self.name,
                    limit.as_secs(),
                    self.log_tail()
                );
            }
        }
    }

    /// Starts a server and waits until it announces its address.
    pub fn start(name: &str, cmd: &mut Command, log: &Path, limit: Duration) -> Result<Self> {
        let mut server = Self::spawn(name, cmd, Output::Log(log.to_path_buf()), Group::Shared)?;
        let addr = server.wait_listening(limit, &|| false)?;
        println!("    {name} is listening on http://{addr}");
        Ok(server)
    }

    /// `http://ADDR` of the running server.
    pub fn base_url(&self) -> Result<String> {
        match &self.addr {
            Some(addr) => Ok(format!("http://{addr}")),
            None => bail!("{} has not announced its address yet", self.name),
        }
    }

    /// Waits for `GET /healthz` to answer 200 `{"status":"ok"}`.
    pub fn wait_healthy(&mut self, limit: Duration) -> Result<()> {
        let url = format!("{}/healthz", self.base_url()?);
        let deadline = Instant::now() + limit;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                bail!("{} exited ({}){}", self.name, cmd::describe(status), self.log_tail());
            }
            match http::get(&url) {
                Ok((200, body)) if http::json_field(&body, "status").as_deref() == Some("ok") => {
                    println!("    GET {url} -> 200 {body}");
                    return Ok(());
                }
                Ok((status, body)) => last = format!("HTTP {status}: {body}"),
                Err(err) => last = format!("{err:#}"),
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        bail!("{url} was not healthy within {}s (last: {last}){}", limit.as_secs(), self.log_tail())
    }

    /// The child process (to poll or signal it).
    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Stops the server with SIGTERM and fails unless it exits 0 within the grace period.
    pub fn stop(mut self) -> Result<()> {
        println!("    stopping {} (SIGTERM, pid {})", self.name, self.child.id());
        cmd::flush();
        let status = cmd::terminate(&mut self.child, STOP_GRACE)?;
        self.check_exit(status)
    }

    /// Fails unless the server's exit status is success.
    pub fn check_exit(&self, status: ExitStatus) -> Result<()> {
        if status.success() {
            println!("    {} exited cleanly", self.name);
            Ok(())
        } else {
            bail!("{} did not exit cleanly ({}){}", self.name, cmd::describe(status), self.log_tail())
        }
    }

    /// The last lines of the log file, formatted for an error message (empty without a log).
    fn log_tail(&self) -> String {
        let Some(path) = &self.log else {
            return String::new();
        };
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n    ");
        format!("\n  last lines of {}:\n    {tail}", path.display())
    }
}

impl Drop for Server {
    /// Never leaves a server behind when a step fails early.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = cmd::terminate(&mut self.child, Duration::from_secs(10));
        }
    }
}

/// Copies a server's stdout to `sink`, line by line until the address is announced, then in
/// bulk (so a chatty server is never slowed down by per-line writes).
fn relay(stdout: impl Read, sink: &mut dyn Write, announced: &Sender<String>) {
    let mut reader = BufReader::new(stdout);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let _ = sink.write_all(&line);
        let _ = sink.flush();
        if let Some(addr) = parse_listening(&String::from_utf8_lossy(&line)) {
            let _ = announced.send(addr);
            break;
        }
    }
    let _ = std::io::copy(&mut reader, sink);
}

/// Extracts `ADDR` from a line containing `listening on http://ADDR`.
pub fn parse_listening(line: &str) -> Option<String> {
    let start = line.find("listening on http://")? + "listening on http://".len();
    let addr: String = line[start..].chars().take_while(|c| !c.is_whitespace() && *c != '\x1b').collect();
    let addr = addr.trim_end_matches(['/', '.', ',', ')', '"', '\'']);
    (!addr.is_empty()).then(|| addr.to_string())
}

#[cfg(test)]
mod tests {
    use super::parse_listening;

    #[test]
    fn finds_the_announced_address() {
        let line = "2026-01-01T00:00:00Z INFO psyter: listening on http://127.0.0.1:43211";
        assert_eq!(parse_listening(line).as_deref(), Some("127.0.0.1:43211"));
        assert_eq!(parse_listening("listening on http://[::1]:80/ (ctrl-c to stop)").as_deref(), Some("[::1]:80"));
        assert_eq!(parse_listening("starting"), None);
    }
}
