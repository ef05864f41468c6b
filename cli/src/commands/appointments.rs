//! `book`, `appointments ...`, `notes ...` and `history search`: lists from the cache, actions through
//! the core's outbox (queued when offline, which is success).

use jiff::Timestamp;
use psyter_core::cache::{AppointmentFilter, OutboxKind, OutboxState};
use psyter_core::i18n::Arg;
use psyter_core::{ActionOutcome, AppointmentView, BookOutcome, CoreError};
use psyter_domain::{AppointmentId, SlotStatus};
use serde_json::{Value, json};

use crate::args::{AppointmentsCommand, BookArgs, HistoryCommand, ListArgs, NotesCommand};
use crate::context::{Context, read_stdin_all};
use crate::output::{Rendered, Ui, appointment_json, pending_json};

/// `book`: books a given start or the first free slot; prints Booked or Queued (pending).
pub async fn book(ctx: &Context, ui: &Ui, args: &BookArgs) -> Result<Rendered, CoreError> {
    let start = match args.start {
        Some(start) => start,
        None => first_free(ctx, args).await?,
    };
    let outcome = ctx.psyter.appointments().book(args.provider_id, start, &args.reason).await?;
    let (view, queued) = match outcome {
        BookOutcome::Booked(appointment) => (AppointmentView { appointment, pending: None }, false),
        BookOutcome::Queued(view) => (view, true),
    };
    let a = &view.appointment;
    let args = [("provider", Arg::from(&a.provider_name)), ("when", Arg::from(ui.datetime(a.start)))];
    let (head, sentence) = match (&view.pending, queued) {
        (Some(p), true) => {
            (format!("Queued (pending): outbox #{}", p.outbox_id), ui.msg("booking-queued-offline", &args))
        }
        _ => (format!("Booked: {}", a.id), ui.msg("booked-confirmation", &args)),
    };
    let json = json!({
        "outcome": if queued { "queued" } else { "booked" },
        "outbox_id": view.pending.as_ref().map(|p| p.outbox_id),
        "appointment": appointment_json(&view),
    });
    Ok(Rendered::new(json, vec![head, sentence, ui.appointment_line(&view)]))
}

/// The first free slot of the provider that has not started (asks the server).
async fn first_free(ctx: &Context, args: &BookArgs) -> Result<Timestamp, CoreError> {
    ctx.require_online()?;
    let list = ctx.psyter.providers().slots(args.provider_id, args.from, args.to).await?;
    let now = Timestamp::now();
    list.slots.iter().find(|s| s.status == SlotStatus::Free && s.start > now).map(|s| s.start).ok_or_else(|| {
        CoreError::Conflict {
            code: "no_free_slot".into(),
            detail: "the provider has no free slot in that range".into(),
        }
    })
}

/// `appointments ...`.
pub async fn appointments(ctx: &Context, ui: &Ui, cmd: &AppointmentsCommand) -> Result<Rendered, CoreError> {
    let appts = ctx.psyter.appointments();
    match cmd {
        AppointmentsCommand::List(args) => list(ctx, ui, args).await,
        AppointmentsCommand::Show { id } => {
            let view = appts.get(*id).await?;
            let calls = appts.calls(*id).await?;
            let mut human = ui.appointment_detail(&view);
            for call in &calls {
                let minutes = call.duration_ms().map_or(0, |ms| ms / 60_000);
                let when = call.connected_at.map_or_else(|| "-".to_owned(), |t| ui.datetime(t));
                human.push(format!(
                    "video call: {when}, {minutes} min, {} reconnection(s), audio-only {} s",
                    call.reconnections,
                    call.audio_only_ms / 1000
                ));
            }
            let json = json!({ "appointment": appointment_json(&view), "calls": calls });
            Ok(Rendered::new(json, human))
        }
        AppointmentsCommand::Cancel { id, reason } => {
            let outcome = appts.cancel(*id, reason).await?;
            let texts = (ui.msg("cancelled-confirmation", &[]), ui.msg("cancel-queued-offline", &[]));
            Ok(action(ctx, ui, *id, outcome, texts).await)
        }
        AppointmentsCommand::Reschedule { id, start } => {
            let outcome = appts.reschedule(*id, *start).await?;
            let texts = (
                format!("Rescheduled to {}.", ui.datetime(*start)),
                format!("The move to {} will be sent when you reconnect.", ui.datetime(*start)),
            );
            Ok(action(ctx, ui, *id, outcome, texts).await)
        }
        AppointmentsCommand::Status { id, action: status } => {
            let action_word = psyter_domain::wire::StatusAction::from(*status);
            let outcome = appts.set_status(*id, action_word).await?;
            let label = ui.status(action_word.into());
            let texts =
                (format!("Status set to {label}."), format!("The change to {label} will be sent when you reconnect."));
            Ok(action(ctx, ui, *id, outcome, texts).await)
        }
        AppointmentsCommand::Pending => pending(ctx, ui).await,
        AppointmentsCommand::Dismiss { outbox_id } => {
            appts.dismiss(*outbox_id).await?;
            Ok(Rendered::new(
                json!({ "dismissed": outbox_id }),
                vec![format!("Dismissed the refused action (outbox #{outbox_id}).")],
            ))
        }
    }
}

