//! Rendering: human text (localised) or exactly one JSON document per command, for results and errors.

use std::io::Write;

use jiff::Timestamp;
use psyter_core::cache::OutboxState;
use psyter_core::i18n::{Arg, Localizer};
use psyter_core::{AppointmentView, CoreError, PendingAction};
use psyter_domain::wire::{Appointment, Me};
use psyter_domain::{AppointmentStatus, ProviderProfile, UserId};
use serde_json::{Value, json};

use crate::exit;

/// What a command produced: its JSON document and its human lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The document printed with `--json`.
    pub json: Value,
    /// The lines printed otherwise.
    pub human: Vec<String>,
}

impl Rendered {
    /// A result from its JSON document and human lines.
    pub fn new(json: Value, human: Vec<String>) -> Self {
        Self { json, human }
    }
}

/// How output is written: JSON or localised human text, with the zone dates are shown in.
#[derive(Debug, Clone)]
pub struct Ui {
    /// Machine output.
    pub json: bool,
    /// Messages, statuses, errors and dates in the user's language (no bidi marks).
    pub l10n: Localizer,
    /// IANA zone dates are shown in: the account's when known, else UTC.
    pub zone: String,
    /// The signed-in user, when known (to name the other participant).
    pub me: Option<UserId>,
}

impl Ui {
    /// Output for `--json` or human text in the best locale for `lang` (a tag or `$LANG` value).
    pub fn new(json: bool, lang: Option<&str>) -> Self {
        let requested: Vec<&str> = lang.into_iter().filter(|l| !l.trim().is_empty()).collect();
        Self { json, l10n: Localizer::negotiate(&requested).with_isolating(false), zone: "UTC".into(), me: None }
    }

    /// Shows dates in the account's zone from now on.
    pub fn learn(&mut self, me: &Me) {
        self.zone = me.time_zone.clone();
        self.me = Some(me.id);
    }

    /// `ts` as a local date and time in `zone` (RFC 3339 if the zone is unknown).
    pub fn datetime_in(&self, ts: Timestamp, zone: &str) -> String {
        self.l10n.format_datetime(ts, zone).unwrap_or_else(|_| ts.to_string())
    }

    /// `ts` as a local date and time in the user's zone.
    pub fn datetime(&self, ts: Timestamp) -> String {
        self.datetime_in(ts, &self.zone)
    }

    /// The localised label of a status.
    pub fn status(&self, status: AppointmentStatus) -> String {
        self.l10n.message(&format!("status-{}", status.as_str()), &[])
    }

    /// A localised message.
    pub fn msg(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.l10n.message(id, args)
    }

    /// A progress line, printed at once in human mode (nothing in JSON mode).
    pub fn progress(&self, line: &str) {
        if !self.json {
            print_lines(&mut std::io::stdout().lock(), std::slice::from_ref(&line.to_owned()));
        }
    }

    /// Prints a command's result on stdout.
    pub fn emit(&self, rendered: &Rendered) {
        let mut out = std::io::stdout().lock();
        if self.json {
            print_json(&mut out, &rendered.json);
        } else {
            print_lines(&mut out, &rendered.human);
        }
    }

    /// Prints an error: JSON on stdout with `--json`, else a localised line on stderr.
    pub fn emit_error(&self, error: &CoreError) {
        if self.json {
            print_json(&mut std::io::stdout().lock(), &error_json(&self.l10n, error));
        } else {
            print_lines(&mut std::io::stderr().lock(), &error_human(&self.l10n, error));
        }
    }

