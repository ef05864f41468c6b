//! The command line: global options and every subcommand (clap derive).

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use jiff::{SignedDuration, Timestamp};
use psyter_domain::wire::StatusAction;
use psyter_domain::{AppointmentId, AppointmentStatus, Role, UserId};

use crate::exit;

/// The default server: the reference server on loopback.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8080";

/// `psyter`: the Psyter telehealth client on the command line.
#[derive(Parser, Debug, Clone)]
#[command(name = "psyter", version, about = "Psyter telehealth client", long_about = exit::long_about())]
pub struct Cli {
    /// Server base URL (HTTP only on loopback).
    #[arg(long, global = true, env = "PSYTER_SERVER", default_value = DEFAULT_SERVER)]
    pub server: String,
    /// Profile: one signed-in account per profile (a-z, 0-9, - and _).
    #[arg(long, global = true, env = "PSYTER_PROFILE", default_value = "default")]
    pub profile: String,
    /// Data directory [default: $XDG_DATA_HOME/psyter or ~/.local/share/psyter].
    #[arg(long, global = true, env = "PSYTER_DATA_DIR", value_name = "PATH")]
    pub data_dir: Option<PathBuf>,
    /// Machine output: exactly one JSON document on stdout (errors too).
    #[arg(long, global = true)]
    pub json: bool,
    /// Behave as if the device had no network: nothing is sent, actions are queued.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Language of human output, a BCP 47 tag or POSIX locale (falls back to $LANG, then en-US).
    #[arg(long, global = true, env = "LANG", value_name = "TAG")]
    pub lang: Option<String>,
    /// Log to stderr (-v info, -vv debug, -vvv trace; Psyter's own modules only).
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand.
#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Sign in (password from --password-stdin, $PSYTER_PASSWORD, or a prompt).
    Login(LoginArgs),
    /// Create an account and sign in to it.
    Register(RegisterArgs),
    /// Sign out and delete this profile's local data.
    Logout(LogoutArgs),
    /// Show the signed-in account.
    Whoami,
    /// Lock the session (later commands fail with exit 6 until `unlock`).
    Lock,
    /// Unlock the session with the account password.
    Unlock(UnlockArgs),
    /// Search and show providers.
    #[command(subcommand)]
    Providers(ProvidersCommand),
    /// Free slots of a provider.
    Slots(SlotsArgs),
    /// Book a slot (queued when offline).
    Book(BookArgs),
    /// List, show and act on appointments.
    #[command(subcommand, visible_alias = "appts")]
    Appointments(AppointmentsCommand),
    /// Session notes (providers).
    #[command(subcommand)]
    Notes(NotesCommand),
    /// Full-text search over the cached history.
    #[command(subcommand)]
    History(HistoryCommand),
    /// Send queued actions and pull the server's changes.
    Sync(SyncArgs),
    /// Appointment reminders.
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// Account and device settings.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Video consultations: the pre-call check and a scripted call (QA).
    #[command(subcommand)]
    Video(VideoCommand),
}

/// `video ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum VideoCommand {
    /// Run the pre-call check (devices and network) with the chosen engine.
    Check(VideoArgs),
    /// Join the consultation of an appointment and print the state timeline until it ends.
    Join(VideoJoinArgs),
}

/// The engine a video command uses.
#[derive(Args, Debug, Clone, PartialEq, Eq)]
pub struct VideoArgs {
    /// The appointment.
    pub id: AppointmentId,
    /// The media engine: `fake` (scripted; the only one a terminal can drive).
    #[arg(long, default_value = "fake", value_parser = ["fake"])]
    pub engine: String,
    /// The fake engine's script (`+<ms> <event>` lines; see core/src/video/fake.rs). Default: connect at once.
    #[arg(long)]
    pub script: Option<PathBuf>,
}

