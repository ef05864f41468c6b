//! The call state machine over scripted sequences in each Agora vocabulary (Web SDK and native), the
//! proactive renewal with a mock clock, the audio-only fallback, and properties over arbitrary input
//! orders: no panic, nothing after leave, leave always ends, no sequence wedges the session.

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use psyter_core::video::agora::{native_connection, quality, web_connection};
use psyter_core::video::{
    CallMachine, CallReason, CallState, Credentials, Device, Effect, EngineEvent, Input, JoinParams, VideoPolicy,
};

/// The appointment starts 5 minutes after `t0` and lasts 50 minutes; the window opens 10 minutes before.
fn t0() -> Timestamp {
    "2030-05-01T09:00:00Z".parse().expect("t0")
}

fn at(secs: i64) -> Timestamp {
    t0() + SignedDuration::from_secs(secs)
}

fn machine() -> CallMachine {
    CallMachine::new(VideoPolicy::default(), at(300), at(300 + 50 * 60))
}

fn creds(token: &str, expires_secs: i64) -> Credentials {
    Credentials {
        params: JoinParams { app_id: "app".into(), channel: "appt-1".into(), token: token.into(), uid: 7 },
        expires_at: at(expires_secs),
        window_ends_at: at(300 + 50 * 60),
    }
}

/// A machine driven to Connected with a token expiring at `expires_secs`; returns the states seen.
fn connected(expires_secs: i64) -> CallMachine {
    let mut m = machine();
    assert_eq!(m.handle(Input::Join, at(0)), [Effect::StateChanged(CallState::Joining), Effect::FetchCredentials]);
    let join = m.handle(Input::Credentials(creds("tok-1", expires_secs)), at(1));
    assert!(matches!(&join[..], [Effect::EngineJoin(p)] if p.token == "tok-1"), "{join:?}");
    assert!(m.handle(Input::Engine(web_connection("CONNECTING", None)), at(1)).is_empty());
    let fx = m.handle(Input::Engine(web_connection("CONNECTED", None)), at(2));
    assert_eq!(fx, [Effect::StateChanged(CallState::Connected)]);
    m
}

fn leaves(fx: &[Effect]) -> bool {
    fx.contains(&Effect::EngineLeave)
}

#[test]
fn web_happy_path_with_the_pre_call_check_and_a_clean_leave() {
    let mut m = machine();
    assert_eq!(m.handle(Input::Check, at(0)), [Effect::StateChanged(CallState::Checking), Effect::StartProbe]);
    assert_eq!(m.handle(Input::CheckDone, at(3)), [Effect::StateChanged(CallState::Ready)]);
    m.handle(Input::Join, at(4));
    m.handle(Input::Credentials(creds("tok", 3600)), at(5));
    m.handle(Input::Engine(web_connection("CONNECTED", None)), at(6));
    m.handle(Input::Engine(EngineEvent::RemoteJoined { uid: 9 }), at(8));
    let fx = m.handle(Input::Leave, at(600));
    assert!(leaves(&fx) && fx.contains(&Effect::StateChanged(CallState::Ended)), "{fx:?}");
    assert_eq!((m.state(), m.reason()), (CallState::Ended, Some(&CallReason::Left)));
    let record = m.record();
    assert_eq!((record.connected_at, record.ended_at, record.remote_joins), (Some(at(6)), Some(at(600)), 1));
    assert_eq!(record.duration_ms(), Some(594_000));
    let states: Vec<&str> = record.timeline.iter().map(|c| c.state.as_str()).collect();
    assert_eq!(states, ["checking", "ready", "joining", "connected", "ended"]);
}

#[test]
fn native_drop_and_recover_counts_a_reconnection() {
    let mut m = connected(3600);
    assert_eq!(
        m.handle(Input::Engine(native_connection(4, 2)), at(60)),
        [Effect::StateChanged(CallState::Reconnecting)]
    );
    assert_eq!(m.handle(Input::Engine(native_connection(3, 15)), at(70)), [Effect::StateChanged(CallState::Connected)]);
    assert_eq!(m.record().reconnections, 1);
}

