//! `bare-axum`: the "bare axum" floor for search benchmarks — one route, a fixed provider page.
//!
//! `GET /v1/providers` returns a precomputed JSON body shaped and sized like a full 20-item page
//! from psyter-server (about 8 KB), so wrk against it measures HTTP + axum and nothing else.

use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::http::header;
use axum::routing::get;
use axum::{Router, response::IntoResponse};
use clap::Parser;
use serde_json::{Value, json};

/// Command line of `bare-axum`.
#[derive(Parser, Debug)]
#[command(about = "A bare axum server with one fixed /v1/providers route (bench floor)")]
struct Cli {
    /// Address to listen on; port 0 picks a free one (the real address is printed).
    #[arg(long, default_value = "127.0.0.1:8081")]
    listen: String,
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let page = Bytes::from(serde_json::to_vec(&provider_page())?);
    println!("serving a fixed provider page of {} bytes", page.len());
    let app = Router::new().route(
        "/v1/providers",
        get(move || {
            let page = page.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], page).into_response() }
        }),
    );
    let listener = tokio::net::TcpListener::bind(&cli.listen)
        .await
        .with_context(|| format!("could not listen on {}", cli.listen))?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).with_graceful_shutdown(psyter_load::shutdown_signal()).await?;
    Ok(())
}

/// A 20-item provider page with the fields and sizes of psyter-server's search response.
fn provider_page() -> Value {
    const SPECIALTIES: [&str; 6] = ["anxiety", "depression", "couples", "trauma", "child", "addiction"];
    let items: Vec<Value> = (0..20u32)
        .map(|i| {
            let idx = i as usize;
            json!({
                "id": uuid::Uuid::from_u128(0x0102_0000_0000_8000_8000_0000_0000_0000 + u128::from(i)),
                "display_name": format!("Dr. Demo Provider {i}"),
                "title": "Psychologist",
                "specialties": [SPECIALTIES[idx % 6], SPECIALTIES[(idx + 1) % 6]],
                "languages": if i % 2 == 0 { json!(["ar", "en"]) } else { json!(["en"]) },
                "gender": if i % 2 == 0 { "female" } else { "male" },
                "price_cents": 9_500 + 500 * i,
                "currency": "USD",
                "rating": 4.87,
                "rating_count": 120 + i,
                "bio": "Psychologist with 12 years of experience helping adults with anxiety, \
                        depression. Sessions by video in English and Arabic.",
                "time_zone": "Africa/Cairo",
                "session_minutes": 50,
            })
        })
        .collect();
    json!({ "items": items, "next_cursor": "eyJvZmZzZXQiOjIwfQ" })
}
