//! Argument parsing of every subcommand (clap `try_parse_from`), and what must be refused.

use clap::Parser;
use clap::error::ErrorKind as ClapKind;
use jiff::{SignedDuration, Timestamp};
use psyter_cli::args::*;
use psyter_domain::{AppointmentStatus, UserId};

const PROVIDER: &str = "01020000-0000-8000-8000-000000000005";
const APPT: &str = "01a201ab-d191-76c7-8031-fe73d8da9204";

fn parse(args: &[&str]) -> Cli {
    let mut argv = vec!["psyter"];
    argv.extend_from_slice(args);
    Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("{args:?} should parse: {e}"))
}

fn refuse(args: &[&str]) -> ClapKind {
    let mut argv = vec!["psyter"];
    argv.extend_from_slice(args);
    match Cli::try_parse_from(argv) {
        Ok(cli) => panic!("{args:?} should be refused, got {cli:?}"),
        Err(e) => {
            assert_eq!(e.exit_code(), 2, "{args:?}: {e}");
            e.kind()
        }
    }
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

#[test]
fn global_options_anywhere_and_defaults() {
    let cli = parse(&["whoami"]);
    assert!(!cli.json && !cli.offline);
    assert_eq!(cli.verbose, 0);
    assert!(matches!(cli.command, Command::Whoami));
    let cli = parse(&[
        "appointments",
        "list",
        "--json",
        "--offline",
        "--server",
        "http://127.0.0.1:9",
        "--profile",
        "qa-1",
        "--data-dir",
        "/tmp/x",
        "--lang",
        "ar",
        "-vv",
    ]);
    assert!(cli.json && cli.offline);
    assert_eq!(cli.server, "http://127.0.0.1:9");
    assert_eq!(cli.profile, "qa-1");
    assert_eq!(cli.data_dir.as_deref(), Some(std::path::Path::new("/tmp/x")));
    assert_eq!(cli.lang.as_deref(), Some("ar"));
    assert_eq!(cli.verbose, 2);
}

#[test]
fn account_commands() {
    let Command::Login(l) = parse(&["login", "--email", "a@b.co", "--password-stdin", "--totp", "123456"]).command
    else {
        panic!("login")
    };
    assert_eq!((l.email.as_str(), l.password.password_stdin, l.totp.as_deref()), ("a@b.co", true, Some("123456")));
    let Command::Login(l) = parse(&["login", "--email", "a@b.co"]).command else { panic!("login") };
    assert!(!l.password.password_stdin && l.totp.is_none());
    let Command::Register(r) =
        parse(&["register", "--email", "a@b.co", "--name", "A B", "--role", "provider", "--time-zone", "Asia/Riyadh"])
            .command
    else {
        panic!("register")
    };
    assert_eq!(r.role, RoleArg::Provider);
    assert_eq!(r.time_zone.as_deref(), Some("Asia/Riyadh"));
    let Command::Logout(o) = parse(&["logout", "--force"]).command else { panic!("logout") };
    assert!(o.force);
    assert!(matches!(parse(&["lock"]).command, Command::Lock));
    let Command::Unlock(u) = parse(&["unlock", "--password-stdin"]).command else { panic!("unlock") };
    assert!(u.password.password_stdin);
}

#[test]
fn passwords_are_never_arguments() {
    assert_eq!(refuse(&["login", "--email", "a@b.co", "--password", "secret"]), ClapKind::UnknownArgument);
    assert_eq!(refuse(&["login", "--email", "a@b.co", "secret"]), ClapKind::UnknownArgument);
    assert_eq!(refuse(&["register", "--email", "a@b.co", "--name", "A", "--role", "admin"]), ClapKind::InvalidValue);
    assert_eq!(refuse(&["login"]), ClapKind::MissingRequiredArgument);
}

#[test]
fn provider_commands() {
    let Command::Providers(ProvidersCommand::Search(s)) =
        parse(&["providers", "search", "anxiety", "--specialty", "ocd", "--language", "ar", "--limit", "5"]).command
    else {
        panic!("search")
    };
    assert_eq!(s.query.as_deref(), Some("anxiety"));
    assert_eq!((s.specialty.as_deref(), s.language.as_deref(), s.limit), (Some("ocd"), Some("ar"), Some(5)));
    assert!(matches!(parse(&["providers", "search"]).command, Command::Providers(ProvidersCommand::Search(_))));
    assert_eq!(refuse(&["providers", "search", "--limit", "0"]), ClapKind::ValueValidation);
    let Command::Providers(ProvidersCommand::Show { id }) = parse(&["providers", "show", PROVIDER]).command else {
        panic!("show")
    };
    assert_eq!(id.to_string(), PROVIDER);
    assert_eq!(refuse(&["providers", "show", "nope"]), ClapKind::ValueValidation);
    let Command::Slots(s) = parse(&[
        "slots",
        PROVIDER,
        "--from",
        "2026-11-23T00:00:00Z",
        "--to",
        "2026-11-30T00:00:00+03:00",
        "--limit",
        "3",
    ])
    .command
    else {
        panic!("slots")
    };
    assert_eq!(s.from, Some(ts("2026-11-23T00:00:00Z")));
    assert_eq!(s.to, Some(ts("2026-11-29T21:00:00Z")));
    assert_eq!(s.limit, 3);
    assert_eq!(refuse(&["slots", PROVIDER, "--from", "tomorrow"]), ClapKind::ValueValidation);
}

#[test]
fn book_takes_a_start_or_first_free() {
    let Command::Book(b) = parse(&["book", PROVIDER, "2026-11-24T08:00:00Z", "--reason", "sleep"]).command else {
        panic!("book")
    };
    assert_eq!(b.provider_id, PROVIDER.parse::<UserId>().expect("id"));
    assert_eq!((b.start, b.first_free, b.reason.as_str()), (Some(ts("2026-11-24T08:00:00Z")), false, "sleep"));
    let Command::Book(b) = parse(&["book", PROVIDER, "--first-free", "--from", "+25h"]).command else { panic!("book") };
    assert!(b.first_free && b.start.is_none() && b.from.is_some());
    assert_eq!(refuse(&["book", PROVIDER]), ClapKind::MissingRequiredArgument);
    assert_eq!(refuse(&["book", PROVIDER, "2026-11-24T08:00:00Z", "--first-free"]), ClapKind::ArgumentConflict);
    assert_eq!(refuse(&["book", PROVIDER, "2026-11-24T08:00:00Z", "--from", "+1h"]), ClapKind::ArgumentConflict);
    assert_eq!(refuse(&["book", PROVIDER, "+25h"]), ClapKind::ValueValidation);
}

#[test]
fn appointment_commands() {
    let Command::Appointments(AppointmentsCommand::List(l)) = parse(&[
        "appointments",
        "list",
        "--past",
        "--status",
        "booked,cancelled",
        "--status",
        "entered-in-error",
        "--provider",
        PROVIDER,
        "--from",
        "2026-01-01T00:00:00Z",
        "--to",
        "2027-01-01T00:00:00Z",
        "--limit",
        "50",
        "--cursor",
        "123_abc",
    ])
    .command
    else {
        panic!("list")
    };
    assert!(l.past);
    assert_eq!(
        l.status,
        vec![AppointmentStatus::Booked, AppointmentStatus::Cancelled, AppointmentStatus::EnteredInError]
    );
    assert_eq!((l.limit, l.cursor.as_deref()), (50, Some("123_abc")));
    let Command::Appointments(AppointmentsCommand::List(l)) = parse(&["appts", "ls"]).command else { panic!("ls") };
    assert!(!l.past && l.status.is_empty() && l.limit == 20);
    assert_eq!(refuse(&["appointments", "list", "--status", "done"]), ClapKind::ValueValidation);
    assert_eq!(refuse(&["appointments", "list", "--limit", "501"]), ClapKind::ValueValidation);

    assert!(matches!(
        parse(&["appointments", "show", APPT]).command,
        Command::Appointments(AppointmentsCommand::Show { .. })
    ));
    let Command::Appointments(AppointmentsCommand::Cancel { reason, .. }) =
        parse(&["appointments", "cancel", APPT, "--reason", "ill"]).command
    else {
        panic!("cancel")
    };
    assert_eq!(reason, "ill");
    let Command::Appointments(AppointmentsCommand::Reschedule { start, .. }) =
        parse(&["appointments", "reschedule", APPT, "2026-11-25T08:00:00Z"]).command
    else {
        panic!("reschedule")
    };
    assert_eq!(start, ts("2026-11-25T08:00:00Z"));
    for (word, want) in [
        ("arrived", StatusArg::Arrived),
        ("fulfilled", StatusArg::Fulfilled),
        ("noshow", StatusArg::Noshow),
        ("entered-in-error", StatusArg::EnteredInError),
    ] {
        let Command::Appointments(AppointmentsCommand::Status { action, .. }) =
            parse(&["appointments", "status", APPT, word]).command
        else {
            panic!("status")
        };
        assert_eq!(action, want);
    }
    assert_eq!(refuse(&["appointments", "status", APPT, "booked"]), ClapKind::InvalidValue);
    assert!(matches!(parse(&["appointments", "pending"]).command, Command::Appointments(AppointmentsCommand::Pending)));
    let Command::Appointments(AppointmentsCommand::Dismiss { outbox_id }) =
        parse(&["appointments", "dismiss", "7"]).command
    else {
        panic!("dismiss")
    };
    assert_eq!(outbox_id, 7);
    assert_eq!(refuse(&["appointments", "cancel", "not-a-uuid"]), ClapKind::ValueValidation);
}

#[test]
fn notes_history_sync_reminders_settings() {
    assert!(matches!(parse(&["notes", "show", APPT]).command, Command::Notes(NotesCommand::Show { .. })));
    let Command::Notes(NotesCommand::Set { text, stdin, .. }) = parse(&["notes", "set", APPT, ""]).command else {
        panic!("notes set")
    };
    assert_eq!((text.as_deref(), stdin), (Some(""), false));
    let Command::Notes(NotesCommand::Set { text, stdin, .. }) = parse(&["notes", "set", APPT, "--stdin"]).command
    else {
        panic!("notes set")
    };
    assert_eq!((text, stdin), (None, true));
    assert_eq!(refuse(&["notes", "set", APPT]), ClapKind::MissingRequiredArgument);

    let Command::History(HistoryCommand::Search { query, limit }) =
        parse(&["history", "search", "sleep", "--limit", "5"]).command
    else {
        panic!("history")
    };
    assert_eq!((query.as_str(), limit), ("sleep", 5));

    let Command::Sync(s) = parse(&["sync"]).command else { panic!("sync") };
    assert_eq!(s.watch, None);
    let Command::Sync(s) = parse(&["sync", "--watch", "30", "--interval", "2"]).command else { panic!("sync") };
    assert_eq!((s.watch, s.interval), (Some(30), 2));
    assert_eq!(refuse(&["sync", "--interval", "2"]), ClapKind::MissingRequiredArgument);

    assert!(matches!(parse(&["reminders", "plan"]).command, Command::Reminders(RemindersCommand::Plan)));
    assert!(matches!(parse(&["reminders", "list"]).command, Command::Reminders(RemindersCommand::List)));

    assert!(matches!(parse(&["settings", "show"]).command, Command::Settings(SettingsCommand::Show)));
    let Command::Settings(SettingsCommand::Set(s)) = parse(&[
        "settings",
        "set",
        "--locale",
        "ar",
        "--time-zone",
        "Asia/Riyadh",
        "--reminders",
        "1440,60",
        "--auto-lock",
        "0",
    ])
    .command
    else {
        panic!("settings set")
    };
    assert_eq!(s.locale.as_deref(), Some("ar"));
    assert_eq!(s.reminders, Some(vec![1440, 60]));
    assert_eq!(s.auto_lock, Some(0));
    assert_eq!(refuse(&["settings", "set"]), ClapKind::MissingRequiredArgument);
}

#[test]
fn times_are_rfc3339_or_relative() {
    let now = ts("2026-11-22T05:00:00Z");
    assert_eq!(parse_time_at("2026-11-23T08:00:00+03:00", now), Ok(ts("2026-11-23T05:00:00Z")));
    assert_eq!(parse_time_at("+25h", now), Ok(now + SignedDuration::from_hours(25)));
    assert_eq!(parse_time_at("+2d", now), Ok(now + SignedDuration::from_hours(48)));
    assert_eq!(parse_time_at("+90m", now), Ok(now + SignedDuration::from_mins(90)));
    assert_eq!(parse_time_at("+P1DT2H", now), Ok(now + SignedDuration::from_hours(26)));
    assert!(parse_time_at("+soon", now).is_err());
    assert!(parse_time_at("2026-11-23", now).is_err());
    assert!(parse_instant("+1h").is_err());
    assert!(parse_status("checked-in").is_ok());
}

#[test]
fn video_commands() {
    let id = "01a00000-0000-7000-8000-000000000001";
    match parse(&["video", "check", id]).command {
        Command::Video(VideoCommand::Check(a)) => assert_eq!((a.engine.as_str(), a.script), ("fake", None)),
        other => panic!("{other:?}"),
    }
    match parse(&["video", "join", id, "--script", "s.txt", "--leave-after", "3"]).command {
        Command::Video(VideoCommand::Join(a)) => {
            assert_eq!((a.leave_after, a.video.script.as_deref()), (3, Some(std::path::Path::new("s.txt"))));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(refuse(&["video", "join", id, "--engine", "agora"]), ClapKind::InvalidValue);
    assert_eq!(refuse(&["video", "check", "not-an-id"]), ClapKind::ValueValidation);
}
