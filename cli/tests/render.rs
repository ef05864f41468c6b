//! Rendering of appointments (wire JSON plus `pending`), settings updates, usage errors and defaults.

use clap::Parser;
use jiff::Timestamp;
use psyter_cli::args::{Cli, SettingsSetArgs};
use psyter_cli::commands::settings_update;
use psyter_cli::context::data_dir_from;
use psyter_cli::output::{Ui, appointment_json};
use psyter_cli::{usage_json, wants_json};
use psyter_core::cache::{OutboxKind, OutboxState};
use psyter_core::{AppointmentView, PendingAction};
use psyter_domain::wire::Appointment;
use psyter_domain::{AppointmentId, AppointmentStatus, UserId};
use std::path::PathBuf;

fn appointment() -> Appointment {
    let start: Timestamp = "2026-11-24T08:00:00Z".parse().expect("ts");
    Appointment {
        id: AppointmentId::new(),
        patient_id: UserId::new(),
        patient_name: "Emily Carter".into(),
        provider_id: UserId::new(),
        provider_name: "Dr. Hannah Rahman".into(),
        provider_time_zone: "Europe/Berlin".into(),
        start,
        end: start + jiff::SignedDuration::from_mins(50),
        status: AppointmentStatus::Booked,
        reason: String::new(),
        cancel_reason: None,
        cancelled_by: None,
        price_cents: 13500,
        currency: "USD".into(),
        created_at: start,
        updated_at: start,
        version: 1,
    }
}

#[test]
fn appointments_are_the_wire_json_plus_pending() {
    let a = appointment();
    let wire = serde_json::to_value(&a).expect("json");
    let plain = appointment_json(&AppointmentView { appointment: a.clone(), pending: None });
    let mut expected = wire.clone();
    expected["pending"] = serde_json::Value::Null;
    assert_eq!(plain, expected);

    let pending = PendingAction {
        outbox_id: 4,
        appointment_id: "a-4".into(),
        kind: OutboxKind::Cancel,
        state: OutboxState::Failed,
        error_code: Some("cancel_cutoff".into()),
    };
    let doc = appointment_json(&AppointmentView { appointment: a, pending: Some(pending) });
    assert_eq!(doc["status"], "booked");
    assert_eq!(
        doc["pending"],
        serde_json::json!({ "outbox_id": 4, "appointment_id": "a-4", "kind": "cancel", "state": "failed", "error_code": "cancel_cutoff" })
    );
}

#[test]
fn human_lines_are_localised_in_the_users_zone() {
    let a = appointment();
    let mut ui = Ui::new(false, Some("en-US"));
    let view = AppointmentView {
        appointment: a.clone(),
        pending: Some(PendingAction {
            outbox_id: 2,
            appointment_id: "a-2".into(),
            kind: OutboxKind::Cancel,
            state: OutboxState::Queued,
            error_code: None,
        }),
    };
    let line = ui.appointment_line(&view);
    assert!(
        line.contains("Booked") && line.contains("Dr. Hannah Rahman") && line.contains("8:00") && line.contains("UTC"),
        "{line}"
    );
    assert!(line.contains("pending cancel") && line.contains("outbox #2"), "{line}");
    ui.zone = "America/New_York".into();
    assert!(ui.appointment_line(&view).contains("EST"), "{}", ui.appointment_line(&view));
    let ar = Ui::new(false, Some("ar_SA.UTF-8"));
    assert_eq!(ar.status(AppointmentStatus::Booked), "محجوز");
    // The provider sees the patient's name.
    ui.me = Some(a.provider_id);
    assert!(ui.appointment_line(&view).contains("Emily Carter"));
}

#[test]
fn settings_set_splits_account_and_device_changes() {
    assert!(settings_update(&SettingsSetArgs { auto_lock: Some(60), ..Default::default() }).is_none());
    let update = settings_update(&SettingsSetArgs {
        time_zone: Some("Asia/Riyadh".into()),
        reminders: Some(vec![1440, 60]),
        ..Default::default()
    })
    .expect("an account change");
    assert_eq!(update.time_zone.as_deref(), Some("Asia/Riyadh"));
    assert_eq!(update.reminder_minutes, Some(vec![1440, 60]));
    assert!(update.locale.is_none() && update.display_name.is_none());
}

#[test]
fn usage_errors_render_as_json_when_asked() {
    let raw: Vec<std::ffi::OsString> = ["psyter", "--json", "book", "x"].iter().map(Into::into).collect();
    assert!(wants_json(&raw));
    let raw: Vec<std::ffi::OsString> = ["psyter", "notes", "set", "x", "--", "--json"].iter().map(Into::into).collect();
    assert!(!wants_json(&raw));
    let error = Cli::try_parse_from(["psyter", "--json", "book", "not-an-id"]).expect_err("refused");
    let doc = usage_json(&error);
    assert_eq!((doc["error"]["code"].as_str(), doc["error"]["kind"].as_str()), (Some("usage"), Some("usage")));
    assert!(doc["error"]["message"].as_str().is_some_and(|m| m.contains("not-an-id")), "{doc}");
}

#[test]
fn the_default_data_dir_follows_xdg() {
    let dir = data_dir_from(Some(PathBuf::from("/x/data")), Some(PathBuf::from("/home/u"))).expect("dir");
    assert_eq!(dir, PathBuf::from("/x/data/psyter"));
    let dir = data_dir_from(Some(PathBuf::from("relative")), Some(PathBuf::from("/home/u"))).expect("dir");
    assert_eq!(dir, PathBuf::from("/home/u/.local/share/psyter"));
    let error = data_dir_from(None, None).expect_err("no dir");
    assert_eq!(error.code(), "no_data_dir");
}
