//! A consultation end to end over the real server: a patient and a provider, each a core instance with
//! the scripted fake engine, join inside the window, connect, leave; the appointment moves to arrived
//! and fulfilled through the provider's outbox, and both sides keep the call record.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use jiff::{SignedDuration, Timestamp};
use psyter_core::BookOutcome;
use psyter_core::video::fake::{FakeEngine, parse_script};
use psyter_core::video::{CallState, VideoPolicy};
use psyter_domain::AppointmentStatus;
use psyter_domain::wire::LoginRequest;

async fn until_state(call: &psyter_core::VideoCall, state: CallState) {
    let mut view = call.view();
    tokio::time::timeout(Duration::from_secs(20), view.wait_for(|v| v.state == state))
        .await
        .unwrap_or_else(|_| panic!("never reached {state:?}: {:?}", *call.view().borrow()))
        .expect("view");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn patient_and_provider_hold_a_consultation_with_fake_engines() {
    let server = LiveServer::start().await;
    let provider_tokens = server.open_provider().await;
    let pid = provider_tokens.user.id;
    let patient_device = Device::new(&server);
    let patient = patient_device.signed_in("patient", DEMO_PATIENT).await;
    let floor = Timestamp::now() + SignedDuration::from_hours(2);
    let start = server.free_slots(pid, 7).await.into_iter().find(|s| *s > floor).expect("slot");
    let BookOutcome::Booked(a) = patient.appointments().book(pid, start, "Video visit").await.expect("book") else {
        panic!("booked")
    };
    let provider_device = Device::new(&server);
    let provider = provider_device.open("provider").await;
    provider.auth().login(&provider_tokens.user.email, "correct horse battery", None).await.expect("login");
    provider.sync().run().await.expect("provider sync");

    // Jump every clock to a minute after the start: inside the join window (auto-lock off, or the jump
    // would lock both sessions).
    patient.settings().set_auto_lock(0).await.expect("auto-lock off");
    provider.settings().set_auto_lock(0).await.expect("auto-lock off");
    let shift = start.duration_since(Timestamp::now()) + SignedDuration::from_mins(1);
    server.clock.advance(shift);
    patient_device.clock.advance(shift);
    provider_device.clock.advance(shift);

    let script = |text: &str| Arc::new(FakeEngine::new(parse_script(text).expect("script")));
    let patient_engine = script("+0 native 3 1\n+50 remote-joined 2\n+100 quality 1 1\n");
    let provider_engine = script("+0 web CONNECTED\n+50 remote-joined 1\n+100 quality 2 2\n");
    let patient_call =
        patient.video().join(a.id, patient_engine.clone(), VideoPolicy::default()).await.expect("patient joins");
    let provider_call =
        provider.video().join(a.id, provider_engine.clone(), VideoPolicy::default()).await.expect("provider joins");
    until_state(&patient_call, CallState::Connected).await;
    until_state(&provider_call, CallState::Connected).await;

    // The provider connecting marks the appointment arrived on the server (through the outbox).
    let api = server.api();
    let login = LoginRequest { email: DEMO_PATIENT.into(), password: DEMO_PASSWORD.into(), totp_code: None };
    let token = api.login(&login).await.expect("login").access_token;
    let mut status = AppointmentStatus::Booked;
    for _ in 0..100 {
        status = api.appointment(&token, a.id).await.expect("appointment").status;
        if status == AppointmentStatus::Arrived {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(status, AppointmentStatus::Arrived);

    // The patient's phone switches networks: the call rejoins at once (the fake engine connects again).
    patient_call.mute_audio(true).expect("mute");
    patient_call.switch_device(psyter_core::video::Device::Camera, "front").expect("switch");
    patient.network_changed();
    let mut view = patient_call.view();
    tokio::time::timeout(Duration::from_secs(20), async {
        view.wait_for(|v| v.state == CallState::Reconnecting).await.expect("view");
        view.wait_for(|v| v.state == CallState::Connected).await.expect("view");
    })
    .await
    .expect("reconnected after the network change");

    patient_call.leave();
    provider_call.leave();
    let (patient_record, provider_record) = (patient_call.finished().await, provider_call.finished().await);
    let (patient_record, provider_record) =
        (patient_record.expect("patient record"), provider_record.expect("provider"));
    for (record, want) in [
        (&patient_record, &["joining", "connected", "reconnecting", "connected", "ended"][..]),
        (&provider_record, &["joining", "connected", "ended"][..]),
    ] {
        assert!(record.connected_at.is_some() && record.ended_at.is_some(), "{record:?}");
        let states: Vec<&str> = record.timeline.iter().map(|c| c.state.as_str()).collect();
        assert_eq!(states, want);
    }
    assert_eq!(patient_record.reconnections, 1);
    for (engine, joins) in [(&patient_engine, 2), (&provider_engine, 1)] {
        let calls = engine.calls();
        assert_eq!(calls.iter().filter(|c| c.starts_with("join ")).count(), joins, "{calls:?}");
        assert_eq!(calls.last().map(String::as_str), Some("leave"), "{calls:?}");
    }
    let patient_calls = patient_engine.calls();
    assert!(patient_calls.contains(&"mute on".to_owned()) && patient_calls.contains(&"switch camera front".to_owned()));

    // Fulfilled when the provider's call ended; both histories hold the call.
    assert_eq!(api.appointment(&token, a.id).await.expect("appointment").status, AppointmentStatus::Fulfilled);
    assert_eq!(patient.appointments().calls(a.id).await.expect("calls").len(), 1);
    assert_eq!(provider.appointments().calls(a.id).await.expect("calls"), vec![provider_record]);
    provider.sync().run().await.expect("sync");
    let seen = provider.appointments().get(a.id).await.expect("get").appointment.status;
    assert_eq!(seen, AppointmentStatus::Fulfilled);
}