#[test]
fn token_expired_mid_reconnect_fetches_and_rejoins() {
    let mut m = connected(3600);
    m.handle(Input::Engine(native_connection(4, 2)), at(60));
    let fx = m.handle(Input::Engine(native_connection(4, 9)), at(65));
    assert_eq!(fx, [Effect::FetchCredentials]);
    let fx = m.handle(Input::Credentials(creds("tok-2", 7200)), at(66));
    assert!(matches!(&fx[..], [Effect::EngineJoin(p)] if p.token == "tok-2"), "rejoin with the fresh token: {fx:?}");
    m.handle(Input::Engine(native_connection(3, 15)), at(68));
    assert_eq!(m.state(), CallState::Connected);
}

#[test]
fn banned_and_same_uid_elsewhere_fail_with_their_reason_and_leave() {
    let mut m = connected(3600);
    let fx = m.handle(Input::Engine(web_connection("DISCONNECTED", Some("UID_BANNED"))), at(100));
    assert!(leaves(&fx));
    assert_eq!((m.state(), m.reason().map(CallReason::code)), (CallState::Failed, Some("call_banned")));
    let mut m = connected(3600);
    m.handle(Input::Engine(native_connection(5, 19)), at(100));
    assert_eq!(m.reason(), Some(&CallReason::SameUidElsewhere));
}

#[test]
fn permission_denied_microphone_fails_camera_goes_audio_only_for_good() {
    let mut m = connected(3600);
    let fx = m.handle(Input::Engine(EngineEvent::PermissionDenied { device: Device::Camera }), at(10));
    assert_eq!(fx, [Effect::SetAudioOnly(true)]);
    for s in 0..60 {
        m.handle(Input::Engine(quality(1, 1)), at(20 + s));
    }
    assert!(m.audio_only(), "good quality cannot bring back a blocked camera");
    m.handle(Input::Engine(EngineEvent::PermissionDenied { device: Device::Microphone }), at(90));
    assert_eq!(m.reason(), Some(&CallReason::PermissionDenied));
}

#[test]
fn agoras_twenty_minute_give_up_is_preceded_by_ours() {
    let policy = VideoPolicy { give_up_after: SignedDuration::from_mins(3), ..VideoPolicy::default() };
    let mut m = CallMachine::new(policy, at(300), at(300 + 50 * 60));
    m.handle(Input::Join, at(0));
    m.handle(Input::Credentials(creds("tok", 3600)), at(1));
    m.handle(Input::Engine(native_connection(3, 1)), at(2));
    m.handle(Input::Engine(native_connection(4, 2)), at(100));
    let mut now = at(100);
    while !m.state().is_terminal() {
        now = m.next_deadline().expect("a deadline while reconnecting");
        m.handle(Input::Tick, now);
    }
    assert_eq!((m.state(), m.reason()), (CallState::Failed, Some(&CallReason::GaveUp)));
    assert_eq!(now, at(100 + 180), "gave up exactly at the policy's limit");
    // The engine's own give-up (Agora: JoinFailed after 20 minutes) arriving later changes nothing.
    assert!(m.handle(Input::Engine(native_connection(5, 4)), at(1300)).is_empty());
}

#[test]
fn renewal_happens_before_expiry_without_any_engine_event() {
    let mut m = connected(600);
    let due = m.next_deadline().expect("renewal scheduled");
    assert_eq!(due, at(600 - 120), "renew two minutes before expiry");
    assert!(m.handle(Input::Tick, at(200)).is_empty(), "nothing early");
    assert_eq!(m.handle(Input::Tick, due), [Effect::FetchCredentials]);
    // The server is briefly unreachable: asked again after the retry delay, still before expiry.
    m.handle(Input::CredentialsFailed { code: "offline".into(), retryable: true }, due);
    assert_eq!(m.handle(Input::Tick, due + SignedDuration::from_secs(10)), [Effect::FetchCredentials]);
    let fx = m.handle(Input::Credentials(creds("tok-2", 1800)), due + SignedDuration::from_secs(11));
    assert_eq!(fx, [Effect::EngineRenew("tok-2".into())]);
    // No will-expire event ever came (a known Agora failure); past the old expiry the call is still up.
    for s in (600..1500).step_by(30) {
        let fx = m.handle(Input::Tick, at(s));
        assert!(!leaves(&fx), "{fx:?}");
    }
    assert_eq!(m.state(), CallState::Connected);
    assert_eq!(m.next_deadline(), Some(at(1800 - 120)), "the next renewal is scheduled from the new token");
}

