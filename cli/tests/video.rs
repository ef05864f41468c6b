//! `psyter video check` and `psyter video join` as a QA script runs them: a real process against the
//! real server, the scripted fake engine, an appointment starting within minutes.

mod support;

use jiff::civil::Time;
use jiff::{SignedDuration, Timestamp};
use psyter_core::api::{ApiClient, ApiConfig};
use psyter_domain::wire::RegisterRequest;
use psyter_domain::{AvailabilityRules, Role, TimeRange, Weekday, WeeklyHours};
use support::*;

/// A provider bookable every 5 minutes, so the next slot starts inside the join window.
async fn provider_every_five_minutes(api: &ApiClient) -> String {
    let req = RegisterRequest {
        email: format!("video-{}@test.psyter.app", uuid::Uuid::new_v4().simple()),
        password: "correct horse battery".into(),
        display_name: "Dr. Vida Call".into(),
        role: Role::Provider,
        time_zone: Some("UTC".into()),
        locale: None,
    };
    let provider = api.register(&req).await.expect("register");
    let all_day = TimeRange { start: Time::midnight(), end: Time::midnight() };
    let rules = AvailabilityRules {
        time_zone: "UTC".into(),
        weekly: Weekday::ALL.into_iter().map(|day| WeeklyHours { day, range: all_day }).collect(),
        overrides: vec![],
        buffer_before_minutes: 0,
        buffer_after_minutes: 0,
        minimum_notice_minutes: 0,
        booking_window_days: 2,
        slot_interval_minutes: 5,
        session_minutes: 30,
        daily_limit: None,
    };
    api.put_availability(&provider.access_token, &rules).await.expect("availability");
    provider.user.id.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn video_check_and_a_scripted_call_print_verdicts_and_the_timeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = start_server(dir.path()).await;
    let api = ApiClient::new(ApiConfig::new(&server)).expect("api");
    let provider = provider_every_five_minutes(&api).await;
    let qa = Cli::new(&server);
    qa.login(DEMO_PATIENT).await;
    let (code, booked) = qa.run(&["book", &provider, "--first-free", "--reason", "video QA"]).await;
    assert_eq!(code, 0, "{booked}");
    let id = booked["appointment"]["id"].as_str().expect("id").to_owned();
    let start: Timestamp = booked["appointment"]["start"].as_str().expect("start").parse().expect("instant");
    assert!(start <= Timestamp::now() + SignedDuration::from_mins(10), "inside the join window");

    let (code, check) = qa.run(&["video", "check", &id]).await;
    assert_eq!((code, check["overall"].as_str()), (0, Some("pass")), "{check}");
    assert_eq!(check["items"].as_array().map(Vec::len), Some(3));

    let script = dir.path().join("drop-and-recover.script");
    std::fs::write(&script, "+0 native 3 1\n+300 native 4 2\n+600 native 3 15\n+700 quality 1 5\n").expect("script");
    let script = script.to_string_lossy().into_owned();
    let (code, call) = qa.run(&["video", "join", &id, "--script", &script, "--leave-after", "2"]).await;
    assert_eq!(code, 0, "{call}");
    let states: Vec<&str> =
        call["timeline"].as_array().expect("timeline").iter().filter_map(|t| t["state"].as_str()).collect();
    assert_eq!(states, ["joining", "connected", "reconnecting", "connected", "ended"], "{call}");
    assert_eq!((call["reason"].as_str(), call["reconnections"].as_u64()), (Some("call_left"), Some(1)), "{call}");
    let engine_calls = call["engine_calls"].as_array().expect("calls");
    assert_eq!(engine_calls.last().and_then(|c| c.as_str()), Some("leave"), "{call}");

    // The call is in the appointment's history.
    let (code, shown) = qa.run(&["appointments", "show", &id]).await;
    assert_eq!((code, shown["calls"].as_array().map(Vec::len)), (0, Some(1)), "{shown}");
    assert_eq!(shown["calls"][0]["reconnections"], 1, "{shown}");

    // Human output names the states in the chosen language.
    let mut plain = std::process::Command::new(env!("CARGO_BIN_EXE_psyter"));
    plain
        .args(["--lang", "ar", "--server", &qa.server, "--profile", &qa.profile, "--data-dir"])
        .arg(qa.data_dir.path())
        .args(["video", "join", &id, "--script", &script, "--leave-after", "1"]);
    let output = tokio::task::spawn_blocking(move || plain.output()).await.expect("join").expect("run");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("متصل"), "{text}");
}
