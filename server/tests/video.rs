//! Video credentials: only participants, only inside the join window, only for live appointments;
//! sandbox signalling tokens by default and verifiable Agora AccessToken2 tokens when configured.

mod common;

use common::{Resp, Session, TestServer, assert_problem};
use jiff::{SignedDuration, Timestamp};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use psyter_agora_token::RtcPrivilege;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const APP_ID: &str = "970CA35de60c44645bbae8a215061b33";
const CERTIFICATE: &str = "5CFd2fd1755d40ecb72977518be15d3b";

/// A booked appointment: its id, start and end.
struct Booked {
    id: String,
    start: Timestamp,
    end: Timestamp,
}

/// Books the first free slot of `provider` at least `hours` ahead.
async fn book_after(s: &TestServer, patient: &Session, provider: &Session, hours: i64) -> Booked {
    let slot = s.free_slots(&provider.id, 7).await.into_iter().find(|st| *st >= s.hour_from_now(hours)).expect("slot");
    let r = s.book(patient, &provider.id, &slot).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let ts = |k: &str| r.body[k].as_str().expect("instant").parse::<Timestamp>().expect("timestamp");
    Booked { id: r.body["id"].as_str().expect("id").to_owned(), start: ts("start"), end: ts("end") }
}

async fn video(s: &TestServer, id: &str, who: &Session) -> Resp {
    s.call(Method::POST, &format!("/v1/appointments/{id}/video-token"), Some(&who.access), None, None).await
}

/// Moves the server clock so that it reads `at` (to the second) and refreshes `who`'s sessions, whose
/// 15-minute access tokens would otherwise have run out.
async fn set_clock(s: &TestServer, at: Timestamp, who: &mut [&mut Session]) {
    s.clock().advance(at.duration_since(s.clock().now()));
    for w in who.iter_mut() {
        **w = s.refresh(w).await;
    }
}

fn instant(v: &Value) -> Timestamp {
    v.as_str().expect("instant").parse().expect("timestamp")
}

