//! Opening the core for one command: configuration from the global options, the OS keychain, the
//! network hint, and the CLI's persisted lock (the core keeps its lock in memory only, and every CLI
//! command is a new process).

use std::io::{BufRead, IsTerminal, Read};
use std::path::PathBuf;
use std::sync::Arc;

use psyter_core::api::{ApiConfig, parse_base_url};
use psyter_core::platform::ManualNetwork;
use psyter_core::profile::ProfilePaths;
use psyter_core::secret::{KeyringStore, SERVICE};
use psyter_core::{Config, CoreError, Psyter, SessionPhase};
use zeroize::Zeroizing;

use crate::args::{Cli, PasswordArgs};

/// An open profile and what the command line said about it.
#[derive(Debug, Clone)]
pub struct Context {
    /// The client core of the profile.
    pub psyter: Psyter,
    /// The network hint (`--offline` turns it off).
    pub network: Arc<ManualNetwork>,
    /// The server URL as given.
    pub server: String,
    /// The data directory.
    pub data_dir: PathBuf,
    /// The CLI's lock marker of this profile.
    lock_marker: PathBuf,
}

impl Context {
    /// Checks the options, opens the keychain and the profile, and re-applies a lock set by `psyter lock`.
    pub async fn open(cli: &Cli) -> Result<Self, CoreError> {
        parse_base_url(&cli.server)?;
        let data_dir = match &cli.data_dir {
            Some(dir) => dir.clone(),
            None => default_data_dir()?,
        };
        let paths = ProfilePaths::new(&data_dir, &cli.profile)?;
        let secrets = tokio::task::spawn_blocking(|| KeyringStore::open(SERVICE))
            .await
            .map_err(|_| internal("opening the keychain failed"))??;
        let network = Arc::new(ManualNetwork::default());
        network.set_online(!cli.offline);
        let mut config = Config::new(ApiConfig::new(cli.server.clone()), data_dir.clone(), Arc::new(secrets));
        config.profile = paths.name.clone();
        config.network = Some(network.clone());
        let psyter = Psyter::open(config).await?;
        let lock_marker = data_dir.join("cli").join(format!("{}.locked", paths.name));
        let ctx = Self { psyter, network, server: cli.server.clone(), data_dir, lock_marker };
        ctx.apply_lock()?;
        Ok(ctx)
    }

    /// Locks the session if `psyter lock` left the marker, or drops a marker nobody needs any more.
    fn apply_lock(&self) -> Result<(), CoreError> {
        if !self.lock_marker.exists() {
            return Ok(());
        }
        match self.psyter.phase() {
            SessionPhase::SignedOut => self.clear_lock(),
            SessionPhase::Active | SessionPhase::Locked => {
                self.psyter.auth().lock();
                Ok(())
            }
        }
    }

    /// Locks the session now and keeps it locked for later commands.
    pub fn persist_lock(&self) -> Result<(), CoreError> {
        if let Some(dir) = self.lock_marker.parent() {
            std::fs::create_dir_all(dir).map_err(|e| storage("create the CLI state directory", &e))?;
        }
        std::fs::write(&self.lock_marker, b"locked\n").map_err(|e| storage("write the lock marker", &e))?;
        self.psyter.auth().lock();
        Ok(())
    }

    /// Forgets the persisted lock (after unlock, sign-in or sign-out).
    pub fn clear_lock(&self) -> Result<(), CoreError> {
        match std::fs::remove_file(&self.lock_marker) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(storage("remove the lock marker", &e)),
        }
    }

    /// Whether `--offline` is in effect.
    pub fn offline(&self) -> bool {
        !psyter_core::platform::NetworkMonitor::is_online(self.network.as_ref())
    }

    /// `not_signed_in` or `locked` unless the session is active: for user commands the core runs without
    /// its activity check (sync, reminder planning).
    pub fn require_unlocked(&self) -> Result<(), CoreError> {
        match self.psyter.phase() {
            SessionPhase::Active => Ok(()),
            SessionPhase::Locked => Err(CoreError::Locked),
            SessionPhase::SignedOut => Err(CoreError::Unauthorized { code: "not_signed_in".into() }),
        }
    }

    /// `Offline` when `--offline` is set: for calls the core sends without checking the network hint.
    pub fn require_online(&self) -> Result<(), CoreError> {
        if self.offline() { Err(CoreError::Offline) } else { Ok(()) }
    }
}

/// `$XDG_DATA_HOME/psyter`, else `~/.local/share/psyter`.
pub fn default_data_dir() -> Result<PathBuf, CoreError> {
    data_dir_from(std::env::var_os("XDG_DATA_HOME").map(PathBuf::from), std::env::var_os("HOME").map(PathBuf::from))
}

/// The default data directory from `$XDG_DATA_HOME` and `$HOME` (relative values are ignored, as the
/// XDG specification says).
pub fn data_dir_from(xdg_data_home: Option<PathBuf>, home: Option<PathBuf>) -> Result<PathBuf, CoreError> {
    if let Some(xdg) = xdg_data_home.filter(|p| p.is_absolute()) {
        return Ok(xdg.join("psyter"));
    }
    if let Some(home) = home.filter(|p| p.is_absolute()) {
        return Ok(home.join(".local").join("share").join("psyter"));
    }
    Err(CoreError::Validation {
        code: "no_data_dir".into(),
        detail: "no data directory: set --data-dir, PSYTER_DATA_DIR, XDG_DATA_HOME or HOME".into(),
    })
}

/// The password: the first line of stdin with `--password-stdin`, else `$PSYTER_PASSWORD`, else a
/// prompt without echo on the terminal, else the first line of stdin. Never from an argument.
pub fn read_password(args: &PasswordArgs) -> Result<Zeroizing<String>, CoreError> {
    let password = if args.password_stdin {
        read_stdin_line()?
    } else if let Some(env) = std::env::var_os("PSYTER_PASSWORD") {
        Zeroizing::new(env.into_string().map_err(|_| invalid_password("PSYTER_PASSWORD is not valid UTF-8"))?)
    } else if std::io::stdin().is_terminal() {
        Zeroizing::new(
            rpassword::prompt_password("Password: ").map_err(|e| internal(&format!("reading the password: {e}")))?,
        )
    } else {
        read_stdin_line()?
    };
    if password.is_empty() {
        return Err(invalid_password("the password is empty"));
    }
    Ok(password)
}

/// The first line of stdin without its line ending.
fn read_stdin_line() -> Result<Zeroizing<String>, CoreError> {
    let mut line = Zeroizing::new(String::new());
    std::io::stdin().lock().read_line(&mut line).map_err(|e| internal(&format!("reading stdin: {e}")))?;
    let trimmed = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(trimmed);
    Ok(line)
}

/// All of stdin (for note text).
pub fn read_stdin_all() -> Result<String, CoreError> {
    let mut text = String::new();
    std::io::stdin().lock().read_to_string(&mut text).map_err(|e| internal(&format!("reading stdin: {e}")))?;
    Ok(text)
}

fn invalid_password(detail: &str) -> CoreError {
    CoreError::Validation { code: "password_required".into(), detail: detail.into() }
}

fn internal(detail: &str) -> CoreError {
    CoreError::Internal { detail: detail.into() }
}

fn storage(what: &str, e: &std::io::Error) -> CoreError {
    CoreError::Storage { detail: format!("could not {what}: {}", e.kind()) }
}
