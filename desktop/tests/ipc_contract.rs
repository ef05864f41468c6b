//! The IPC contract, Rust side: real values of every type a command or event carries, serialised by
//! the same serde code the app uses, must match `tests/fixtures/ipc/*.json` byte for byte. The UI's
//! contract test parses the same files with its zod schemas, so a shape change on either side fails
//! a test. `PSYTER_UPDATE_FIXTURES=1 cargo test -p psyter-desktop --test ipc_contract` rewrites them.

use std::path::PathBuf;

use jiff::Timestamp;
use psyter_core::cache::{OutboxKind, OutboxState};
use psyter_core::events::{CoreEvent, SyncActivity, SyncStatus};
use psyter_core::reminders::Reminder;
use psyter_core::video::{
    CallRecord, CallState, CheckItem, CheckResult, ConnectionReason, EngineConnection, EngineEvent, JoinParams,
    PreCallReport, QualitySample, StateChange, Verdict,
};
use psyter_core::{
    ActionOutcome, AppointmentView, BookOutcome, CallView, ChangePolicy, CoreError, LocalSettings, PendingAction,
    ProviderResults, SessionPhase, Stats, SyncReport, UnlockMethod, ViewPage,
};
use psyter_desktop::{EngineCommand, IpcError};
use psyter_domain::wire::{Appointment, Me, Note, SlotList};
use psyter_domain::{
    AppointmentId, AppointmentStatus, AvailabilityRules, DateOverride, Gender, ProviderProfile, Role, Slot, SlotStatus,
    TimeRange, UserId, Weekday, WeeklyHours,
};
use serde::Serialize;
use serde_json::{Value, json};

