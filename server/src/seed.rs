//! Deterministic demo data: providers across specialties, English and Arabic speakers and several time
//! zones (some with DST), realistic availability, demo accounts and a little history.

use jiff::civil::Time;
use jiff::{SignedDuration, Timestamp};
use psyter_domain::{
    AppointmentId, AvailabilityRules, Gender, SlotStatus, TimeRange, UserId, Weekday, WeeklyHours, generate_slots,
};
use rusqlite::{Connection, OptionalExtension, params};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "psyter-demo-2026";
/// The demo patient's email.
pub const DEMO_PATIENT: &str = "patient@demo.psyter.app";
/// A second demo patient, for account-switch demos.
pub const DEMO_PATIENT_2: &str = "patient2@demo.psyter.app";
/// The demo provider's email.
pub const DEMO_PROVIDER: &str = "provider@demo.psyter.app";
/// Providers in the default demo set.
pub const DEFAULT_PROVIDERS: u32 = 40;

const FIRST: &[&str] = &[
    "Sarah", "Omar", "Layla", "James", "Fatima", "Daniel", "Noura", "Michael", "Aisha", "Emma", "Khalid", "Olivia",
    "Yousef", "Hannah", "Mariam", "Lucas", "Reem", "Sofia", "Tariq", "Grace",
];
const LAST: &[&str] = &[
    "Mitchell",
    "Haddad",
    "Al-Qahtani",
    "Brennan",
    "Nasser",
    "Okafor",
    "Al-Farsi",
    "Lindqvist",
    "Rahman",
    "Costa",
    "Hassan",
    "Whitaker",
    "Saleh",
    "Moreau",
    "Karim",
    "Dubois",
];
const SPECIALTIES: &[&str] =
    &["anxiety", "depression", "couples", "trauma", "child", "addiction", "grief", "sleep", "eating", "ocd"];
const TITLES: &[&str] =
    &["Clinical psychologist", "Psychiatrist", "Licensed therapist", "Counselling psychologist", "Family therapist"];
const ZONES: &[&str] = &[
    "America/New_York",
    "Europe/London",
    "Asia/Riyadh",
    "Asia/Dubai",
    "Africa/Cairo",
    "Europe/Berlin",
    "America/Los_Angeles",
];

/// A tiny deterministic generator (xorshift64*), so the demo set is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Deterministic UUIDs for seeded rows, so links in docs and tests stay stable.
fn seeded_id(kind: u8, n: u64) -> UserId {
    let mut b = [0u8; 16];
    b[0] = 0x01;
    b[1] = kind;
    b[8..].copy_from_slice(&n.to_be_bytes());
    b[6] = (b[6] & 0x0f) | 0x80; // version 8 (custom)
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    UserId(uuid::Uuid::from_bytes(b))
}

fn t(h: i8, m: i8) -> Time {
    Time::constant(h, m, 0, 0)
}

fn rules_for(rng: &mut Rng, tz: &str) -> AvailabilityRules {
    let workdays: &[Weekday] = if tz == "Asia/Riyadh" || tz == "Asia/Dubai" {
        &[Weekday::Sunday, Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday]
    } else {
        &[Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday]
    };
    let evening = rng.below(3) == 0;
    let mut weekly = Vec::new();
    for &day in workdays {
        if evening {
            weekly.push(WeeklyHours { day, range: TimeRange { start: t(16, 0), end: t(21, 0) } });
        } else {
            weekly.push(WeeklyHours { day, range: TimeRange { start: t(9, 0), end: t(12, 30) } });
            weekly.push(WeeklyHours { day, range: TimeRange { start: t(13, 30), end: t(17, 0) } });
        }
    }
    let mut rules = AvailabilityRules::default_for(tz);
    rules.weekly = weekly;
    rules.session_minutes = [50, 50, 45, 60][rng.below(4) as usize];
    rules.slot_interval_minutes = if rules.session_minutes == 45 { 30 } else { 60 };
    rules.buffer_after_minutes = [0, 10, 10, 15][rng.below(4) as usize];
    rules.minimum_notice_minutes = [120, 240, 720, 1440][rng.below(4) as usize];
    rules.daily_limit = if rng.below(3) == 0 { Some(6) } else { None };
    rules
}