#[test]
fn audio_only_after_poor_downlink_and_back_after_recovery() {
    let mut m = connected(3600);
    for s in [10, 14, 18] {
        assert!(m.handle(Input::Engine(quality(2, 5)), at(s)).is_empty(), "not yet at {s}");
    }
    assert_eq!(m.handle(Input::Engine(quality(2, 5)), at(20)), [Effect::SetAudioOnly(true)]);
    assert!(m.handle(Input::Engine(quality(1, 3)), at(25)).is_empty(), "middling quality changes nothing");
    m.handle(Input::Engine(quality(1, 1)), at(30));
    assert!(m.handle(Input::Tick, at(45)).is_empty());
    assert_eq!(m.handle(Input::Tick, at(50)), [Effect::SetAudioOnly(false)]);
    assert_eq!(m.record().audio_only_ms, 30_000);
    assert!(m.record().quality.len() >= 3, "the quality timeline keeps the changes");
}

#[test]
fn a_network_change_rejoins_at_once_and_the_window_end_closes_the_call() {
    let mut m = connected(3600 * 2);
    let fx = m.handle(Input::NetworkChanged, at(100));
    assert_eq!(fx[0], Effect::StateChanged(CallState::Reconnecting));
    assert!(matches!(&fx[1..], [Effect::EngineLeave, Effect::EngineJoin(_)]), "{fx:?}");
    m.handle(Input::Engine(native_connection(3, 15)), at(102));
    let end = at(300 + 50 * 60);
    assert_eq!(m.next_deadline(), Some(end));
    let fx = m.handle(Input::Tick, end);
    assert!(leaves(&fx));
    assert_eq!((m.state(), m.reason()), (CallState::Ended, Some(&CallReason::WindowClosed)));
}

#[test]
fn joining_outside_the_window_fails_without_touching_the_server() {
    let mut m = machine();
    let fx = m.handle(Input::Join, at(-600));
    assert!(!fx.contains(&Effect::FetchCredentials));
    assert_eq!(m.reason().map(CallReason::code), Some("outside_join_window"));
}

#[test]
fn every_state_is_reachable() {
    let mut seen = HashSet::new();
    let mut m = machine();
    seen.insert(m.state());
    for (input, secs) in [
        (Input::Check, 0),
        (Input::CheckDone, 1),
        (Input::Join, 2),
        (Input::Credentials(creds("t", 3600)), 3),
        (Input::Engine(native_connection(3, 1)), 4),
        (Input::Engine(native_connection(4, 2)), 5),
        (Input::Engine(native_connection(5, 3)), 6),
        (Input::Leave, 7),
    ] {
        m.handle(input, at(secs));
        seen.insert(m.state());
    }
    assert_eq!(seen.len(), 8, "{seen:?}");
}

