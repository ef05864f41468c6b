//! Minimal HTTP to the loopback server: health checks and logging in as a demo user.

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::time::Duration;

/// Password of every demo account created by `psyter-server --seed demo`.
pub const DEMO_PASSWORD: &str = "psyter-demo-2026";

/// An agent for loopback use: no proxy, short timeouts, HTTP errors returned as statuses.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// `GET url`, returning the status and body.
pub fn get(url: &str) -> Result<(u16, String)> {
    let mut response = agent().get(url).call().with_context(|| format!("GET {url}"))?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string()?;
    Ok((status, body))
}

/// `POST url` with a JSON body, returning the status and body.
pub fn post_json(url: &str, body: &Value) -> Result<(u16, String)> {
    let mut response = agent()
        .post(url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .send(body.to_string())
        .with_context(|| format!("POST {url}"))?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string()?;
    Ok((status, body))
}

/// A top-level string field of a JSON document, if present.
pub fn json_field(body: &str, field: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    value.get(field)?.as_str().map(str::to_string)
}

/// Logs in as `email` with the demo password and returns the bearer access token.
pub fn login(base: &str, email: &str) -> Result<String> {
    let url = format!("{base}/v1/auth/login");
    let (status, body) = post_json(&url, &json!({ "email": email, "password": DEMO_PASSWORD }))?;
    if status != 200 {
        let detail = json_field(&body, "detail").or_else(|| json_field(&body, "title")).unwrap_or(body);
        bail!("logging in as {email} failed: HTTP {status}: {detail}");
    }
    let token =
        json_field(&body, "access_token").with_context(|| format!("login response for {email} has no access_token"))?;
    println!("    logged in as {email} (POST {url} -> 200)");
    Ok(token)
}
