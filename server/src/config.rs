//! Server configuration.

use std::path::PathBuf;

use jiff::SignedDuration;
use psyter_domain::CancelPolicy;

/// Agora project credentials; when absent the server hands out sandbox engine credentials.
#[derive(Clone)]
pub struct AgoraConfig {
    /// Agora App ID.
    pub app_id: String,
    /// Agora App Certificate (secret).
    pub app_certificate: String,
}

impl std::fmt::Debug for AgoraConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgoraConfig").field("app_id", &self.app_id).finish_non_exhaustive()
    }
}

/// Everything the server needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// SQLite database path.
    pub db_path: PathBuf,
    /// How long access tokens live.
    pub access_ttl: SignedDuration,
    /// How long refresh tokens live.
    pub refresh_ttl: SignedDuration,
    /// How long after rotation a just-rotated refresh token may still be exchanged once.
    pub refresh_grace: SignedDuration,
    /// Cancel/reschedule cut-off policy.
    pub cancel_policy: CancelPolicy,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Lifetime of a video token.
    pub video_token_ttl: SignedDuration,
    /// Agora credentials, if configured.
    pub agora: Option<AgoraConfig>,
    /// Failed logins per account within the window before throttling.
    pub login_failures_per_account: u32,
    /// Failed logins per client address within the window before throttling.
    pub login_failures_per_address: u32,
    /// The throttling window.
    pub login_window: SignedDuration,
}

impl Config {
    /// Defaults suitable for production-like runs, for a database at `db_path`.
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        Self {
            db_path: db_path.into(),
            access_ttl: SignedDuration::from_mins(15),
            refresh_ttl: SignedDuration::from_hours(24 * 30),
            refresh_grace: SignedDuration::from_secs(10),
            cancel_policy: CancelPolicy::default(),
            max_body_bytes: 64 * 1024,
            video_token_ttl: SignedDuration::from_mins(10),
            agora: None,
            login_failures_per_account: 5,
            login_failures_per_address: 30,
            login_window: SignedDuration::from_mins(15),
        }
    }
}
