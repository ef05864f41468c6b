//! One module per command group; `run` opens the profile and dispatches.

mod account;
mod appointments;
mod providers;
mod settings;
mod sync;
mod video;

use psyter_core::CoreError;

pub use settings::account_update as settings_update;

use crate::args::{Cli, Command};
use crate::context::Context;
use crate::output::{Rendered, Ui};

/// Opens the profile named on the command line and runs its command.
pub async fn run(cli: &Cli, ui: &mut Ui) -> Result<Rendered, CoreError> {
    let ctx = Context::open(cli).await?;
    if let Ok(me) = ctx.psyter.settings().me().await {
        ui.learn(&me);
    }
    match &cli.command {
        Command::Login(args) => account::login(&ctx, ui, args).await,
        Command::Register(args) => account::register(&ctx, ui, args).await,
        Command::Logout(args) => account::logout(&ctx, ui, args.force).await,
        Command::Whoami => account::whoami(&ctx, ui).await,
        Command::Lock => account::lock(&ctx, ui),
        Command::Unlock(args) => account::unlock(&ctx, ui, args).await,
        Command::Providers(cmd) => providers::providers(&ctx, ui, cmd).await,
        Command::Slots(args) => providers::slots(&ctx, ui, args).await,
        Command::Book(args) => appointments::book(&ctx, ui, args).await,
        Command::Appointments(cmd) => appointments::appointments(&ctx, ui, cmd).await,
        Command::Notes(cmd) => appointments::notes(&ctx, ui, cmd).await,
        Command::History(cmd) => appointments::history(&ctx, ui, cmd).await,
        Command::Sync(args) => sync::sync(&ctx, ui, args).await,
        Command::Reminders(cmd) => settings::reminders(&ctx, ui, cmd).await,
        Command::Settings(cmd) => settings::settings(&ctx, ui, cmd).await,
        Command::Video(cmd) => video::video(&ctx, ui, cmd).await,
    }
}
