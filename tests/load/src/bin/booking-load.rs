//! `booking-load`: contended booking load against a psyter-server seeded with `--seed demo:N`.
//!
//! Logs in as `load1..N@demo.psyter.app`, collects free slots of a few providers for the next
//! days, then fires booking attempts where several patients race for each slot. Prints counts by
//! status and latency percentiles (`booking result: key=value ...`). Exits non-zero on any 5xx,
//! transport error, double booking, or when no booking succeeded at all.

use anyhow::{Context, Result, bail, ensure};
use clap::Parser;
use jiff::{SignedDuration, Timestamp, Unit};
use psyter_load::Latencies;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Command line of `booking-load`.
#[derive(Parser, Debug)]
#[command(about = "Contended booking load against a psyter-server seeded with --seed demo:N")]
struct Cli {
    /// Base URL of the server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    server: String,
    /// Demo patients to book as (load1..N@demo.psyter.app).
    #[arg(long, default_value_t = 64)]
    patients: usize,
    /// Total booking attempts.
    #[arg(long, default_value_t = 2000)]
    attempts: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Providers whose slots are targeted.
    #[arg(long, default_value_t = 4)]
    providers: usize,
    /// Consecutive attempts aimed at the same slot (patients racing for it).
    #[arg(long, default_value_t = 4)]
    contenders: usize,
    /// Days ahead to collect free slots from.
    #[arg(long, default_value_t = 14)]
    days: i64,
    /// Password of the demo accounts.
    #[arg(long, default_value = "psyter-demo-2026")]
    password: String,
}

/// A free slot to aim at.
struct Slot {
    /// Provider id as returned by the server.
    provider_id: String,
    /// Start, exactly as the server wrote it.
    start: String,
    /// Parsed start and end, for the overlap check.
    span: (Timestamp, Timestamp),
}

/// The result of one booking attempt.
struct Attempt {
    /// Index into the slot list.
    slot: usize,
    /// HTTP status, or `None` on a transport error.
    status: Option<u16>,
    /// Time from sending to the full response body.
    latency: Duration,
    /// Response body (or transport error text).
    body: String,
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    ensure!(
        cli.patients > 0 && cli.attempts > 0 && cli.concurrency > 0 && cli.contenders > 0,
        "--patients, --attempts, --concurrency and --contenders must be positive"
    );
    let base = cli.server.trim_end_matches('/').to_string();
    let client = Client::builder().timeout(Duration::from_secs(30)).pool_max_idle_per_host(cli.concurrency).build()?;
    match client.get(format!("{base}/healthz")).send().await {
        Ok(r) if r.status().is_success() => {}
        Ok(r) => bail!("{base}/healthz answered HTTP {}", r.status()),
        Err(err) => bail!("{base}/healthz is unreachable: {err}"),
    }

    let started = Instant::now();
    let tokens = login_all(&client, &base, &cli).await?;
    println!("logged in {} patients in {:.1}s", tokens.len(), started.elapsed().as_secs_f64());
    let slots = collect_slots(&client, &base, &cli).await?;
    println!(
        "aiming {} attempts at {} free slots of {} providers, {} contenders per slot, {} in flight",
        cli.attempts,
        slots.len(),
        cli.providers,
        cli.contenders,
        cli.concurrency
    );

    let started = Instant::now();
    let attempts = fire(
        &client,
        &base,
        &cli,
        Arc::new(tokens),
        Arc::new(slots.iter().map(|s| (s.provider_id.clone(), s.start.clone())).collect()),
    )
    .await?;
    report(&attempts, &slots, started.elapsed())
}

/// Logs in every patient (8 at a time; password hashing is deliberately slow).
async fn login_all(client: &Client, base: &str, cli: &Cli) -> Result<Vec<String>> {
    let mut tokens = Vec::with_capacity(cli.patients);
    let emails: Vec<String> = (1..=cli.patients).map(|n| format!("load{n}@demo.psyter.app")).collect();
    for chunk in emails.chunks(8) {
        let mut set = tokio::task::JoinSet::new();
        for (offset, email) in chunk.iter().enumerate() {
            let (client, base, email, password) =
                (client.clone(), base.to_string(), email.clone(), cli.password.clone());
            set.spawn(async move { (offset, login(&client, &base, &email, &password).await) });
        }
        let mut done: Vec<(usize, Result<String>)> = set.join_all().await;
        done.sort_by_key(|(offset, _)| *offset);
        for (_, token) in done {
            tokens.push(token?);
        }
    }
    Ok(tokens)
}