/// `video join` options.
#[derive(Args, Debug, Clone, PartialEq, Eq)]
pub struct VideoJoinArgs {
    /// The appointment and engine.
    #[command(flatten)]
    pub video: VideoArgs,
    /// Leave after this many seconds (the call also ends by itself: window end, failure).
    #[arg(long, default_value_t = 10)]
    pub leave_after: u64,
}

/// How a command gets the password.
#[derive(Args, Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordArgs {
    /// Read the password from the first line of stdin.
    #[arg(long)]
    pub password_stdin: bool,
}

/// `login`.
#[derive(Args, Debug, Clone)]
pub struct LoginArgs {
    /// Sign-in email.
    #[arg(long)]
    pub email: String,
    /// Password source.
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Six-digit TOTP code, when the account has two-step verification.
    #[arg(long, value_name = "CODE")]
    pub totp: Option<String>,
}

/// Account role at registration.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleArg {
    /// Books consultations.
    Patient,
    /// Offers consultations.
    Provider,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Patient => Role::Patient,
            RoleArg::Provider => Role::Provider,
        }
    }
}

/// `register`.
#[derive(Args, Debug, Clone)]
pub struct RegisterArgs {
    /// Sign-in email.
    #[arg(long)]
    pub email: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// Patient or provider.
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// IANA time zone (server default: UTC).
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Account locale: en-US or ar (server default: en-US).
    #[arg(long)]
    pub locale: Option<String>,
    /// Password source.
    #[command(flatten)]
    pub password: PasswordArgs,
}

/// `logout`.
#[derive(Args, Debug, Clone)]
pub struct LogoutArgs {
    /// Sign out even with actions still queued (they are lost).
    #[arg(long)]
    pub force: bool,
}

/// `unlock`.
#[derive(Args, Debug, Clone)]
pub struct UnlockArgs {
    /// Password source.
    #[command(flatten)]
    pub password: PasswordArgs,
    /// Six-digit TOTP code, when the account has two-step verification.
    #[arg(long, value_name = "CODE")]
    pub totp: Option<String>,
}

/// `providers ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum ProvidersCommand {
    /// Search the directory (offline: recent results from the cache).
    Search(ProviderSearchArgs),
    /// One provider's profile.
    Show {
        /// Provider id.
        #[arg(value_parser = parse_user_id)]
        id: UserId,
    },
}

/// `providers search`.
#[derive(Args, Debug, Clone)]
pub struct ProviderSearchArgs {
    /// Words matched against name, title, bio and specialties.
    pub query: Option<String>,
    /// Specialty slug, e.g. anxiety.
    #[arg(long)]
    pub specialty: Option<String>,
    /// Language tag, e.g. ar.
    #[arg(long)]
    pub language: Option<String>,
    /// Page size, 1 to 100.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub limit: Option<u32>,
    /// Cursor from the previous page.
    #[arg(long)]
    pub cursor: Option<String>,
}

