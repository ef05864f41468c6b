//! Accounts and sessions over HTTP: login, registration, refresh rotation with reuse detection
//! (RFC 9700), logout, login throttling, TOTP and access-token hardening.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::{Resp, Session, TEST_PASSWORD, TestServer, assert_problem, session};
use jiff::SignedDuration;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use psyter_server::auth::totp;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const OK: StatusCode = StatusCode::OK;

async fn login(s: &TestServer, email: &str, password: &str) -> Resp {
    let body = json!({"email": email, "password": password});
    s.post("/v1/auth/login", None, body).await
}

async fn login_totp(s: &TestServer, email: &str, password: &str, code: String) -> Resp {
    let body = json!({"email": email, "password": password, "totp_code": code});
    s.post("/v1/auth/login", None, body).await
}

async fn refresh(s: &TestServer, token: &str) -> Resp {
    s.post("/v1/auth/refresh", None, json!({"refresh_token": token})).await
}

/// The status of GET /v1/me with `access`.
async fn me(s: &TestServer, access: &str) -> StatusCode {
    s.get("/v1/me", Some(access)).await.status
}

/// Asserts a 401 problem with `code`.
fn denied(r: &Resp, code: &str) {
    assert_problem(r, StatusCode::UNAUTHORIZED, code);
}