/// Logs in one user, retrying politely when rate limited; returns the access token.
async fn login(client: &Client, base: &str, email: &str, password: &str) -> Result<String> {
    for attempt in 1..=10u64 {
        let response = client
            .post(format!("{base}/v1/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .with_context(|| format!("logging in as {email}"))?;
        let status = response.status();
        let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        let body = response.text().await?;
        if status == StatusCode::OK {
            let value: Value = serde_json::from_str(&body)?;
            return value["access_token"]
                .as_str()
                .map(str::to_string)
                .with_context(|| format!("login response for {email} has no access_token"));
        }
        if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
            // Honour Retry-After, but never sleep long: a lockout makes the run useless anyway.
            let wait = retry_after
                .map_or(Duration::from_millis(250 * attempt), Duration::from_secs)
                .min(Duration::from_secs(5));
            tokio::time::sleep(wait).await;
            continue;
        }
        bail!("logging in as {email} failed: HTTP {status}: {body} (was the server seeded with --seed demo:N?)");
    }
    bail!("logging in as {email}: still rate limited after 10 attempts")
}

/// GET `url` and parse JSON, failing on non-2xx.
async fn get_json(client: &Client, url: &str) -> Result<Value> {
    let response = client.get(url).send().await.with_context(|| format!("GET {url}"))?;
    let status = response.status();
    let body = response.text().await?;
    ensure!(status.is_success(), "GET {url}: HTTP {status}: {body}");
    serde_json::from_str(&body).with_context(|| format!("GET {url}: invalid JSON"))
}

/// Free slots of the first providers that have some, interleaved so neighbours differ.
async fn collect_slots(client: &Client, base: &str, cli: &Cli) -> Result<Vec<Slot>> {
    let page = get_json(client, &format!("{base}/v1/providers?limit=20")).await?;
    let from = Timestamp::now().round(Unit::Second)?;
    let to = from.checked_add(SignedDuration::from_hours(24 * cli.days))?;
    let mut per_provider: Vec<Vec<Slot>> = Vec::new();
    for item in page["items"].as_array().context("provider page has no `items`")? {
        if per_provider.len() == cli.providers {
            break;
        }
        let id = item["id"].as_str().context("provider without `id`")?;
        let url = format!("{base}/v1/providers/{id}/slots?from={from}&to={to}");
        let free: Vec<Slot> = get_json(client, &url).await?["slots"]
            .as_array()
            .context("slots response has no `slots`")?
            .iter()
            .filter(|s| s["status"] == "free")
            .filter_map(|s| {
                let (start, end) = (s["start"].as_str()?, s["end"].as_str()?);
                Some(Slot {
                    provider_id: id.to_string(),
                    start: start.to_string(),
                    span: (start.parse().ok()?, end.parse().ok()?),
                })
            })
            .collect();
        if !free.is_empty() {
            per_provider.push(free);
        }
    }
    let longest = per_provider.iter().map(Vec::len).max().unwrap_or(0);
    let mut columns: Vec<_> = per_provider.into_iter().map(Vec::into_iter).collect();
    let mut slots = Vec::new();
    for _ in 0..longest {
        slots.extend(columns.iter_mut().filter_map(Iterator::next));
    }
    ensure!(!slots.is_empty(), "no free slots found in the next {} days", cli.days);
    Ok(slots)
}

/// Fires the attempts with `concurrency` workers; attempt `i` aims at slot `i / contenders`.
async fn fire(
    client: &Client,
    base: &str,
    cli: &Cli,
    tokens: Arc<Vec<String>>,
    slots: Arc<Vec<(String, String)>>,
) -> Result<Vec<Attempt>> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..cli.concurrency {
        let (client, url, next) = (client.clone(), format!("{base}/v1/appointments"), next.clone());
        let (tokens, slots) = (tokens.clone(), slots.clone());
        let (attempts, contenders) = (cli.attempts, cli.contenders);
        workers.spawn(async move {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= attempts {
                    return done;
                }
                let slot = (i / contenders) % slots.len();
                let (provider_id, start) = &slots[slot];
                let token = &tokens[i % tokens.len()];
                let sent = Instant::now();
                let result = async {
                    let response = client
                        .post(&url)
                        .bearer_auth(token)
                        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                        .json(&json!({
                            "provider_id": provider_id,
                            "start": start,
                            "reason": "Load test: contended booking",
                        }))
                        .send()
                        .await?;
                    let status = response.status().as_u16();
                    Ok::<_, reqwest::Error>((status, response.text().await?))
                }
                .await;
                let latency = sent.elapsed();
                let (status, body) = match result {
                    Ok((status, body)) => (Some(status), body),
                    Err(err) => (None, err.to_string()),
                };
                done.push(Attempt { slot, status, latency, body });
            }
        });
    }
    Ok(workers.join_all().await.into_iter().flatten().collect())
}

