//! `reminders plan|list` and `settings show|set`.

use psyter_core::i18n::Arg;
use psyter_core::reminders::Reminder;
use psyter_core::{CoreError, LocalSettings};
use psyter_domain::wire::{Me, UpdateMe};
use serde_json::{Value, json};

use crate::args::{RemindersCommand, SettingsCommand, SettingsSetArgs};
use crate::context::Context;
use crate::output::{Rendered, Ui, strip_isolates};

/// `reminders ...`.
pub async fn reminders(ctx: &Context, ui: &Ui, cmd: &RemindersCommand) -> Result<Rendered, CoreError> {
    let reminders = ctx.psyter.reminders();
    let items = match cmd {
        RemindersCommand::Plan => {
            ctx.require_unlocked()?;
            reminders.replan().await?
        }
        RemindersCommand::List => reminders.scheduled().await?,
    };
    let mut human = vec![ui.msg("reminders-planned", &[("count", Arg::from(items.len()))])];
    human.extend(items.iter().map(|r| {
        let (title, body) = (strip_isolates(&r.title), strip_isolates(&r.body));
        format!("{}  ({} min before)  {title}: {body}  [{}]", ui.datetime(r.fire_at), r.minutes_before, r.id)
    }));
    let json = json!({ "time_zone": ui.zone, "items": items.iter().map(|r| reminder_json(ui, r)).collect::<Vec<_>>() });
    Ok(Rendered::new(json, human))
}

/// A reminder as JSON, with its fire time also in the user's zone.
fn reminder_json(ui: &Ui, r: &Reminder) -> Value {
    let mut value = serde_json::to_value(r).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("fire_at_local".into(), json!(ui.datetime(r.fire_at)));
    }
    value
}

/// `settings ...`.
pub async fn settings(ctx: &Context, ui: &mut Ui, cmd: &SettingsCommand) -> Result<Rendered, CoreError> {
    let settings = ctx.psyter.settings();
    match cmd {
        SettingsCommand::Show => {
            let me = settings.me().await?;
            let local = settings.local().await?;
            Ok(show(&me, &local))
        }
        SettingsCommand::Set(args) => {
            let me = match account_update(args) {
                Some(update) => {
                    // The core sends account changes without looking at the network hint.
                    ctx.require_online()?;
                    settings.update(&update).await?
                }
                None => settings.me().await?,
            };
            let local = match args.auto_lock {
                Some(secs) => settings.set_auto_lock(secs).await?,
                None => settings.local().await?,
            };
            ui.learn(&me);
            Ok(show(&me, &local))
        }
    }
}

/// The account part of `settings set`, if any.
pub fn account_update(args: &SettingsSetArgs) -> Option<UpdateMe> {
    let update = UpdateMe {
        display_name: None,
        locale: args.locale.clone(),
        time_zone: args.time_zone.clone(),
        reminder_minutes: args.reminders.clone(),
    };
    let any = update.locale.is_some() || update.time_zone.is_some() || update.reminder_minutes.is_some();
    any.then_some(update)
}

/// Account and device settings.
fn show(me: &Me, local: &LocalSettings) -> Rendered {
    let minutes: Vec<String> = me.reminder_minutes.iter().map(u32::to_string).collect();
    let auto_lock = if local.auto_lock_secs == 0 { "never".to_owned() } else { format!("{} s", local.auto_lock_secs) };
    let human = vec![
        format!("locale:     {}", me.locale),
        format!("time zone:  {}", me.time_zone),
        format!("reminders:  {} minutes before", minutes.join(", ")),
        format!("two-step:   {}", if me.totp_enabled { "on" } else { "off" }),
        format!("auto-lock:  {auto_lock} (this device)"),
        format!("biometric:  {} (this device)", if local.biometric { "on" } else { "off" }),
    ];
    Rendered::new(json!({ "account": me, "device": local }), human)
}