fn at(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn uid(n: u8) -> UserId {
    format!("0195f3a2-7c4e-7000-8000-0000000000{n:02}").parse().expect("user id")
}

fn appointment() -> Appointment {
    Appointment {
        id: "0195f3a2-7c4e-7000-8000-000000000a01".parse::<AppointmentId>().expect("id"),
        patient_id: uid(1),
        patient_name: "Sara Ahmed".into(),
        provider_id: uid(2),
        provider_name: "Dr. Omar Khalil".into(),
        provider_time_zone: "Asia/Riyadh".into(),
        start: at("2026-11-24T07:00:00Z"),
        end: at("2026-11-24T07:50:00Z"),
        status: AppointmentStatus::Booked,
        reason: "Follow-up".into(),
        cancel_reason: None,
        cancelled_by: None,
        price_cents: 25000,
        currency: "SAR".into(),
        created_at: at("2026-11-20T10:00:00Z"),
        updated_at: at("2026-11-20T10:00:00Z"),
        version: 1,
    }
}

fn pending() -> PendingAction {
    PendingAction {
        outbox_id: 3,
        appointment_id: "0195f3a2-7c4e-7000-8000-000000000a01".into(),
        kind: OutboxKind::Cancel,
        state: OutboxState::Failed,
        error_code: Some("inside_cutoff".into()),
    }
}

fn provider() -> ProviderProfile {
    ProviderProfile {
        id: uid(2),
        display_name: "Dr. Omar Khalil".into(),
        title: "Clinical psychologist".into(),
        specialties: vec!["anxiety".into()],
        languages: vec!["ar".into(), "en".into()],
        gender: Gender::Male,
        price_cents: 25000,
        currency: "SAR".into(),
        rating: 4.5,
        rating_count: 12,
        bio: "Sessions by video.".into(),
        time_zone: "Asia/Riyadh".into(),
        session_minutes: 50,
    }
}

/// Every fixture: (file name, contract type name, value).
fn fixtures() -> Vec<(&'static str, &'static str, Value)> {
    fn v(x: impl Serialize) -> Value {
        serde_json::to_value(x).expect("serialises")
    }
    let view = AppointmentView { appointment: appointment(), pending: Some(pending()) };
    let rules = AvailabilityRules {
        time_zone: "Asia/Riyadh".into(),
        weekly: vec![WeeklyHours {
            day: Weekday::Monday,
            range: TimeRange { start: "09:00".parse().expect("time"), end: "17:00".parse().expect("time") },
        }],
        overrides: vec![DateOverride { date: "2026-12-01".parse().expect("date"), hours: vec![] }],
        buffer_before_minutes: 0,
        buffer_after_minutes: 10,
        minimum_notice_minutes: 120,
        booking_window_days: 30,
        slot_interval_minutes: 30,
        session_minutes: 50,
        daily_limit: Some(6),
    };
    let slot = Slot { start: at("2026-11-24T06:00:00Z"), end: at("2026-11-24T06:50:00Z"), status: SlotStatus::Free };
    let record = CallRecord {
        connected_at: Some(at("2026-11-24T07:01:00Z")),
        ended_at: Some(at("2026-11-24T07:45:00Z")),
        reconnections: 1,
        remote_joins: 2,
        audio_only_ms: 30_000,
        audio_only_since: None,
        timeline: vec![StateChange { at: at("2026-11-24T07:01:00Z"), state: "connected".into() }],
        quality: vec![QualitySample { at: at("2026-11-24T07:02:00Z"), uplink: 1, downlink: 2 }],
    };
    vec![
        (
            "me",
            "Me",
            v(Me {
                id: uid(2),
                email: "provider@demo.psyter.app".into(),
                display_name: "Dr. Omar Khalil".into(),
                role: Role::Provider,
                locale: "ar".into(),
                time_zone: "Asia/Riyadh".into(),
                reminder_minutes: vec![60, 1440],
                totp_enabled: false,
            }),
        ),
        (
            "provider_results",
            "ProviderResults",
            v(ProviderResults { items: vec![provider()], next_cursor: Some("c2".into()), from_cache: false }),
        ),
        (
            "slot_list",
            "SlotList",
            v(SlotList { provider_id: uid(2), time_zone: "Asia/Riyadh".into(), slots: vec![slot] }),
        ),
        ("availability_rules", "AvailabilityRules", v(&rules)),
        ("slots", "Slot[]", v(vec![slot])),
        ("view_page", "ViewPage", v(ViewPage { items: vec![view.clone()], next: None })),
        ("appointment_view", "AppointmentView", v(&view)),
        ("pending_actions", "PendingAction[]", v(vec![pending()])),
        ("book_booked", "BookOutcome", v(BookOutcome::Booked(appointment()))),
        ("book_queued", "BookOutcome", v(BookOutcome::Queued(view))),
        ("action_applied", "ActionOutcome", v(ActionOutcome::Applied)),
        ("action_queued", "ActionOutcome", v(ActionOutcome::Queued { outbox_id: 4 })),
        (
            "change_policy",
            "ChangePolicy",
            v(ChangePolicy {
                can_cancel: false,
                can_reschedule: false,
                cutoff: at("2026-11-23T07:00:00Z"),
                cancel_refusal: Some("inside_cutoff".into()),
                reschedule_refusal: Some("inside_cutoff".into()),
                can_join: true,
            }),
        ),
        (
            "note",
            "Note",
            v(Note {
                appointment_id: appointment().id,
                text: "Calmer this week.".into(),
                updated_at: at("2026-11-24T08:00:00Z"),
            }),
        ),
        ("call_records", "CallRecord[]", v(vec![record])),
        ("call_view", "CallView", v(CallView { state: CallState::Reconnecting, reason: None, audio_only: true })),
        (
            "precall_report",
            "PreCallReport",
            v(PreCallReport {
                items: vec![CheckResult {
                    item: CheckItem::Camera,
                    verdict: Verdict::Fail,
                    message_id: "precall-camera-denied".into(),
                    message: "Allow camera access".into(),
                }],
            }),
        ),
        (
            "sync_status_failed",
            "SyncStatus",
            v(SyncStatus {
                activity: SyncActivity::Failed { code: "server".into() },
                last_synced_at: Some(at("2026-11-22T09:00:00Z")),
                pending_actions: 2,
            }),
        ),
        (
            "sync_status_offline",
            "SyncStatus",
            v(SyncStatus { activity: SyncActivity::Offline, last_synced_at: None, pending_actions: 0 }),
        ),
        ("sync_report", "SyncReport", v(SyncReport { sent: 1, refused: 0, pages: 2, changes: 14 })),
        (
            "reminders",
            "Reminder[]",
            v(vec![Reminder {
                id: "r1".into(),
                appointment_id: "0195f3a2-7c4e-7000-8000-000000000a01".into(),
                fire_at: at("2026-11-24T06:00:00Z"),
                minutes_before: 60,
                title: "Consultation soon".into(),
                body: "In one hour".into(),
            }]),
        ),
        (
            "stats",
            "Stats",
            v(Stats {
                total: 3,
                by_status: [(AppointmentStatus::Fulfilled, 2), (AppointmentStatus::Noshow, 1)].into_iter().collect(),
                earnings_cents: 50000,
                currency: "SAR".into(),
            }),
        ),
        ("local_settings", "LocalSettings", v(LocalSettings { biometric: false, auto_lock_secs: 300 })),
        ("session_phase", "SessionPhase", v(SessionPhase::SignedOut)),
        ("unlock_method", "UnlockMethod", v(UnlockMethod::Password)),
        (
            "core_events",
            "CoreEvent[]",
            v(vec![
                CoreEvent::SessionEnded,
                CoreEvent::Locked,
                CoreEvent::SyncStarted,
                CoreEvent::SyncProgress { pages: 1, changes: 5 },
                CoreEvent::SyncFinished { changes: 5 },
                CoreEvent::SyncFailed { code: "offline".into() },
                CoreEvent::OutboxChanged { pending: 1 },
                CoreEvent::ActionFailed { outbox_id: 3, code: "slot_taken".into() },
                CoreEvent::CacheRebuilt,
                CoreEvent::OutboxLost,
                CoreEvent::RemindersPlanned { scheduled: 2 },
            ]),
        ),
        (
            "engine_commands",
            "EngineCommand[]",
            v(vec![
                EngineCommand::Join {
                    params: JoinParams {
                        app_id: "sandbox".into(),
                        channel: "appt-1".into(),
                        token: "sig".into(),
                        uid: 1,
                    },
                    engine: "sandbox",
                    server_url: "http://127.0.0.1:8080".into(),
                },
                EngineCommand::RenewToken { token: "sig2".into() },
                EngineCommand::SetAudioOnly { audio_only: true },
                EngineCommand::Leave,
            ]),
        ),
        (
            "engine_events",
            "EngineEvent[]",
            v(vec![
                EngineEvent::Connection { state: EngineConnection::Reconnecting, reason: ConnectionReason::Network },
                EngineEvent::Quality { uplink: 2, downlink: 5 },
                EngineEvent::RemotePublished { uid: 2, audio: true, video: false },
            ]),
        ),
        (
            "ipc_error",
            "IpcError",
            v(IpcError::from(CoreError::Validation { code: "invalid_email".into(), detail: "email".into() })),
        ),
    ]
}

#[test]
fn fixtures_match_what_the_app_serialises() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ipc");
    let update = std::env::var_os("PSYTER_UPDATE_FIXTURES").is_some();
    for (name, ty, value) in fixtures() {
        let text = serde_json::to_string_pretty(&json!({ "type": ty, "value": value })).expect("json") + "\n";
        let path = dir.join(format!("{name}.json"));
        if update {
            std::fs::create_dir_all(&dir).expect("fixture dir");
            std::fs::write(&path, &text).expect("write fixture");
        }
        let stored = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing: run with PSYTER_UPDATE_FIXTURES=1", path.display()));
        assert_eq!(stored, text, "{name}.json differs from what the app sends: the IPC contract changed");
    }
}

#[test]
fn instants_ids_and_statuses_use_the_contract_spellings() {
    let a = serde_json::to_value(appointment()).expect("json");
    assert_eq!(a["start"], "2026-11-24T07:00:00Z");
    assert_eq!(a["status"], "booked");
    let p = serde_json::to_value(pending()).expect("json");
    assert_eq!((p["kind"].as_str(), p["state"].as_str()), (Some("cancel"), Some("failed")));
    let e = serde_json::to_value(IpcError::from(CoreError::Offline)).expect("json");
    assert_eq!(e, json!({"code": "offline", "kind": "offline", "detail": null, "retry_after_secs": null}));
}
