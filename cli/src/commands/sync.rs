//! `sync`: one run (send the outbox, pull the feed), or the background loop for a while with its events.

use std::time::Duration;

use jiff::Timestamp;
use psyter_core::events::{CoreEvent, SyncActivity, SyncStatus};
use psyter_core::i18n::Arg;
use psyter_core::{CoreError, SessionPhase};
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use crate::args::SyncArgs;
use crate::context::Context;
use crate::output::{Rendered, Ui};

/// `sync [--watch SECS]`.
pub async fn sync(ctx: &Context, ui: &Ui, args: &SyncArgs) -> Result<Rendered, CoreError> {
    ctx.require_unlocked()?;
    match args.watch {
        None => once(ctx, ui).await,
        Some(secs) => watch(ctx, ui, Duration::from_secs(secs), Duration::from_secs(args.interval)).await,
    }
}

/// One run; prints the report.
async fn once(ctx: &Context, ui: &Ui) -> Result<Rendered, CoreError> {
    let report = ctx.psyter.sync().run().await?;
    let status = ctx.psyter.sync().status().borrow().clone();
    let mut human = vec![
        format!(
            "Synced: {} action(s) sent, {} refused, {} change(s) in {} page(s).",
            report.sent, report.refused, report.changes, report.pages
        ),
        ui.msg("sync-pending-actions", &[("count", Arg::from(status.pending_actions))]),
    ];
    if report.refused > 0 {
        human.push("Refused actions are listed by `psyter appointments pending`.".into());
    }
    let json = json!({
        "sent": report.sent,
        "refused": report.refused,
        "pages": report.pages,
        "changes": report.changes,
        "status": status_json(&status),
    });
    Ok(Rendered::new(json, human))
}

/// Runs the background loop for `duration`, printing each event as it happens.
async fn watch(ctx: &Context, ui: &Ui, duration: Duration, interval: Duration) -> Result<Rendered, CoreError> {
    let mut events = ctx.psyter.events();
    let sync_loop = ctx.psyter.sync().start(interval);
    let deadline = tokio::time::sleep(duration);
    tokio::pin!(deadline);
    let mut log = Vec::new();
    loop {
        tokio::select! {
            () = &mut deadline => break,
            received = events.recv() => match received {
                Ok(event) => {
                    let at = Timestamp::now();
                    let (value, text) = event_json(&event);
                    ui.progress(&format!("{}  {text}", ui.datetime(at)));
                    log.push(json!({ "at": at, "event": value }));
                }
                Err(RecvError::Lagged(skipped)) => {
                    ui.progress(&format!("({skipped} event(s) skipped)"));
                    log.push(json!({ "at": Timestamp::now(), "event": { "type": "skipped", "count": skipped } }));
                }
                Err(RecvError::Closed) => break,
            },
        }
    }
    sync_loop.stop();
    if ctx.psyter.phase() == SessionPhase::SignedOut {
        return Err(CoreError::SessionEnded);
    }
    let status = ctx.psyter.sync().status().borrow().clone();
    let human = vec![
        format!("Watched for {} s: {} event(s); now {}.", duration.as_secs(), log.len(), activity_text(ui, &status)),
        ui.msg("sync-pending-actions", &[("count", Arg::from(status.pending_actions))]),
    ];
    let json = json!({ "watched_secs": duration.as_secs(), "events": log, "status": status_json(&status) });
    Ok(Rendered::new(json, human))
}

/// The status as JSON.
fn status_json(status: &SyncStatus) -> Value {
    let (activity, code) = match &status.activity {
        SyncActivity::Idle => ("idle", None),
        SyncActivity::Syncing => ("syncing", None),
        SyncActivity::Offline => ("offline", None),
        SyncActivity::Failed { code } => ("failed", Some(code.clone())),
    };
    json!({
        "activity": activity,
        "error_code": code,
        "last_synced_at": status.last_synced_at,
        "pending_actions": status.pending_actions,
    })
}

/// The localised activity.
fn activity_text(ui: &Ui, status: &SyncStatus) -> String {
    match &status.activity {
        SyncActivity::Idle => ui.msg("sync-idle", &[]),
        SyncActivity::Syncing => ui.msg("sync-syncing", &[]),
        SyncActivity::Offline => ui.msg("sync-offline", &[]),
        SyncActivity::Failed { code } => format!("{} [{code}]", ui.msg("sync-error", &[])),
    }
}

/// An event as JSON (`type` plus its fields) and as one line of text.
pub fn event_json(event: &CoreEvent) -> (Value, String) {
    match event {
        CoreEvent::SessionEnded => (json!({ "type": "session_ended" }), "session ended".into()),
        CoreEvent::Locked => (json!({ "type": "locked" }), "locked".into()),
        CoreEvent::SyncStarted => (json!({ "type": "sync_started" }), "sync started".into()),
        CoreEvent::SyncProgress { pages, changes } => (
            json!({ "type": "sync_progress", "pages": pages, "changes": changes }),
            format!("sync progress: {pages} page(s), {changes} change(s)"),
        ),
        CoreEvent::SyncFinished { changes } => {
            (json!({ "type": "sync_finished", "changes": changes }), format!("sync finished: {changes} change(s)"))
        }
        CoreEvent::SyncFailed { code } => {
            (json!({ "type": "sync_failed", "code": code }), format!("sync failed: {code}"))
        }
        CoreEvent::OutboxChanged { pending } => {
            (json!({ "type": "outbox_changed", "pending": pending }), format!("outbox: {pending} pending"))
        }
        CoreEvent::ActionFailed { outbox_id, code } => (
            json!({ "type": "action_failed", "outbox_id": outbox_id, "code": code }),
            format!("action refused: outbox #{outbox_id}: {code}"),
        ),
        CoreEvent::CacheRebuilt => (json!({ "type": "cache_rebuilt" }), "cache rebuilt".into()),
        CoreEvent::OutboxLost => (json!({ "type": "outbox_lost" }), "outbox lost".into()),
        CoreEvent::RemindersPlanned { scheduled } => {
            (json!({ "type": "reminders_planned", "scheduled": scheduled }), format!("reminders planned: {scheduled}"))
        }
    }
}