/// The result of an action on appointment `id`: Applied or Queued (pending), and the appointment now.
async fn action(
    ctx: &Context,
    ui: &Ui,
    id: AppointmentId,
    outcome: ActionOutcome,
    (applied, queued): (String, String),
) -> Rendered {
    let view = ctx.psyter.appointments().get(id).await.ok();
    let (word, outbox_id, head, sentence) = match outcome {
        ActionOutcome::Applied => ("applied", None, "Applied.".to_owned(), applied),
        ActionOutcome::Queued { outbox_id } => {
            ("queued", Some(outbox_id), format!("Queued (pending): outbox #{outbox_id}"), queued)
        }
    };
    let mut human = vec![head, sentence];
    human.extend(view.as_ref().map(|v| ui.appointment_line(v)));
    let json = json!({
        "outcome": word,
        "outbox_id": outbox_id,
        "appointment": view.as_ref().map_or(Value::Null, appointment_json),
    });
    Rendered::new(json, human)
}

/// `appointments list`: a page of upcoming (or past) appointments from the cache.
async fn list(ctx: &Context, ui: &Ui, args: &ListArgs) -> Result<Rendered, CoreError> {
    let filter =
        AppointmentFilter { statuses: args.status.clone(), provider_id: args.provider, from: args.from, to: args.to };
    let appts = ctx.psyter.appointments();
    let limit = usize::from(args.limit);
    let page = if args.past {
        appts.past(&filter, limit, args.cursor.as_deref()).await?
    } else {
        appts.upcoming(&filter, limit, args.cursor.as_deref()).await?
    };
    let heading = ui.msg(if args.past { "history-heading" } else { "upcoming-heading" }, &[]);
    let count = ui.msg("appointments-count", &[("count", Arg::from(page.items.len()))]);
    let mut human = vec![format!("{heading}: {count}")];
    human.extend(page.items.iter().map(|v| ui.appointment_line(v)));
    if let Some(next) = &page.next {
        human.push(format!("more: --cursor {next}"));
    }
    let json = json!({
        "past": args.past,
        "items": page.items.iter().map(appointment_json).collect::<Vec<_>>(),
        "next_cursor": page.next,
    });
    Ok(Rendered::new(json, human))
}

/// `appointments pending`: the outbox's unapplied actions and the appointment each is about.
async fn pending(ctx: &Context, ui: &Ui) -> Result<Rendered, CoreError> {
    let actions = ctx.psyter.appointments().pending_actions().await?;
    let refused = actions.iter().filter(|p| p.state == OutboxState::Failed).count();
    let waiting = actions.len() - refused;
    let mut human = vec![ui.msg("sync-pending-actions", &[("count", Arg::from(waiting))])];
    if refused > 0 {
        human.push(format!("{refused} refused by the server (dismiss with `psyter appointments dismiss OUTBOX_ID`)"));
    }
    let mut items = Vec::new();
    for p in &actions {
        human.push(format!("#{}  {} on {}", p.outbox_id, ui.pending_label(p), p.appointment_id));
        items.push(pending_json(p));
    }
    Ok(Rendered::new(json!({ "items": items }), human))
}

/// `notes ...`.
pub async fn notes(ctx: &Context, ui: &Ui, cmd: &NotesCommand) -> Result<Rendered, CoreError> {
    let appts = ctx.psyter.appointments();
    match cmd {
        NotesCommand::Show { id } => {
            let view = appts.get(*id).await?;
            let note = appts.note(*id).await?;
            let mut human = match &note {
                Some(n) => {
                    let mut lines = vec![format!("Note of {id}, updated {}:", ui.datetime(n.updated_at))];
                    lines.extend(n.text.lines().map(str::to_owned));
                    lines
                }
                None => vec![format!("No note on {id}.")],
            };
            // A note change not yet applied by the server is not in the cached note.
            let pending = view.pending.filter(|p| p.kind == OutboxKind::Note);
            human.extend(pending.as_ref().map(|p| format!("({}: not shown above yet)", ui.pending_label(p))));
            let json = json!({
                "appointment_id": id,
                "note": note,
                "pending": pending.as_ref().map_or(Value::Null, pending_json),
            });
            Ok(Rendered::new(json, human))
        }
        NotesCommand::Set { id, text, stdin } => {
            let text = if *stdin { read_stdin_all()? } else { text.clone().unwrap_or_default() };
            let outcome = appts.write_note(*id, &text).await?;
            let texts = if text.is_empty() {
                ("Note deleted.".to_owned(), "The note's deletion will be sent when you reconnect.".to_owned())
            } else {
                ("Note saved.".to_owned(), "The note will be sent when you reconnect.".to_owned())
            };
            Ok(action(ctx, ui, *id, outcome, texts).await)
        }
    }
}

/// `history search`: full-text search over the cached history, latest first.
pub async fn history(ctx: &Context, ui: &Ui, cmd: &HistoryCommand) -> Result<Rendered, CoreError> {
    match cmd {
        HistoryCommand::Search { query, limit } => {
            let items = ctx.psyter.appointments().search(query, usize::from(*limit)).await?;
            let mut human = vec![ui.msg("appointments-count", &[("count", Arg::from(items.len()))])];
            human.extend(items.iter().map(|v| ui.appointment_line(v)));
            let json = json!({ "items": items.iter().map(appointment_json).collect::<Vec<_>>() });
            Ok(Rendered::new(json, human))
        }
    }
}
