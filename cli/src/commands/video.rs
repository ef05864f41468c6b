//! `video check` and `video join`: the pre-call check and a scripted consultation with the fake engine,
//! printing verdicts and the call's state timeline (for QA).

use std::sync::Arc;
use std::time::Duration;

use psyter_core::CoreError;
use psyter_core::video::fake::{FakeEngine, parse_script};
use psyter_core::video::{CallRecord, CheckItem, MediaEngine, Verdict, VideoPolicy};
use serde_json::{Value, json};

use crate::args::{VideoArgs, VideoCommand};
use crate::context::Context;
use crate::output::{Rendered, Ui};

/// What the fake engine does without a script: connect, see the other side, report good quality.
const DEFAULT_SCRIPT: &str = "+0 native 3 1\n+500 remote-joined 2\n+1000 quality 1 1\n";

/// `video ...`.
pub async fn video(ctx: &Context, ui: &Ui, cmd: &VideoCommand) -> Result<Rendered, CoreError> {
    match cmd {
        VideoCommand::Check(args) => check(ctx, ui, args).await,
        VideoCommand::Join(args) => join(ctx, ui, &args.video, Duration::from_secs(args.leave_after)).await,
    }
}

/// The engine named on the command line.
fn engine(args: &VideoArgs) -> Result<Arc<FakeEngine>, CoreError> {
    let text = match &args.script {
        Some(path) => std::fs::read_to_string(path).map_err(|e| CoreError::Validation {
            code: "invalid_script".into(),
            detail: format!("the script could not be read: {}", e.kind()),
        })?,
        None => DEFAULT_SCRIPT.to_owned(),
    };
    Ok(Arc::new(FakeEngine::new(parse_script(&text)?)))
}

fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Warn => "warn",
        Verdict::Fail => "fail",
    }
}

async fn check(ctx: &Context, _ui: &Ui, args: &VideoArgs) -> Result<Rendered, CoreError> {
    let engine: Arc<dyn MediaEngine> = engine(args)?;
    ctx.psyter.appointments().get(args.id).await?;
    let report = ctx.psyter.video().check(engine).await?;
    let mut human = vec![format!("Pre-call check: {}", verdict_word(report.overall()))];
    let mut items = Vec::new();
    for r in &report.items {
        let item = match r.item {
            CheckItem::Microphone => "microphone",
            CheckItem::Camera => "camera",
            CheckItem::Network => "network",
        };
        human.push(format!("  {item:<10} {:<4}  {}", verdict_word(r.verdict), r.message));
        items.push(json!({ "item": item, "verdict": verdict_word(r.verdict), "message_id": r.message_id, "message": r.message }));
    }
    Ok(Rendered::new(json!({ "overall": verdict_word(report.overall()), "items": items }), human))
}

async fn join(ctx: &Context, ui: &Ui, args: &VideoArgs, leave_after: Duration) -> Result<Rendered, CoreError> {
    let engine = engine(args)?;
    let call = ctx.psyter.video().join(args.id, engine.clone(), VideoPolicy::default()).await?;
    let mut view = call.view();
    let deadline = tokio::time::sleep(leave_after);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            () = &mut deadline => {
                call.leave();
                break;
            }
            changed = view.changed() => {
                if changed.is_err() || view.borrow().state.is_terminal() {
                    break;
                }
            }
        }
    }
    let record = call.finished().await?;
    let reason = view.borrow().reason.clone();
    Ok(Rendered::new(
        record_json(&record, reason.as_deref(), &engine.calls()),
        timeline(ui, &record, reason.as_deref()),
    ))
}

fn record_json(record: &CallRecord, reason: Option<&str>, engine_calls: &[String]) -> Value {
    json!({
        "reason": reason,
        "timeline": record.timeline.iter().map(|c| json!({ "at": c.at, "state": c.state })).collect::<Vec<_>>(),
        "connected_at": record.connected_at,
        "ended_at": record.ended_at,
        "duration_ms": record.duration_ms(),
        "reconnections": record.reconnections,
        "audio_only_ms": record.audio_only_ms,
        "quality": record.quality,
        "engine_calls": engine_calls,
    })
}

fn timeline(ui: &Ui, record: &CallRecord, reason: Option<&str>) -> Vec<String> {
    let mut lines = vec!["Call timeline:".to_owned()];
    for psyter_core::video::StateChange { at, state } in &record.timeline {
        lines.push(format!("  {}  {}", ui.datetime(*at), ui.msg(&format!("call-state-{state}"), &[])));
    }
    if let Some(reason) = reason {
        lines.push(ui.msg(&format!("call-reason-{}", reason.replace('_', "-")), &[]));
    }
    lines.push(format!("reconnections: {}, audio-only: {} s", record.reconnections, record.audio_only_ms / 1000));
    lines
}