    /// The other participant's name: the provider for a patient, the patient for a provider.
    pub fn other_party<'a>(&self, a: &'a Appointment) -> &'a str {
        if self.me == Some(a.provider_id) { &a.patient_name } else { &a.provider_name }
    }

    /// One appointment on one line: id, local start, status, other party, pending action.
    pub fn appointment_line(&self, view: &AppointmentView) -> String {
        let a = &view.appointment;
        let mut line =
            format!("{}  {}  {}  {}", a.id, self.datetime(a.start), self.status(a.status), self.other_party(a));
        if let Some(p) = &view.pending {
            line.push_str(&format!("  [{}]", self.pending_label(p)));
        }
        line
    }

    /// An appointment in full, one field per line.
    pub fn appointment_detail(&self, view: &AppointmentView) -> Vec<String> {
        let a = &view.appointment;
        let mut lines = vec![
            format!("id:         {}", a.id),
            format!("status:     {} ({})", self.status(a.status), a.status.as_str()),
            format!("provider:   {} ({})", a.provider_name, a.provider_id),
            format!("patient:    {} ({})", a.patient_name, a.patient_id),
            format!("start:      {}  [{}]", self.datetime(a.start), a.start),
            format!("end:        {}  [{}]", self.datetime(a.end), a.end),
            format!("provider's: {} ({})", self.datetime_in(a.start, &a.provider_time_zone), a.provider_time_zone),
            format!("price:      {} {}", money(a.price_cents), a.currency),
        ];
        if !a.reason.is_empty() {
            lines.push(format!("reason:     {}", a.reason));
        }
        if let Some(why) = &a.cancel_reason {
            let by = a.cancelled_by.map(|r| format!(" (by {})", r.as_str())).unwrap_or_default();
            lines.push(format!("cancelled:  {why}{by}"));
        }
        if let Some(p) = &view.pending {
            lines.push(format!("pending:    {}", self.pending_label(p)));
        }
        lines
    }

    /// "cancel: Waiting to send (outbox #3)", with the refusal code of a failed action.
    pub fn pending_label(&self, p: &PendingAction) -> String {
        let state = match p.state {
            OutboxState::Queued => self.msg("action-queued", &[]),
            OutboxState::Sending => self.msg("action-sending", &[]),
            OutboxState::Failed => self.msg("action-failed", &[]),
            OutboxState::Done => "done".to_owned(),
        };
        let code = p.error_code.as_deref().map(|c| format!(": {c}")).unwrap_or_default();
        format!("pending {}: {state}{code} (outbox #{})", p.kind.as_str(), p.outbox_id)
    }

    /// A provider on one line.
    pub fn provider_line(&self, p: &ProviderProfile) -> String {
        format!(
            "{}  {} — {}  [{}]  {} {}  ★{:.1} ({})  {} min  {}",
            p.id,
            p.display_name,
            p.title,
            p.specialties.join(", "),
            money(p.price_cents),
            p.currency,
            p.rating,
            p.rating_count,
            p.session_minutes,
            p.time_zone
        )
    }
}

/// Minor units as a decimal amount ("120.00").
pub fn money(cents: u32) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// The JSON of a pending action.
pub fn pending_json(p: &PendingAction) -> Value {
    json!({
        "outbox_id": p.outbox_id,
        "appointment_id": p.appointment_id,
        "kind": p.kind.as_str(),
        "state": p.state.as_str(),
        "error_code": p.error_code,
    })
}

/// The wire Appointment JSON with a `pending` member (null when nothing is pending).
pub fn appointment_json(view: &AppointmentView) -> Value {
    let mut value = serde_json::to_value(&view.appointment).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("pending".into(), view.pending.as_ref().map_or(Value::Null, pending_json));
    }
    value
}

/// The user-facing message of an error: the localised one for its code, or (for codes the bundles do
/// not know, such as `unsent_actions`) the error's own English text rather than a generic apology.
pub fn error_message(l10n: &Localizer, error: &CoreError) -> String {
    let id = format!("error-{}", error.code().replace('_', "-"));
    if l10n.has_message(&id) { l10n.error_message(error.code()) } else { error.to_string() }
}

/// `{"error": {"code", "kind", "message", "detail"}}`.
pub fn error_json(l10n: &Localizer, error: &CoreError) -> Value {
    json!({
        "error": {
            "code": error.code(),
            "kind": exit::kind_name(error.kind()),
            "message": error_message(l10n, error),
            "detail": error.to_string(),
        }
    })
}

/// The human lines of an error: the localised message with its code, then the technical detail.
pub fn error_human(l10n: &Localizer, error: &CoreError) -> Vec<String> {
    vec![format!("error: {} [{}]", error_message(l10n, error), error.code()), format!("  detail: {error}")]
}

/// `text` without Unicode bidi isolation marks (FSI, LRI, RLI, PDI), which the core puts around names in
/// texts meant for UIs (reminder notifications) and which terminals show as stray characters.
pub fn strip_isolates(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '\u{2066}'..='\u{2069}')).collect()
}

/// Writes one JSON document and a newline (a closed pipe is not an error worth reporting).
fn print_json(out: &mut impl Write, value: &Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    let _ = writeln!(out, "{text}");
}

fn print_lines(out: &mut impl Write, lines: &[String]) {
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
}