/// Any input the machine can get, with the engine events drawn from both Agora vocabularies.
fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        Just(Input::Check),
        Just(Input::CheckDone),
        Just(Input::Join),
        (0i64..4000).prop_map(|e| Input::Credentials(creds("t", e))),
        (any::<bool>()).prop_map(|retryable| Input::CredentialsFailed { code: "offline".into(), retryable }),
        (0i32..7, 0i32..23).prop_map(|(s, r)| Input::Engine(native_connection(s, r))),
        prop::sample::select(vec!["CONNECTING", "CONNECTED", "RECONNECTING", "DISCONNECTED"]).prop_flat_map(|s| {
            prop::sample::select(vec![None, Some("LEAVE"), Some("NETWORK_ERROR"), Some("UID_BANNED")])
                .prop_map(move |r| Input::Engine(web_connection(s, r)))
        }),
        (0i32..8, 0i32..8).prop_map(|(u, d)| Input::Engine(quality(u, d))),
        Just(Input::Engine(EngineEvent::TokenWillExpire)),
        Just(Input::Engine(EngineEvent::TokenExpired)),
        Just(Input::Engine(EngineEvent::PermissionDenied { device: Device::Camera })),
        Just(Input::NetworkChanged),
        Just(Input::Tick),
        Just(Input::Leave),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_order_of_inputs_panics_wedges_or_acts_after_the_end(
        steps in prop::collection::vec((input(), 0i64..90), 1..60),
    ) {
        let mut m = machine();
        let mut now = at(0);
        for (input, dt) in steps {
            now += SignedDuration::from_secs(dt);
            let was_terminal = m.state().is_terminal();
            let fx = m.handle(input, now);
            if was_terminal {
                // After the end nothing reaches the engine or the server again.
                prop_assert!(fx.iter().all(|e| matches!(e, Effect::StateChanged(CallState::Ended))), "{fx:?}");
            }
            if m.state().is_terminal() {
                prop_assert_eq!(m.next_deadline(), None);
            }
        }
        // Not wedged: with no more engine events, following the deadlines never leaves the call joining
        // or reconnecting (the give-up limit ends that); it ends, stays connected, or waits for the user.
        // Every tick at a deadline must make progress: a deadline that comes back unchanged (or earlier)
        // with nothing else changed would have the driver spin.
        let mut probe = m.clone();
        for _ in 0..1000 {
            match probe.next_deadline() {
                Some(next) if !probe.state().is_terminal() => {
                    now = now.max(next);
                    let before = probe.state();
                    let fx = probe.handle(Input::Tick, now);
                    let after = probe.next_deadline();
                    prop_assert!(
                        probe.state() != before || !fx.is_empty() || after.is_none_or(|a| a > now),
                        "a tick at {now} changed nothing and left the deadline at {after:?} in {before:?}"
                    );
                }
                _ => break,
            }
        }
        prop_assert!(
            !matches!(probe.state(), CallState::Joining | CallState::Reconnecting),
            "stuck in {:?}", probe.state()
        );
        // Leave from wherever it is ends the call, and nothing is renewed afterwards.
        m.handle(Input::Leave, now);
        prop_assert_eq!(m.state(), CallState::Ended);
        for later in [Input::Tick, Input::Engine(EngineEvent::TokenWillExpire), Input::Credentials(creds("x", 9999))] {
            prop_assert!(m.handle(later, now + SignedDuration::from_secs(1)).is_empty());
        }
    }

    #[test]
    fn a_connected_call_never_spins_on_a_stale_deadline(
        steps in prop::collection::vec((input(), 0i64..15), 1..80),
    ) {
        let mut m = connected(3600);
        let mut now = at(2);
        for (input, dt) in steps {
            now += SignedDuration::from_secs(dt);
            // Ticks at every deadline up to `now`, each of which must make progress.
            while let Some(deadline) = m.next_deadline().filter(|d| *d <= now) {
                let before = m.state();
                let fx = m.handle(Input::Tick, deadline);
                let after = m.next_deadline();
                prop_assert!(
                    m.state() != before || !fx.is_empty() || after.is_none_or(|a| a > deadline),
                    "a tick at {deadline} changed nothing and left the deadline at {after:?} in {before:?}"
                );
            }
            m.handle(input, now);
        }
    }
}

#[test]
fn every_call_reason_and_state_has_a_message_in_both_languages() {
    let reasons = [
        CallReason::Left,
        CallReason::WindowClosed,
        CallReason::OutsideWindow,
        CallReason::PermissionDenied,
        CallReason::Banned,
        CallReason::SameUidElsewhere,
        CallReason::GaveUp,
        CallReason::TokenRefused,
        CallReason::EngineConfig,
    ];
    for locale in ["en-US", "ar"] {
        let l10n = psyter_core::i18n::Localizer::for_locale(locale).expect("locale");
        for reason in &reasons {
            let id = format!("call-reason-{}", reason.code().replace('_', "-"));
            assert!(l10n.has_message(&id), "{locale}: {id}");
        }
        for state in ["idle", "checking", "ready", "joining", "connected", "reconnecting", "ended", "failed"] {
            assert!(l10n.has_message(&format!("call-state-{state}")), "{locale}: {state}");
        }
    }
}