/// The (refresh, access) tokens of a successful token response.
fn tokens(r: &Resp) -> (String, String) {
    assert_eq!(r.status, OK, "{:?}", r.body);
    let get = |k: &str| r.body[k].as_str().expect("token").to_owned();
    (get("refresh_token"), get("access_token"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_succeeds_and_failures_do_not_reveal_accounts() {
    let s = TestServer::start().await;
    let (email, registered) = s.register_account("patient").await;

    let ok = login(&s, &email, TEST_PASSWORD).await;
    assert_eq!(ok.status, OK, "{:?}", ok.body);
    assert_eq!(ok.body["token_type"], "Bearer");
    assert_eq!(ok.body["expires_in"], 900);
    assert_eq!(ok.body["user"]["email"], email.as_str());
    let sess = session(&ok.body);
    assert_eq!(sess.id, registered.id);
    assert_ne!(sess.refresh, registered.refresh, "a new session");
    let r = s.get("/v1/me", Some(&sess.access)).await;
    assert_eq!((r.status, &r.body["id"]), (OK, &json!(registered.id)));
    // Emails are matched case-insensitively.
    let upper = email.to_uppercase();
    assert_eq!(login(&s, &upper, TEST_PASSWORD).await.status, OK);

    let wrong = login(&s, &email, "not the password").await;
    denied(&wrong, "invalid_credentials");
    assert!(wrong.headers.contains_key("www-authenticate"));
    let unknown = login(&s, "nobody-here@test.psyter.app", "not the password").await;
    denied(&unknown, "invalid_credentials");
    assert_eq!(unknown.body, wrong.body, "unknown email = wrong password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_with_non_ascii_capitals_can_sign_in() {
    let s = TestServer::start().await;
    let email = format!("Ölaf.{}", common::unique_email("intl"));
    let body = json!({"email": email, "password": TEST_PASSWORD, "display_name": "Ö",
        "role": "patient"});
    let r = s.post("/v1/auth/register", None, body).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = login(&s, &email, TEST_PASSWORD).await;
    assert_eq!(r.status, OK, "the very address it registered with: {:?}", r.body);
    let upper = email.to_uppercase();
    assert_eq!(login(&s, &upper, TEST_PASSWORD).await.status, OK, "ASCII folds");
    let r = login(&s, &email, "wrong password!").await;
    denied(&r, "invalid_credentials");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn register_rejects_duplicates_and_invalid_input() {
    let s = TestServer::start().await;
    let (email, _) = s.register_account("patient").await;
    let users = || async {
        let sql = "SELECT count(*) FROM users";
        let count = s.state.db.read(move |tx| Ok(tx.query_row(sql, [], |r| r.get::<_, i64>(0))?));
        count.await.expect("count")
    };
    let before = users().await;
    let body = |email: &str, password: &str, tz: &str| {
        json!({"email": email, "password": password, "display_name": "D", "role": "patient",
            "time_zone": tz})
    };

    for dup in [email.clone(), email.to_uppercase()] {
        let r = s.post("/v1/auth/register", None, body(&dup, TEST_PASSWORD, "UTC")).await;
        assert_problem(&r, StatusCode::CONFLICT, "email_taken");
    }
    let fresh = common::unique_email("bad");
    let mut blank_name = body(&fresh, TEST_PASSWORD, "UTC");
    blank_name["display_name"] = json!("  ");
    let mut bad_locale = body(&fresh, TEST_PASSWORD, "UTC");
    bad_locale["locale"] = json!("fr");
    for (b, code) in [
        (body("not-an-email", TEST_PASSWORD, "UTC"), "validation_failed"),
        (body("a@b", TEST_PASSWORD, "UTC"), "validation_failed"),
        (body(&fresh, "short", "UTC"), "validation_failed"),
        (body(&fresh, TEST_PASSWORD, "Mars/Olympus_Mons"), "unknown_time_zone"),
        (body(&fresh, TEST_PASSWORD, ""), "unknown_time_zone"),
        (blank_name, "validation_failed"),
        (bad_locale, "validation_failed"),
    ] {
        let r = s.post("/v1/auth/register", None, b).await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY, code);
    }
    assert_eq!(users().await, before, "no account was created by a rejected registration");
    let r = s.post("/v1/auth/register", None, body(&fresh, TEST_PASSWORD, "Asia/Riyadh")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["user"]["time_zone"], "Asia/Riyadh");
    assert_eq!(r.body["user"]["role"], "patient");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_rotates_tokens_until_they_expire() {
    let s = TestServer::start().await;
    let r1 = s.register("patient").await;
    let (r2, access2) = tokens(&refresh(&s, &r1.refresh).await);
    assert_ne!(r2, r1.refresh);
    assert_eq!(me(&s, &access2).await, OK);
    let (r3, access3) = tokens(&refresh(&s, &r2).await);
    assert!(r3 != r2 && r3 != r1.refresh);
    assert_eq!(me(&s, &access3).await, OK);
    denied(&refresh(&s, "not-a-token").await, "invalid_refresh_token");
    // A refresh token dies after its 30-day lifetime.
    s.clock().advance(SignedDuration::from_hours(24 * 31));
    denied(&refresh(&s, &r3).await, "invalid_refresh_token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reusing_a_rotated_refresh_token_after_the_grace_window_ends_the_session() {
    let s = TestServer::start().await;
    let r1 = s.register("patient").await;
    let (r2, access) = tokens(&refresh(&s, &r1.refresh).await);
    s.clock().advance(SignedDuration::from_secs(11));

    denied(&refresh(&s, &r1.refresh).await, "refresh_token_reused");
    denied(&refresh(&s, &r2).await, "invalid_refresh_token");
    denied(&s.get("/v1/me", Some(&access)).await, "session_revoked");
    denied(&s.get("/v1/me", Some(&r1.access)).await, "session_revoked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_inside_the_grace_window_is_exchanged_once_more() {
    let s = TestServer::start().await;
    let r1 = s.register("patient").await;
    let (lost, _) = tokens(&refresh(&s, &r1.refresh).await);
    let (r3, _) = tokens(&refresh(&s, &r1.refresh).await);
    assert_ne!(r3, lost);
    let (r4, access) = tokens(&refresh(&s, &r3).await);
    assert_eq!(me(&s, &access).await, OK, "the retried exchange's token works");
    // The lost replacement was never delivered to the real client: if it ever shows up, it was
    // intercepted, so the whole family ends.
    denied(&refresh(&s, &lost).await, "refresh_token_reused");
    denied(&refresh(&s, &r4).await, "invalid_refresh_token");
    denied(&s.get("/v1/me", Some(&access)).await, "session_revoked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reuse_after_the_replacement_was_used_ends_the_session_even_inside_grace() {
    let s = TestServer::start().await;
    let r1 = s.register("patient").await;
    let (r2, _) = tokens(&refresh(&s, &r1.refresh).await);
    let (r3, access) = tokens(&refresh(&s, &r2).await);
    denied(&refresh(&s, &r1.refresh).await, "refresh_token_reused");
    denied(&refresh(&s, &r3).await, "invalid_refresh_token");
    denied(&s.get("/v1/me", Some(&access)).await, "session_revoked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_only_its_own_session_and_is_idempotent() {
    let s = TestServer::start().await;
    let (email, first) = s.register_account("patient").await;
    let other = session(&login(&s, &email, TEST_PASSWORD).await.body);
    let own = first.refresh.as_str();
    for token in [own, own, "unknown"] {
        let r = s.post("/v1/auth/logout", None, json!({"refresh_token": token})).await;
        assert_eq!((r.status, &r.body), (StatusCode::NO_CONTENT, &Value::Null));
    }
    denied(&refresh(&s, &first.refresh).await, "invalid_refresh_token");
    denied(&s.get("/v1/me", Some(&first.access)).await, "session_revoked");
    // The user's other session is untouched.
    assert_eq!(me(&s, &other.access).await, OK);
    assert_eq!(refresh(&s, &other.refresh).await.status, OK);
}

/// Asserts a 429 with matching `Retry-After` header and body member; returns the seconds.
fn retry_after(r: &Resp) -> u64 {
    assert_problem(r, StatusCode::TOO_MANY_REQUESTS, "too_many_requests");
    let header = r.headers.get("retry-after").and_then(|v| v.to_str().ok());
    let secs: u64 = header.expect("Retry-After").parse().expect("Retry-After is integer seconds");
    assert!(secs > 0 && secs <= 15 * 60, "Retry-After {secs}");
    assert_eq!(r.body["retry_after"].as_u64(), Some(secs));
    assert!(r.body.get("access_token").is_none());
    secs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_is_throttled_per_account() {
    let s = TestServer::start().await;
    let (email, _) = s.register_account("patient").await;
    let (bystander, _) = s.register_account("patient").await;
    for _ in 0..5 {
        denied(&login(&s, &email, "wrong password!").await, "invalid_credentials");
    }
    let wait = retry_after(&login(&s, &email, TEST_PASSWORD).await);
    assert_eq!(login(&s, &bystander, TEST_PASSWORD).await.status, OK, "others unaffected");
    // Once the wait is over the right password works again.
    s.clock().advance(SignedDuration::from_secs(wait as i64 + 1));
    assert_eq!(login(&s, &email, TEST_PASSWORD).await.status, OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_is_throttled_per_address() {
    let s = TestServer::start_with(|c| c.login_failures_per_address = 8).await;
    let (email, _) = s.register_account("patient").await;
    for i in 0..8 {
        let r = login(&s, &format!("stranger-{i}@test.psyter.app"), "guess guess").await;
        denied(&r, "invalid_credentials");
    }
    retry_after(&login(&s, &email, TEST_PASSWORD).await);
    retry_after(&login(&s, "stranger-99@test.psyter.app", "guess").await);
}

/// RFC 4648 base32 (the alphabet of authenticator secrets), padding optional.
fn base32_decode(s: &str) -> Vec<u8> {
    let (mut out, mut buf, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {c}"),
        };
        buf = (buf << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    out
}

/// A six-digit code valid in no step near `now`.
fn wrong_code(secret: &[u8], now: i64) -> String {
    let near: Vec<String> = (-2..=2).map(|k| totp::code_at(secret, now + 30 * k)).collect();
    (0..).map(|n| format!("{n:06}")).find(|c| !near.contains(c)).expect("a wrong code")
}

/// POST /v1/me/totp/{action}, with `{"code": code}` when given.
async fn totp_call(s: &TestServer, who: &Session, action: &str, code: Option<String>) -> Resp {
    let path = format!("/v1/me/totp/{action}");
    let body = code.map(|c| json!({"code": c}));
    s.call(Method::POST, &path, Some(&who.access), body, None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn totp_enrolment_and_sign_in() {
    let s = TestServer::start().await;
    let (email, sess) = s.register_account("patient").await;
    let r = totp_call(&s, &sess, "enable", Some("123456".into())).await;
    assert_problem(&r, StatusCode::CONFLICT, "totp_not_set_up");

    let setup = totp_call(&s, &sess, "setup", None).await;
    assert_eq!(setup.status, OK, "{:?}", setup.body);
    let b32 = setup.body["secret"].as_str().expect("secret").to_owned();
    let uri = setup.body["otpauth_uri"].as_str().expect("uri");
    assert!(uri.starts_with("otpauth://totp/Psyter:"), "{uri}");
    assert!(uri.contains(&format!("secret={b32}")) && uri.contains("issuer=Psyter"), "{uri}");
    let secret = base32_decode(&b32);
    assert_eq!(secret.len(), 20, "160-bit secret");
    let id = sess.id.clone();
    let sql = "SELECT totp_secret FROM users WHERE id = ?1";
    let stored = s.state.db.read(move |tx| Ok(tx.query_row(sql, [id], |r| r.get::<_, Vec<u8>>(0))?));
    assert_eq!(stored.await.expect("stored"), secret, "the base32 secret is the stored one");
    let r = login(&s, &email, TEST_PASSWORD).await;
    assert_eq!(r.body["user"]["totp_enabled"], false, "setup alone enables nothing");

    let now = || s.clock().now().as_second();
    let good = || Some(totp::code_at(&secret, now()));
    let bad = || Some(wrong_code(&secret, now()));
    denied(&totp_call(&s, &sess, "enable", bad()).await, "totp_invalid");
    denied(&totp_call(&s, &sess, "enable", Some("12345".into())).await, "totp_invalid");
    let on = totp_call(&s, &sess, "enable", good()).await;
    assert_eq!((on.status, &on.body["totp_enabled"]), (OK, &json!(true)), "{:?}", on.body);
    let r = totp_call(&s, &sess, "enable", good()).await;
    assert_problem(&r, StatusCode::CONFLICT, "totp_state");

    denied(&login(&s, &email, TEST_PASSWORD).await, "totp_required");
    let code = wrong_code(&secret, now());
    denied(&login_totp(&s, &email, TEST_PASSWORD, code).await, "totp_invalid");
    // A right code never rescues a wrong password.
    let code = totp::code_at(&secret, now());
    denied(&login_totp(&s, &email, "wrong password!", code).await, "invalid_credentials");
    // The code that turned TOTP on cannot be replayed (RFC 6238 section 5.2).
    denied(&login_totp(&s, &email, TEST_PASSWORD, totp::code_at(&secret, now())).await, "totp_invalid");
    s.clock().advance(jiff::SignedDuration::from_secs(30));
    let code = totp::code_at(&secret, now());
    let ok = login_totp(&s, &email, TEST_PASSWORD, code.clone()).await;
    assert_eq!(ok.status, OK, "{:?}", ok.body);
    assert_eq!(ok.body["user"]["totp_enabled"], true);
    denied(&login_totp(&s, &email, TEST_PASSWORD, code).await, "totp_invalid");
    s.clock().advance(jiff::SignedDuration::from_secs(30));
    let sess = s.refresh(&sess).await;

    // While on, a new setup cannot replace the secret; turning it off needs a valid code.
    let r = totp_call(&s, &sess, "setup", None).await;
    assert_problem(&r, StatusCode::CONFLICT, "totp_already_enabled");
    denied(&totp_call(&s, &sess, "disable", bad()).await, "totp_invalid");
    let off = totp_call(&s, &sess, "disable", good()).await;
    assert_eq!((off.status, &off.body["totp_enabled"]), (OK, &json!(false)), "{:?}", off.body);
    assert_eq!(login(&s, &email, TEST_PASSWORD).await.status, OK);
}

fn forge(claims: &Value, alg: Algorithm, secret: &[u8]) -> String {
    let key = EncodingKey::from_secret(secret);
    jsonwebtoken::encode(&Header::new(alg), claims, &key).expect("encode")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_expired_access_tokens_are_refused() {
    let s = TestServer::start().await;
    let sess = s.register("patient").await;
    let secret = s.jwt_secret().await;
    let parts: Vec<&str> = sess.access.split('.').collect();
    assert_eq!(parts.len(), 3);
    let payload = URL_SAFE_NO_PAD.decode(parts[1]).expect("base64url");
    let claims: Value = serde_json::from_slice(&payload).expect("claims");
    assert_eq!((&claims["aud"], &claims["iss"]), (&json!("psyter-api"), &json!("psyter-server")));

    // Control: the same claims signed with the server's secret and HS256 are accepted, so each
    // refusal below is about the one thing changed.
    assert_eq!(me(&s, &forge(&claims, Algorithm::HS256, &secret)).await, OK);

    let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let mut forged = vec![
        format!("{none}.{}.", parts[1]),
        format!("{none}.{}.{}", parts[1], parts[2]),
        format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(br#"{"sub":"x"}"#), parts[2]),
        forge(&claims, Algorithm::HS512, &secret),
        forge(&claims, Algorithm::HS256, b"a-different-secret-of-32-bytes!!"),
        "garbage".into(),
    ];
    for (key, value) in [
        ("aud", json!("psyter-signalling")),
        ("iss", json!("someone-else")),
        ("exp", json!(s.clock().now().as_second() - 60)),
        ("role", json!("admin")),
        ("exp", Value::Null),
    ] {
        let mut c = claims.clone();
        match value {
            Value::Null => drop(c.as_object_mut().expect("object").remove(key)),
            v => c[key] = v,
        }
        forged.push(forge(&c, Algorithm::HS256, &secret));
    }
    for token in &forged {
        denied(&s.get("/v1/me", Some(token)).await, "token_invalid");
    }
    for header in ["Basic dXNlcjpwYXNz", "Bearer", "Token abc", ""] {
        let r = s.call_raw(Method::GET, "/v1/me", &[("authorization", header)], None).await;
        denied(&r, "unauthorized");
    }

    // Expiry follows the server clock: 16 minutes after issue the 15-minute token is dead; the
    // session is not.
    assert_eq!(me(&s, &sess.access).await, OK);
    s.clock().advance(SignedDuration::from_mins(16));
    denied(&s.get("/v1/me", Some(&sess.access)).await, "token_invalid");
    let (_, access) = tokens(&refresh(&s, &sess.refresh).await);
    assert_eq!(me(&s, &access).await, OK);
}