/// `slots`.
#[derive(Args, Debug, Clone)]
pub struct SlotsArgs {
    /// Provider id.
    #[arg(value_parser = parse_user_id)]
    pub provider_id: UserId,
    /// Range start: RFC 3339 instant or +DURATION from now (server default: now).
    #[arg(long, value_parser = parse_time)]
    pub from: Option<Timestamp>,
    /// Range end: RFC 3339 instant or +DURATION from now (server default: 14 days on).
    #[arg(long, value_parser = parse_time)]
    pub to: Option<Timestamp>,
    /// Show at most this many slots.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// `book`.
#[derive(Args, Debug, Clone)]
pub struct BookArgs {
    /// Provider id.
    #[arg(value_parser = parse_user_id)]
    pub provider_id: UserId,
    /// Slot start as an RFC 3339 instant (see `slots`).
    #[arg(value_parser = parse_instant, required_unless_present = "first_free", conflicts_with = "first_free")]
    pub start: Option<Timestamp>,
    /// Book the provider's first free slot (in --from/--to when given). Needs the network.
    #[arg(long)]
    pub first_free: bool,
    /// With --first-free: earliest start, RFC 3339 or +DURATION (e.g. +25h to stay outside the cut-off).
    #[arg(long, value_parser = parse_time, conflicts_with = "start")]
    pub from: Option<Timestamp>,
    /// With --first-free: latest start, RFC 3339 or +DURATION.
    #[arg(long, value_parser = parse_time, conflicts_with = "start")]
    pub to: Option<Timestamp>,
    /// Reason for the visit.
    #[arg(long, default_value = "")]
    pub reason: String,
}

/// `appointments ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum AppointmentsCommand {
    /// Upcoming appointments (or --past), from the cache.
    #[command(visible_alias = "ls")]
    List(ListArgs),
    /// One appointment from the cache.
    Show {
        /// Appointment id.
        #[arg(value_parser = parse_appointment_id)]
        id: AppointmentId,
    },
    /// Cancel (queued when offline).
    Cancel {
        /// Appointment id.
        #[arg(value_parser = parse_appointment_id)]
        id: AppointmentId,
        /// Why.
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Move to another slot (queued when offline).
    Reschedule {
        /// Appointment id.
        #[arg(value_parser = parse_appointment_id)]
        id: AppointmentId,
        /// New slot start as an RFC 3339 instant.
        #[arg(value_parser = parse_instant)]
        start: Timestamp,
    },
    /// A provider's status action (queued when offline).
    Status {
        /// Appointment id.
        #[arg(value_parser = parse_appointment_id)]
        id: AppointmentId,
        /// The new status.
        #[arg(value_enum)]
        action: StatusArg,
    },
    /// Actions the server has not applied yet (queued, sending or refused).
    Pending,
    /// Forget a refused action.
    Dismiss {
        /// Outbox id, from `appointments pending`.
        outbox_id: i64,
    },
}

/// `appointments list`.
#[derive(Args, Debug, Clone, Default)]
pub struct ListArgs {
    /// Past appointments, latest first, instead of upcoming ones.
    #[arg(long)]
    pub past: bool,
    /// Only these statuses (repeat or comma-separate).
    #[arg(long, value_parser = parse_status, value_delimiter = ',')]
    pub status: Vec<AppointmentStatus>,
    /// Only with this provider.
    #[arg(long, value_parser = parse_user_id)]
    pub provider: Option<UserId>,
    /// Only starting at or after: RFC 3339 or +DURATION.
    #[arg(long, value_parser = parse_time)]
    pub from: Option<Timestamp>,
    /// Only starting before: RFC 3339 or +DURATION.
    #[arg(long, value_parser = parse_time)]
    pub to: Option<Timestamp>,
    /// Page size, 1 to 500.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=500))]
    pub limit: u16,
    /// Cursor from the previous page.
    #[arg(long)]
    pub cursor: Option<String>,
}

/// A provider's status action.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusArg {
    /// The patient arrived.
    Arrived,
    /// The session took place.
    Fulfilled,
    /// The patient did not come.
    Noshow,
    /// Created by mistake.
    EnteredInError,
}

impl From<StatusArg> for StatusAction {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::Arrived => StatusAction::Arrived,
            StatusArg::Fulfilled => StatusAction::Fulfilled,
            StatusArg::Noshow => StatusAction::Noshow,
            StatusArg::EnteredInError => StatusAction::EnteredInError,
        }
    }
}

/// `notes ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum NotesCommand {
    /// Show the session note of an appointment (from the cache).
    Show {
        /// Appointment id.
        #[arg(value_parser = parse_appointment_id)]
        id: AppointmentId,
    },
    /// Write the session note; empty text deletes it (queued when offline).
    Set {
        /// Appointment id.
        #[arg(value_parser = parse_appointment_id)]
        id: AppointmentId,
        /// The note text (or use --stdin, which keeps it out of the process list).
        #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
        text: Option<String>,
        /// Read the note text from stdin (all of it).
        #[arg(long)]
        stdin: bool,
    },
}

