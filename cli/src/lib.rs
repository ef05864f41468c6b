//! `psyter`, the Psyter command-line client: a thin, scriptable shell over `psyter-core`. Every command
//! opens one profile, does one thing through the core, and prints either localised human text or
//! exactly one JSON document (errors included); the exit code says which family of error happened.

pub mod args;
pub mod commands;
pub mod context;
pub mod exit;
pub mod output;

use std::ffi::OsString;
use std::io::IsTerminal;

use serde_json::json;

use crate::args::Cli;
use crate::output::Ui;

/// Runs a parsed command line and returns the process exit code.
pub async fn run(cli: Cli) -> u8 {
    let mut ui = Ui::new(cli.json, cli.lang.as_deref());
    match commands::run(&cli, &mut ui).await {
        Ok(rendered) => {
            ui.emit(&rendered);
            exit::OK
        }
        Err(error) => {
            tracing::debug!(code = error.code(), "the command failed");
            ui.emit_error(&error);
            exit::code_for(&error)
        }
    }
}

/// Whether the raw arguments ask for JSON output (looked at when parsing fails).
pub fn wants_json(raw: &[OsString]) -> bool {
    raw.iter().skip(1).take_while(|a| *a != "--").any(|a| a == "--json")
}

/// Reports a command line clap refused (or help and version, which are not errors) and returns the exit
/// code: clap's text on stderr (help on stdout), plus a JSON error on stdout with `--json`.
pub fn usage_error(error: &clap::Error, json: bool) -> u8 {
    use clap::error::ErrorKind;
    if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = error.print();
        return exit::OK;
    }
    let code = u8::try_from(error.exit_code()).unwrap_or(exit::USAGE);
    if json {
        let doc = usage_json(error);
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_else(|_| doc.to_string()));
    }
    let _ = error.print();
    code
}

/// The JSON error document of a refused command line.
pub fn usage_json(error: &clap::Error) -> serde_json::Value {
    let rendered = error.render().to_string();
    let first = rendered.lines().next().unwrap_or_default().trim_start_matches("error: ").to_owned();
    json!({ "error": { "code": "usage", "kind": "usage", "message": first, "detail": rendered.trim_end() } })
}

/// Sends logs to stderr when `-v` was given: Psyter's own modules at info (-v), debug (-vv) or trace
/// (-vvv), other crates at warn. The core never logs tokens, passwords or note text.
pub fn init_logging(verbose: u8) {
    if verbose == 0 {
        return;
    }
    let level = match verbose {
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::new(format!("warn,psyter_core={level},psyter_cli={level}"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