/// Prints the summary and the parseable line; fails on 5xx, transport errors or double bookings.
fn report(attempts: &[Attempt], slots: &[Slot], took: Duration) -> Result<()> {
    let mut by_status: BTreeMap<String, (usize, &str)> = BTreeMap::new();
    for a in attempts {
        let key = a.status.map_or("transport error".to_string(), |s| s.to_string());
        by_status.entry(key).or_insert((0, &a.body)).0 += 1;
    }
    let count = |f: &dyn Fn(u16) -> bool| attempts.iter().filter(|a| a.status.is_some_and(f)).count();
    let created = count(&|s| s == 201);
    let conflict = count(&|s| s == 409);
    let server_errors = count(&|s| s >= 500);
    let transport = attempts.iter().filter(|a| a.status.is_none()).count();
    let other = attempts.len() - created - conflict - server_errors - transport;
    let double_booked = double_bookings(attempts, slots);
    let lat = Latencies::new(attempts.iter().map(|a| a.latency));
    let rps = attempts.len() as f64 / took.as_secs_f64().max(1e-9);

    println!("booking attempts by status (count, first body):");
    for (status, (n, body)) in &by_status {
        println!("  {status}: {n}  {}", body.chars().take(200).collect::<String>());
    }
    println!(
        "latency ms: p50 {:.2}  p95 {:.2}  p99 {:.2}  max {:.2}  ({} requests, {rps:.0} req/s)",
        lat.percentile(50.0),
        lat.percentile(95.0),
        lat.percentile(99.0),
        lat.max(),
        lat.len()
    );
    println!(
        "booking result: attempts={} created={created} conflict={conflict} other={other} \
         server_errors={server_errors} transport_errors={transport} double_booked={double_booked} \
         p50_ms={:.3} p95_ms={:.3} p99_ms={:.3} max_ms={:.3} rps={rps:.1}",
        attempts.len(),
        lat.percentile(50.0),
        lat.percentile(95.0),
        lat.percentile(99.0),
        lat.max()
    );
    ensure!(server_errors == 0, "{server_errors} booking attempts got 5xx");
    ensure!(transport == 0, "{transport} booking attempts failed without a response");
    ensure!(double_booked == 0, "{double_booked} slots were booked more than once");
    ensure!(created > 0, "no booking succeeded; see the statuses above");
    Ok(())
}

/// Counts provider bookings that overlap another successful booking (same slot or overlapping).
fn double_bookings(attempts: &[Attempt], slots: &[Slot]) -> usize {
    let mut booked: HashMap<&str, Vec<(Timestamp, Timestamp)>> = HashMap::new();
    for a in attempts.iter().filter(|a| a.status == Some(201)) {
        let slot = &slots[a.slot];
        booked.entry(&slot.provider_id).or_default().push(slot.span);
    }
    booked
        .values_mut()
        .map(|spans| {
            spans.sort();
            spans.windows(2).filter(|w| w[1].0 < w[0].1).count()
        })
        .sum()
}