/// `history ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum HistoryCommand {
    /// Every word must prefix a word of the provider name, reason or note.
    Search {
        /// Search words.
        query: String,
        /// At most this many results, 1 to 500.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=500))]
        limit: u16,
    },
}

/// `sync`.
#[derive(Args, Debug, Clone)]
pub struct SyncArgs {
    /// Run the background loop for this many seconds, printing events, instead of one run.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub watch: Option<u64>,
    /// With --watch: seconds between runs.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3_600), requires = "watch")]
    pub interval: u64,
}

/// `reminders ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum RemindersCommand {
    /// Re-plan reminders from the cache and show them.
    Plan,
    /// Show the reminders currently planned.
    List,
}

/// `settings ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum SettingsCommand {
    /// Account settings (as last seen) and device settings.
    Show,
    /// Change settings (account settings need the network).
    Set(SettingsSetArgs),
}

/// `settings set`.
#[derive(Args, Debug, Clone, Default)]
#[command(group = clap::ArgGroup::new("change").required(true).multiple(true))]
pub struct SettingsSetArgs {
    /// Account locale: en-US or ar.
    #[arg(long, group = "change")]
    pub locale: Option<String>,
    /// Account IANA time zone.
    #[arg(long, value_name = "ZONE", group = "change")]
    pub time_zone: Option<String>,
    /// Reminder offsets in minutes, comma-separated (e.g. 1440,60).
    #[arg(long, value_name = "MINUTES", value_delimiter = ',', num_args = 1.., group = "change")]
    pub reminders: Option<Vec<u32>>,
    /// Idle seconds before this device locks the session (0: never).
    #[arg(long, value_name = "SECS", group = "change")]
    pub auto_lock: Option<u64>,
}

/// Parses a user (provider) id.
pub fn parse_user_id(s: &str) -> Result<UserId, String> {
    s.trim().parse().map_err(|_| format!("`{s}` is not a valid id (a UUID)"))
}

/// Parses an appointment id.
pub fn parse_appointment_id(s: &str) -> Result<AppointmentId, String> {
    s.trim().parse().map_err(|_| format!("`{s}` is not a valid appointment id (a UUID)"))
}

/// Parses an appointment status word (FHIR, e.g. booked, cancelled, entered-in-error).
pub fn parse_status(s: &str) -> Result<AppointmentStatus, String> {
    let words: Vec<&str> = AppointmentStatus::ALL.iter().map(|st| st.as_str()).collect();
    s.trim().parse().map_err(|_| format!("`{s}` is not a status; one of: {}", words.join(", ")))
}

/// Parses an RFC 3339 instant, e.g. 2026-03-01T09:00:00Z.
pub fn parse_instant(s: &str) -> Result<Timestamp, String> {
    s.trim().parse().map_err(|_| format!("`{s}` is not an RFC 3339 instant (e.g. 2026-03-01T09:00:00Z)"))
}

/// Parses an RFC 3339 instant, or `+DURATION` from now (`+25h`, `+2d`, `+90m`, `+P1DT2H`).
pub fn parse_time(s: &str) -> Result<Timestamp, String> {
    parse_time_at(s, Timestamp::now())
}

/// [`parse_time`] relative to `now`.
pub fn parse_time_at(s: &str, now: Timestamp) -> Result<Timestamp, String> {
    let s = s.trim();
    let Some(rel) = s.strip_prefix('+') else { return parse_instant(s) };
    let invalid = || format!("`+{rel}` is not a duration (e.g. +25h, +2d, +90m)");
    let duration = match rel.parse::<SignedDuration>() {
        Ok(d) => d,
        Err(_) => {
            let span = rel.parse::<jiff::Span>().map_err(|_| invalid())?;
            span.to_duration(jiff::SpanRelativeTo::days_are_24_hours()).map_err(|_| invalid())?
        }
    };
    now.checked_add(duration).map_err(|_| invalid())
}
