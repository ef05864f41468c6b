//! The encrypted cache's read paths at scale: cold open of a 10,000-appointment profile to its first
//! upcoming page, and a 50-row history page deep inside 50,000 appointments beside the same SQL (and
//! the same record decoding) on a bare keyed rusqlite connection.
// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use psyter_core::cache::{AppointmentFilter, Cache, PageCursor};
use psyter_domain::wire::{Appointment, Change, ChangeKind, ChangeOp, SyncPage};
use psyter_domain::{AppointmentId, AppointmentStatus, UserId};

const KEY: [u8; 32] = [0x5a; 32];
const PAGE: usize = 50;

fn now() -> Timestamp {
    "2030-03-10T12:00:00Z".parse().expect("now")
}

/// `n` appointments one hour apart, the latest 20 still to come, applied as 1000-change sync pages.
/// Returns the keys `(start_ms, id)` newest first.
fn seed(rt: &tokio::runtime::Runtime, path: &Path, n: usize) -> Vec<(i64, String)> {
    let cache = Cache::open(path, &KEY).expect("open");
    let (provider, patient) = (UserId::new(), UserId::new());
    let all: Vec<Appointment> = (0..n)
        .map(|i| {
            let start = now() + SignedDuration::from_hours(20 - i as i64);
            Appointment {
                id: AppointmentId::new(),
                patient_id: patient,
                patient_name: "Sam Patient".into(),
                provider_id: provider,
                provider_name: format!("Provider {}", i % 97),
                provider_time_zone: "Asia/Riyadh".into(),
                start,
                end: start + SignedDuration::from_mins(50),
                status: if i < 20 { AppointmentStatus::Booked } else { AppointmentStatus::Fulfilled },
                reason: format!("Follow-up session number {i} about sleep and stress"),
                cancel_reason: None,
                cancelled_by: None,
                price_cents: 9000,
                currency: "SAR".into(),
                created_at: start,
                updated_at: start,
                version: 1,
            }
        })
        .collect();
    let started = Instant::now();
    for (p, chunk) in all.chunks(1000).enumerate() {
        let changes = chunk
            .iter()
            .enumerate()
            .map(|(i, a)| Change {
                seq: (p * 1000 + i + 1) as i64,
                kind: ChangeKind::Appointment,
                id: a.id.to_string(),
                op: ChangeOp::Upsert,
                appointment: Some(a.clone()),
                note: None,
            })
            .collect();
        let page = SyncPage { changes, providers: Vec::new(), cursor: ((p + 1) * 1000) as i64, has_more: true };
        rt.block_on(cache.apply_sync_page(&page)).expect("apply");
    }
    eprintln!("seeded {n} appointments in {:?}", started.elapsed());
    all.iter().map(|a| (a.start.as_millisecond(), a.id.to_string())).collect()
}

fn bare(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode(KEY))).expect("key");
    conn
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");

    let small = dir.path().join("10k.db");
    seed(&rt, &small, 10_000);
    c.bench_function("cache cold open to first upcoming page (10,000 appointments)", |b| {
        b.iter(|| {
            let cache = Cache::open(&small, &KEY).expect("open");
            let page = rt.block_on(cache.upcoming(now(), PAGE, None, &AppointmentFilter::default())).expect("page");
            black_box(page.items.len())
        })
    });

    let large = dir.path().join("50k.db");
    let keys = seed(&rt, &large, 50_000);
    let (start, id) = keys[25_000].clone();
    let cursor: PageCursor = format!("{start}_{id}").parse().expect("cursor");
    let cache = Cache::open(&large, &KEY).expect("open");
    c.bench_function("cache history page of 50 at depth 25,000 of 50,000", |b| {
        b.iter(|| {
            let page = rt
                .block_on(cache.past(now(), PAGE, Some(cursor.clone()), &AppointmentFilter::default()))
                .expect("page");
            black_box(page.items.len())
        })
    });

    let conn = bare(&large);
    let sql = "SELECT record, start_ms, id FROM appointments WHERE (start_ms, id) < (?2, ?3) AND end_ms <= ?1
               ORDER BY start_ms DESC, id DESC LIMIT ?4";
    c.bench_function("bare rusqlite history page of 50 at depth 25,000 of 50,000", |b| {
        b.iter(|| {
            let mut stmt = conn.prepare_cached(sql).expect("prepare");
            let mut rows =
                stmt.query(rusqlite::params![now().as_millisecond(), start, id, PAGE as i64 + 1]).expect("query");
            let mut items = Vec::with_capacity(PAGE);
            while let Some(row) = rows.next().expect("row") {
                let record: String = row.get(0).expect("record");
                items.push(serde_json::from_str::<Appointment>(&record).expect("decode"));
            }
            black_box(items.len())
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
