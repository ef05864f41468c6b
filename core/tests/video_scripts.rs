//! Every recorded engine sequence in `tests/video-scripts/` (one per Agora vocabulary and failure mode)
//! replayed through the call state machine with its timing; each file's `# expect:` line says where the
//! call must end up. The same files drive `psyter video join --script` for QA.

use std::path::PathBuf;

use jiff::{SignedDuration, Timestamp};
use psyter_core::video::fake::parse_script;
use psyter_core::video::{CallMachine, CallState, Credentials, Effect, Input, JoinParams, VideoPolicy};

fn scripts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/video-scripts")
}

fn t0() -> Timestamp {
    "2030-05-01T09:00:00Z".parse().expect("t0")
}

/// Feeds one input; credentials are answered at once (a fresh hour-long token), as the server would.
fn feed(m: &mut CallMachine, input: Input, now: Timestamp) {
    let effects = m.handle(input, now);
    if effects.contains(&Effect::FetchCredentials) {
        let creds = Credentials {
            params: JoinParams { app_id: "app".into(), channel: "c".into(), token: "t".into(), uid: 1 },
            expires_at: now + SignedDuration::from_hours(1),
            window_ends_at: t0() + SignedDuration::from_hours(2),
        };
        feed(m, Input::Credentials(creds), now);
    }
}

/// Replays a script: join at t0, each event at its offset with the deadlines before it ticked, then
/// three more minutes of deadlines.
fn replay(text: &str) -> CallMachine {
    let mut m = CallMachine::new(VideoPolicy::default(), t0(), t0() + SignedDuration::from_hours(2));
    feed(&mut m, Input::Join, t0());
    let mut steps: Vec<(Timestamp, Option<Input>)> = parse_script(text)
        .expect("script parses")
        .into_iter()
        .map(|s| (t0() + SignedDuration::try_from(s.after).expect("offset"), Some(Input::Engine(s.event))))
        .collect();
    let last = steps.last().map_or(t0(), |(at, _)| *at);
    steps.push((last + SignedDuration::from_mins(3), None));
    for (at, input) in steps {
        while let Some(deadline) = m.next_deadline().filter(|d| *d <= at) {
            feed(&mut m, Input::Tick, deadline);
        }
        if let Some(input) = input {
            feed(&mut m, input, at);
        }
    }
    m
}

#[test]
fn every_recorded_sequence_ends_where_its_file_says() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scripts_dir())
        .expect("tests/video-scripts")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "script"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    for file in files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let text = std::fs::read_to_string(&file).expect("read");
        let expect =
            text.lines().find_map(|l| l.strip_prefix("# expect:")).unwrap_or_else(|| panic!("{name}: no expect"));
        let m = replay(&text);
        for want in expect.split_whitespace() {
            match want {
                "connected" => assert_eq!(m.state(), CallState::Connected, "{name}"),
                "failed" => assert_eq!(m.state(), CallState::Failed, "{name}"),
                "audio-only" => assert!(m.audio_only(), "{name}"),
                w if w.starts_with("reconnections=") => {
                    assert_eq!(m.record().reconnections.to_string(), w["reconnections=".len()..], "{name}");
                }
                code => assert_eq!(m.reason().map(|r| r.code()), Some(code), "{name}"),
            }
        }
    }
}