/// Checks the common shape of a credential response and returns it.
fn creds(r: &Resp, b: &Booked) -> Value {
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let id: uuid::Uuid = b.id.parse().expect("uuid");
    assert_eq!(r.body["channel"].as_str(), Some(format!("psyter-{}", id.simple()).as_str()));
    assert!(r.body["uid"].as_u64().is_some_and(|u| u > 0 && u <= u64::from(u32::MAX)));
    assert!(!r.body["token"].as_str().expect("token").is_empty());
    assert_eq!(instant(&r.body["window_ends_at"]), b.end);
    r.body.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sandbox_credentials_only_for_participants_inside_the_join_window() {
    let s = TestServer::start().await;
    let mut a = s.open_provider().await;
    let (mut p, mut q) = (s.register("patient").await, s.register("patient").await);
    let b = book_after(&s, &p, &a, 48).await;

    assert_problem(&video(&s, &b.id, &q).await, StatusCode::NOT_FOUND, "not_found");
    for who in [&p, &a] {
        assert_problem(&video(&s, &b.id, who).await, StatusCode::CONFLICT, "outside_join_window");
    }
    // Eleven minutes before the start is still too early; five minutes before is fine.
    set_clock(&s, b.start - SignedDuration::from_mins(11), &mut [&mut p, &mut a, &mut q]).await;
    assert_problem(&video(&s, &b.id, &p).await, StatusCode::CONFLICT, "outside_join_window");
    set_clock(&s, b.start - SignedDuration::from_mins(5), &mut []).await;
    let now = s.clock().now();
    let pc = creds(&video(&s, &b.id, &p).await, &b);
    let ac = creds(&video(&s, &b.id, &a).await, &b);
    assert_problem(&video(&s, &b.id, &q).await, StatusCode::NOT_FOUND, "not_found");
    for c in [&pc, &ac] {
        assert_eq!((c["engine"].as_str(), c["app_id"].as_str()), (Some("sandbox"), Some("sandbox")));
        let exp = instant(&c["expires_at"]);
        assert!(
            exp > now && exp <= b.end + SignedDuration::from_mins(5),
            "expires_at {exp} (now {now}, end {})",
            b.end
        );
    }
    assert_eq!(pc["channel"], ac["channel"], "both sides meet in one channel");
    assert_ne!(pc["uid"], ac["uid"], "each side has its own uid");

    // The sandbox token is a signalling token for this channel and uid, not an API credential.
    let secret = s.jwt_secret().await;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_audience(&["psyter-signalling"]);
    validation.validate_exp = false;
    for (c, who) in [(&pc, &p), (&ac, &a)] {
        let token = c["token"].as_str().expect("token");
        let claims = jsonwebtoken::decode::<Value>(token, &DecodingKey::from_secret(&secret), &validation)
            .expect("signed by the server")
            .claims;
        assert_eq!(
            (&claims["channel"], &claims["uid"], claims["sub"].as_str()),
            (&c["channel"], &c["uid"], Some(who.id.as_str()))
        );
        assert_eq!(claims["exp"].as_i64(), Some(instant(&c["expires_at"]).as_second()));
        let lifetime = claims["exp"].as_i64().zip(claims["iat"].as_i64()).map(|(e, i)| e - i);
        assert_eq!(lifetime, Some(600), "ten minutes, well before end + 5 min");
        assert_problem(&s.get("/v1/me", Some(token)).await, StatusCode::UNAUTHORIZED, "token_invalid");
    }

    // Renewal near the end: same channel and uid, expiry capped at end + 5 minutes.
    set_clock(&s, b.end - SignedDuration::from_mins(2), &mut [&mut p, &mut a]).await;
    let renewed = creds(&video(&s, &b.id, &p).await, &b);
    assert_eq!((&renewed["channel"], &renewed["uid"]), (&pc["channel"], &pc["uid"]));
    assert_eq!(instant(&renewed["expires_at"]), b.end + SignedDuration::from_mins(5));
    // From the end on, nobody joins.
    set_clock(&s, b.end, &mut []).await;
    for who in [&p, &a] {
        assert_problem(&video(&s, &b.id, who).await, StatusCode::CONFLICT, "outside_join_window");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_live_appointments_can_be_joined() {
    let s = TestServer::start().await;
    let mut a = s.open_provider().await;
    let mut p = s.register("patient").await;
    let cancelled = book_after(&s, &p, &a, 48).await;
    let visit = book_after(&s, &p, &a, 52).await;
    let r =
        s.post(&format!("/v1/appointments/{}/cancel", cancelled.id), Some(&a.access), json!({"reason": "ill"})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    set_clock(&s, cancelled.start - SignedDuration::from_mins(5), &mut [&mut p, &mut a]).await;
    for who in [&p, &a] {
        assert_problem(&video(&s, &cancelled.id, who).await, StatusCode::CONFLICT, "appointment_not_active");
    }
    assert_problem(&video(&s, &visit.id, &p).await, StatusCode::CONFLICT, "outside_join_window");

    // Arrived still joins; once fulfilled it does not.
    set_clock(&s, visit.start - SignedDuration::from_mins(5), &mut [&mut p, &mut a]).await;
    let status = format!("/v1/appointments/{}/status", visit.id);
    assert_eq!(s.post(&status, Some(&a.access), json!({"status": "arrived"})).await.status, StatusCode::OK);
    creds(&video(&s, &visit.id, &p).await, &visit);
    set_clock(&s, visit.start + SignedDuration::from_mins(20), &mut [&mut p, &mut a]).await;
    assert_eq!(s.post(&status, Some(&a.access), json!({"status": "fulfilled"})).await.status, StatusCode::OK);
    for who in [&p, &a] {
        assert_problem(&video(&s, &visit.id, who).await, StatusCode::CONFLICT, "appointment_not_active");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agora_tokens_verify_and_carry_the_right_grants() {
    let s = TestServer::start_with(|c| {
        c.agora =
            Some(psyter_server::config::AgoraConfig { app_id: APP_ID.into(), app_certificate: CERTIFICATE.into() });
    })
    .await;
    let mut a = s.open_provider().await;
    let mut p = s.register("patient").await;
    let b = book_after(&s, &p, &a, 48).await;
    assert_problem(&video(&s, &b.id, &p).await, StatusCode::CONFLICT, "outside_join_window");

    for (before_end, capped) in [(SignedDuration::from_mins(55), false), (SignedDuration::from_mins(3), true)] {
        set_clock(&s, b.end - before_end, &mut [&mut p, &mut a]).await;
        let now = s.clock().now();
        let mut uids = Vec::new();
        for who in [&p, &a] {
            let c = creds(&video(&s, &b.id, who).await, &b);
            assert_eq!((c["engine"].as_str(), c["app_id"].as_str()), (Some("agora"), Some(APP_ID)));
            let token = c["token"].as_str().expect("token");
            assert!(token.starts_with("007"), "AccessToken2");
            let parsed = psyter_agora_token::parse(token).expect("parses");
            assert_eq!(parsed.app_id(), APP_ID);
            let rtc = parsed.rtc().expect("rtc service");
            assert_eq!(rtc.channel_name(), c["channel"].as_str().expect("channel"));
            let uid = c["uid"].as_u64().expect("uid");
            assert_eq!(rtc.uid(), uid.to_string());
            for privilege in RtcPrivilege::ALL {
                assert!(rtc.privilege_expire(privilege).is_some_and(|e| e > 0), "{privilege:?} granted with a limit");
            }
            assert!(parsed.verify(CERTIFICATE), "signed with the app certificate");
            assert!(!parsed.verify("00000000000000000000000000000000"));
            let expires_at = instant(&c["expires_at"]);
            assert_eq!(parsed.effective_expiry_unix(), u64::try_from(expires_at.as_second()).expect("positive"));
            let issued = Timestamp::from_second(i64::from(parsed.issue_ts())).expect("issue ts");
            assert!(issued >= now && issued <= s.clock().now(), "issued at the server's now");
            let expected =
                if capped { b.end + SignedDuration::from_mins(5) } else { issued + SignedDuration::from_mins(10) };
            assert_eq!(expires_at, expected);
            assert_problem(&s.get("/v1/me", Some(token)).await, StatusCode::UNAUTHORIZED, "token_invalid");
            uids.push(uid);
        }
        assert_ne!(uids[0], uids[1]);
    }
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a signalling socket and authenticates with `token`.
async fn signal(s: &TestServer, token: &str) -> Socket {
    use futures_util::SinkExt;
    let url = format!("{}/v1/signalling", s.base.replacen("http", "ws", 1));
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("connect");
    let auth = json!({ "type": "auth", "token": token }).to_string();
    ws.send(tokio_tungstenite::tungstenite::Message::text(auth)).await.expect("auth");
    ws
}

/// The next frame: a JSON text frame, or a close frame's code as `{"close": code}`.
async fn next(ws: &mut Socket) -> Value {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        let frame = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next()).await.expect("a frame in time");
        match frame.expect("open").expect("frame") {
            Message::Text(t) => return serde_json::from_str(&t).expect("json"),
            Message::Close(c) => return json!({ "close": c.map(|c| u16::from(c.code)) }),
            _ => {}
        }
    }
}

#[tokio::test]
async fn sandbox_signalling_relays_between_the_two_participants_until_the_window_closes() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let s = TestServer::start().await;
    let mut a = s.open_provider().await;
    let (mut p, mut q) = (s.register("patient").await, s.register("patient").await);
    let b = book_after(&s, &p, &a, 2).await;
    let other = book_after(&s, &q, &a, 26).await;
    set_clock(&s, b.start - SignedDuration::from_mins(5), &mut [&mut p, &mut a, &mut q]).await;
    let token = |r: &Resp| r.body["token"].as_str().expect("token").to_owned();
    let (pt, at) = (token(&video(&s, &b.id, &p).await), token(&video(&s, &b.id, &a).await));

    // Each side authenticates in a frame and learns about the other.
    let mut pws = signal(&s, &pt).await;
    let ready = next(&mut pws).await;
    assert_eq!((ready["type"].as_str(), ready["peers"].as_array().map(Vec::len)), (Some("ready"), Some(0)));
    let patient_uid = ready["uid"].as_u64().expect("uid");
    let mut aws = signal(&s, &at).await;
    assert_eq!(next(&mut aws).await["peers"], json!([patient_uid]));
    assert_eq!(next(&mut pws).await["type"], "peer-joined");

    // Offers, answers and candidates go across with the sender stamped; unknown frames close the socket.
    pws.send(Message::text(json!({ "type": "offer", "sdp": "v=0 offer" }).to_string())).await.expect("offer");
    let offer = next(&mut aws).await;
    assert_eq!((offer["sdp"].as_str(), offer["from"].as_u64()), (Some("v=0 offer"), Some(patient_uid)));
    aws.send(Message::text(json!({ "type": "answer", "sdp": "v=0 answer" }).to_string())).await.expect("answer");
    assert_eq!(next(&mut pws).await["sdp"], "v=0 answer");

    // Refused: a token for another channel (the other patient is not a participant of this one and
    // cannot get its token), a forged token, no auth frame.
    let mut stranger = signal(&s, "not-a-token").await;
    assert_eq!(next(&mut stranger).await["close"], 4401);
    let qt = video(&s, &other.id, &q).await;
    assert_eq!(qt.status, StatusCode::CONFLICT, "the other appointment is not in its window yet");
    let url = format!("{}/v1/signalling", s.base.replacen("http", "ws", 1));
    let (mut silent, _) = tokio_tungstenite::connect_async(url).await.expect("connect");
    silent.send(Message::text("{\"type\":\"offer\"}")).await.expect("send");
    assert_eq!(next(&mut silent).await["close"], 4400);
    let plain = s.call(Method::GET, "/v1/signalling", None, None, None).await;
    assert_problem(&plain, StatusCode::BAD_REQUEST, "websocket_required");

    // At the end of the window the server closes both sockets.
    s.clock().advance(b.end.duration_since(s.clock().now()) + SignedDuration::from_secs(1));
    assert_eq!(next(&mut pws).await["close"], 4408);
    let mut last = next(&mut aws).await;
    if last["type"] == "peer-left" {
        last = next(&mut aws).await;
    }
    assert_eq!(last["close"], 4408);
}
