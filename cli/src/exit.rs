//! Exit codes: one per family of errors (`CoreError::kind()`), documented in `psyter --help`.

use psyter_core::{CoreError, ErrorKind};

/// Success; also for actions queued while offline (the output says they are pending).
pub const OK: u8 = 0;
/// Bad command line (clap's own code).
pub const USAGE: u8 = 2;
/// Offline, network failure or timeout.
pub const OFFLINE: u8 = 3;
/// The server's state disagrees (e.g. slot_taken, unsent_actions).
pub const CONFLICT: u8 = 4;
/// Invalid input or a policy forbids it (e.g. cancel_cutoff).
pub const VALIDATION: u8 = 5;
/// Not signed in, locked, wrong password, or the session ended.
pub const AUTH: u8 = 6;
/// Not found.
pub const NOT_FOUND: u8 = 7;
/// The server failed or throttled.
pub const SERVER: u8 = 8;
/// This device (keychain, storage), transport security, or an internal error.
pub const DEVICE: u8 = 9;

/// Every exit code with its meaning, as printed in `psyter --help`.
pub const EXIT_CODES: &[(u8, &str)] = &[
    (OK, "ok (including actions queued while offline: the output says \"queued\"/pending)"),
    (USAGE, "usage: bad arguments"),
    (OFFLINE, "offline, network error or timeout"),
    (CONFLICT, "conflict with the server's state (slot_taken, unsent_actions, ...)"),
    (VALIDATION, "invalid input or forbidden by policy (cancel_cutoff, ...)"),
    (AUTH, "auth: not signed in, locked, wrong credentials, session ended"),
    (NOT_FOUND, "not found"),
    (SERVER, "server error or rate limited"),
    (DEVICE, "device (keychain, storage), transport security or internal error"),
];

/// The exit code of an error family.
pub fn code_for_kind(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Offline => OFFLINE,
        ErrorKind::Conflict => CONFLICT,
        ErrorKind::Validation | ErrorKind::Policy => VALIDATION,
        ErrorKind::Auth => AUTH,
        ErrorKind::NotFound => NOT_FOUND,
        ErrorKind::Server => SERVER,
        ErrorKind::Security | ErrorKind::Device | ErrorKind::Internal => DEVICE,
    }
}

/// The exit code of an error.
pub fn code_for(error: &CoreError) -> u8 {
    code_for_kind(error.kind())
}

/// The stable word for an error family, as in the JSON error's `kind`.
pub fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Offline => "offline",
        ErrorKind::Auth => "auth",
        ErrorKind::Conflict => "conflict",
        ErrorKind::Policy => "policy",
        ErrorKind::Validation => "validation",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Server => "server",
        ErrorKind::Security => "security",
        ErrorKind::Device => "device",
        ErrorKind::Internal => "internal",
    }
}

/// The long description of `psyter --help`, with the exit-code table.
pub fn long_about() -> String {
    let mut text = String::from(
        "Psyter telehealth client.\n\n\
         Every flow of the apps, scriptable: sign in, search providers, book, cancel, reschedule, sync.\n\
         Lists come from the encrypted offline cache; actions go through the durable outbox, so with\n\
         --offline (or without a network) they are queued and sent by a later command or `sync`.\n\
         With --json every command prints exactly one JSON document on stdout, errors included:\n\
         {\"error\": {\"code\": ..., \"kind\": ..., \"message\": ..., \"detail\": ...}}.\n\nExit codes:",
    );
    for (code, meaning) in EXIT_CODES {
        text.push_str(&format!("\n  {code}  {meaning}"));
    }
    text
}
