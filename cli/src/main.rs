//! The `psyter` binary: parse, build the runtime, run, exit with the code of the outcome.

use std::process::ExitCode;

use clap::Parser;
use psyter_cli::args::Cli;

fn main() -> ExitCode {
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&raw) {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(psyter_cli::usage_error(&e, psyter_cli::wants_json(&raw))),
    };
    psyter_cli::init_logging(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(psyter_cli::exit::DEVICE);
        }
    };
    ExitCode::from(runtime.block_on(psyter_cli::run(cli)))
}
