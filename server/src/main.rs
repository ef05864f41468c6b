//! `psyter-server`: runs the reference API server.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use psyter_server::config::AgoraConfig;
use psyter_server::{AppState, Clock, Config, seed};

/// Psyter reference API server.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// SQLite database file (created if missing).
    #[arg(long, default_value = "psyter.db", env = "PSYTER_DB")]
    db: PathBuf,
    /// Address to listen on (loopback by default; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080", env = "PSYTER_LISTEN")]
    listen: String,
    /// Seed demo data: `demo` or `demo:N` for N providers (idempotent).
    #[arg(long)]
    seed: Option<String>,
    /// Agora App ID; with the certificate, video uses Agora instead of the sandbox engine.
    #[arg(long, env = "PSYTER_AGORA_APP_ID")]
    agora_app_id: Option<String>,
    /// Agora App Certificate (read from the environment; avoid passing secrets on the command line).
    #[arg(long, env = "PSYTER_AGORA_APP_CERTIFICATE", hide_env_values = true)]
    agora_app_certificate: Option<String>,
    /// Log as JSON lines instead of human-readable text.
    #[arg(long)]
    log_json: bool,
}

fn parse_seed(s: &str) -> anyhow::Result<u32> {
    match s.split_once(':') {
        None if s == "demo" => Ok(seed::DEFAULT_PROVIDERS),
        Some(("demo", n)) => {
            let n: u32 = n.parse().context("--seed demo:N needs a number")?;
            anyhow::ensure!((1..=100_000).contains(&n), "--seed demo:N takes 1 to 100000 providers");
            Ok(n)
        }
        _ => anyhow::bail!("--seed takes `demo` or `demo:N`"),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into());
    if args.log_json {
        tracing_subscriber::fmt().json().with_env_filter(filter).with_writer(std::io::stderr).init();
    } else {
        let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
        tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).init();
    }
    let mut config = Config::new(&args.db);
    if let (Some(app_id), Some(app_certificate)) = (args.agora_app_id.clone(), args.agora_app_certificate.clone()) {
        config.agora = Some(AgoraConfig { app_id, app_certificate });
    }
    let clock = Clock::default();
    let state = AppState::open(config, clock.clone())?;
    if let Some(s) = &args.seed {
        let n = parse_seed(s)?;
        let now = clock.now();
        let seeded = state.db.with_writer(|c| seed::seed_demo(c, n, now))?;
        tracing::info!(providers = n, fresh = seeded, "demo data ready");
    }
    let listener =
        tokio::net::TcpListener::bind(&args.listen).await.with_context(|| format!("binding {}", args.listen))?;
    let addr = listener.local_addr()?;
    println!("psyter-server listening on http://{addr}");
    if args.seed.is_some() {
        println!("{}", seed::accounts_banner());
    }
    println!(
        "Video engine: {}",
        if args.agora_app_id.is_some() && args.agora_app_certificate.is_some() { "agora" } else { "sandbox" }
    );
    psyter_server::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("shut down cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