/// Seeds `providers` providers (and 100 numbered patients when more than the default) unless already seeded.
/// Returns false when the database already held demo data.
pub fn seed_demo(conn: &mut Connection, providers: u32, now: Timestamp) -> anyhow::Result<bool> {
    // The marker's value is stored as bytes; only its presence matters.
    let done: Option<i64> =
        conn.query_row("SELECT 1 FROM server_secrets WHERE name = 'seed'", [], |r| r.get(0)).optional()?;
    if done.is_some() {
        return Ok(false);
    }
    let hash = crate::auth::password::hash_blocking(DEMO_PASSWORD)?;
    let tx = conn.transaction()?;
    let created = now.as_second();
    let mut rng = Rng(0x5eed_u64 ^ 0x9E37_79B9_7F4A_7C15);
    {
        let mut user = tx.prepare(
            "INSERT INTO users (id, email, password_hash, role, display_name, locale, time_zone, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut prov = tx.prepare(
            "INSERT INTO providers (id, title, gender, price_cents, currency, rating_milli, rating_count, bio, time_zone, session_minutes, rules)
             VALUES (?1, ?2, ?3, ?4, 'USD', ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut spec = tx.prepare("INSERT INTO provider_specialties (provider_id, specialty) VALUES (?1, ?2)")?;
        let mut lang = tx.prepare("INSERT INTO provider_languages (provider_id, language) VALUES (?1, ?2)")?;
        for (i, (email, name, tz, locale)) in [
            (DEMO_PATIENT, "Omar Haddad", "Asia/Riyadh", "ar"),
            (DEMO_PATIENT_2, "Emily Carter", "America/New_York", "en-US"),
        ]
        .into_iter()
        .enumerate()
        {
            user.execute(params![
                seeded_id(1, i as u64).to_string(),
                email,
                hash,
                "patient",
                name,
                locale,
                tz,
                created
            ])?;
        }
        if providers > DEFAULT_PROVIDERS {
            for i in 1..=100u64 {
                let email = format!("load{i}@demo.psyter.app");
                user.execute(params![
                    seeded_id(1, 100 + i).to_string(),
                    email,
                    hash,
                    "patient",
                    format!("Load Patient {i}"),
                    "en-US",
                    "UTC",
                    created
                ])?;
            }
        }
        for i in 0..providers.max(1) as u64 {
            let id = seeded_id(2, i);
            let (email, name, tz) = if i == 0 {
                (DEMO_PROVIDER.to_owned(), "Dr. Sarah Mitchell".to_owned(), "Europe/London")
            } else {
                let name = format!("Dr. {} {}", rng.pick(FIRST), rng.pick(LAST));
                (format!("provider{i}@demo.psyter.app"), name, rng.pick(ZONES))
            };
            let arabic = matches!(tz, "Asia/Riyadh" | "Asia/Dubai" | "Africa/Cairo") || rng.below(5) == 0;
            let mut specs: Vec<&str> = (0..1 + rng.below(3)).map(|_| rng.pick(SPECIALTIES)).collect();
            if i == 0 {
                specs = vec!["anxiety", "depression", "trauma"];
            }
            specs.sort_unstable();
            specs.dedup();
            let title = rng.pick(TITLES);
            let gender = [Gender::Female, Gender::Male][rng.below(2) as usize];
            let price = 6000 + 500 * rng.below(19) as i64;
            let rating = 3500 + rng.below(1501) as i64;
            let bio = format!(
                "{title} with {} years of experience helping adults with {}. Sessions by video in {}.",
                4 + rng.below(20),
                specs.join(", "),
                if arabic { "English and Arabic" } else { "English" }
            );
            let rules = rules_for(&mut rng, tz);
            user.execute(params![
                id.to_string(),
                email,
                hash,
                "provider",
                name,
                if arabic { "ar" } else { "en-US" },
                tz,
                created
            ])?;
            prov.execute(params![
                id.to_string(),
                title,
                gender.as_str(),
                price,
                rating,
                5 + rng.below(400) as i64,
                bio,
                tz,
                rules.session_minutes,
                serde_json::to_string(&rules)?
            ])?;
            for s in &specs {
                spec.execute(params![id.to_string(), s])?;
            }
            lang.execute(params![id.to_string(), "en"])?;
            if arabic {
                lang.execute(params![id.to_string(), "ar"])?;
            }
        }
    }
    seed_history(&tx, now)?;
    tx.execute(
        "INSERT INTO server_secrets (name, value) VALUES ('seed', ?1)",
        [format!("demo:{providers}").into_bytes()],
    )?;
    tx.commit()?;
    Ok(true)
}

/// A fulfilled past visit with a note, a cancelled one, and an upcoming booking for the demo patient.
fn seed_history(tx: &rusqlite::Transaction<'_>, now: Timestamp) -> anyhow::Result<()> {
    let patient = seeded_id(1, 0);
    let provider = seeded_id(2, 0);
    let rules_json: String =
        tx.query_row("SELECT rules FROM providers WHERE id = ?1", [provider.to_string()], |r| r.get(0))?;
    let rules: AvailabilityRules = serde_json::from_str(&rules_json)?;
    let day = SignedDuration::from_hours(24);
    let past_from = now - day * 21;
    let past = generate_slots(&rules, past_from, past_from + day * 7, past_from, &[])?;
    let future = generate_slots(&rules, now + day * 3, now + day * 10, now, &[])?;
    let picks = [
        (
            past.first(),
            "fulfilled",
            "Follow-up on sleep and anxiety",
            Some("Patient reports better sleep; continue CBT-I plan."),
        ),
        (past.get(3), "cancelled", "Initial consultation", None),
        (future.iter().find(|s| s.status == SlotStatus::Free), "booked", "Check-in after two weeks", None),
    ];
    for (slot, status, reason, note) in picks {
        let Some(slot) = slot else { continue };
        let id = AppointmentId::new().to_string();
        let (bs, be) = psyter_domain::slots::blocked_range(&rules, slot.start, slot.end);
        let holds = status != "cancelled";
        tx.execute(
            "INSERT INTO appointments (id, patient_id, provider_id, start_ts, end_ts, block_start, block_end, status, holds_time, reason,
                price_cents, currency, cancel_reason, cancelled_by, created_at, updated_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, price_cents, currency, ?11, ?12, ?13, ?13 FROM providers WHERE id = ?3",
            params![
                id, patient.to_string(), provider.to_string(), slot.start.as_second(), slot.end.as_second(), bs.as_second(), be.as_second(),
                status, holds, reason, (!holds).then_some("Schedule conflict"), (!holds).then_some("patient"), now.as_second()
            ],
        )?;
        let op = if holds { "upsert" } else { "tombstone" };
        tx.execute(
            "INSERT INTO changes (kind, entity_id, patient_id, provider_id, op) VALUES ('appointment', ?1, ?2, ?3, ?4)",
            params![id, patient.to_string(), provider.to_string(), op],
        )?;
        if let Some(text) = note {
            tx.execute(
                "INSERT INTO notes (appointment_id, provider_id, body, updated_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, provider.to_string(), text, now.as_second()],
            )?;
            tx.execute(
                "INSERT INTO changes (kind, entity_id, provider_id, op) VALUES ('note', ?1, ?2, 'upsert')",
                params![id, provider.to_string()],
            )?;
        }
    }
    Ok(())
}

/// Adds `n` appointments one hour apart for the account `email` (the latest 20 still to come, the rest
/// fulfilled), spread over the seeded providers, with their change-feed entries: a large history for
/// client benchmarks (`core/benches/sync.rs`). Call after `seed_demo`.
pub fn seed_bulk_history(conn: &mut Connection, email: &str, n: u32, now: Timestamp) -> anyhow::Result<()> {
    let tx = conn.transaction()?;
    let patient: String = tx.query_row("SELECT id FROM users WHERE email = ?1", [email], |r| r.get(0))?;
    let providers: Vec<String> = tx
        .prepare("SELECT id FROM providers ORDER BY num LIMIT 50")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    anyhow::ensure!(!providers.is_empty(), "seed the demo providers first");
    let top = now.as_second() - now.as_second().rem_euclid(3600) + 3600 * 20;
    {
        let mut insert = tx.prepare(
            "INSERT INTO appointments (id, patient_id, provider_id, start_ts, end_ts, block_start, block_end, status, holds_time, reason,
                price_cents, currency, created_at, updated_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?4, ?5, ?6, 1, ?7, price_cents, currency, ?8, ?8 FROM providers WHERE id = ?3",
        )?;
        let mut change = tx.prepare(
            "INSERT INTO changes (kind, entity_id, patient_id, provider_id, op) VALUES ('appointment', ?1, ?2, ?3, 'upsert')",
        )?;
        for i in 0..i64::from(n) {
            let start = top - i * 3600;
            let provider = &providers[i as usize % providers.len()];
            let status = if start > now.as_second() { "booked" } else { "fulfilled" };
            let id = AppointmentId::new().to_string();
            let reason = format!("Session {i}: sleep, mood and routines");
            insert.execute(params![id, patient, provider, start, start + 3000, status, reason, now.as_second()])?;
            change.execute(params![id, patient, provider])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The demo accounts, for printing at start.
pub fn accounts_banner() -> String {
    format!(
        "Demo accounts (password: {DEMO_PASSWORD})\n  patient   {DEMO_PATIENT}\n  patient   {DEMO_PATIENT_2}\n  provider  {DEMO_PROVIDER}"
    )
}
