//! Builders and file helpers shared by the cache tests.

use std::path::{Path, PathBuf};

use jiff::{SignedDuration, Timestamp};
use psyter_core::cache::{Cache, Outbox, OutboxItem, OutboxKind};
use psyter_domain::wire::{Appointment, Change, ChangeKind, ChangeOp, Note, SyncPage};
use psyter_domain::{AppointmentId, AppointmentStatus, Gender, ProviderProfile, UserId};
use serde_json::json;

/// A reason word that must never appear in plain bytes on disk.
pub const REASON_CANARY: &str = "canaryreasonq7f3a";
/// A note word that must never appear in plain bytes on disk.
pub const NOTE_CANARY: &str = "canarynotez91bd";
/// A provider name word that must never appear in plain bytes on disk.
pub const NAME_CANARY: &str = "Canarynamex5e2c";

/// One user profile's cache file in a temporary directory, with a random key.
pub struct Profile {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub key: [u8; 32],
}

impl Profile {
    /// A fresh profile with a random 32-byte key.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("profile.db");
        Self { _dir: dir, path, key: rand::random() }
    }

    /// Opens the profile's cache with its key.
    pub fn open(&self) -> Cache {
        Cache::open(&self.path, &self.key).expect("open cache")
    }

    /// Opens the profile's outbox (its own file) with the profile's key.
    pub fn open_outbox(&self) -> Outbox {
        Outbox::open(&self.outbox_file(""), &self.key).expect("open outbox")
    }

    /// The outbox file, or a file beside it (`-wal`).
    pub fn outbox_file(&self, suffix: &str) -> PathBuf {
        self.path.with_file_name(format!("outbox.db{suffix}"))
    }

    /// A file beside the database (`-wal`, `-shm`).
    pub fn file(&self, suffix: &str) -> PathBuf {
        PathBuf::from(format!("{}{suffix}", self.path.display()))
    }
}

/// The fixed "now" of every test.
pub fn now() -> Timestamp {
    "2030-03-10T12:00:00Z".parse().expect("now")
}

/// `m` minutes.
pub fn minutes(m: i64) -> SignedDuration {
    SignedDuration::from_mins(m)
}

/// A provider profile named `name`.
pub fn provider(name: &str) -> ProviderProfile {
    ProviderProfile {
        id: UserId::new(),
        display_name: name.into(),
        title: "Clinical psychologist".into(),
        specialties: vec!["anxiety".into()],
        languages: vec!["en".into(), "ar".into()],
        gender: Gender::Female,
        price_cents: 9000,
        currency: "SAR".into(),
        rating: 4.5,
        rating_count: 12,
        bio: "Ten years of practice.".into(),
        time_zone: "Asia/Riyadh".into(),
        session_minutes: 50,
    }
}

/// A booked 50-minute appointment with `p` at `start`.
pub fn appointment(p: &ProviderProfile, start: Timestamp, reason: &str) -> Appointment {
    Appointment {
        id: AppointmentId::new(),
        patient_id: UserId::new(),
        patient_name: "Sam Patient".into(),
        provider_id: p.id,
        provider_name: p.display_name.clone(),
        provider_time_zone: p.time_zone.clone(),
        start,
        end: start + minutes(50),
        status: AppointmentStatus::Booked,
        reason: reason.into(),
        cancel_reason: None,
        cancelled_by: None,
        price_cents: p.price_cents,
        currency: p.currency.clone(),
        created_at: start - minutes(60 * 24 * 7),
        updated_at: start - minutes(60 * 24 * 7),
        version: 1,
    }
}

/// A feed entry upserting `a`.
pub fn upsert(seq: i64, a: &Appointment) -> Change {
    let id = a.id.to_string();
    Change { seq, kind: ChangeKind::Appointment, id, op: ChangeOp::Upsert, appointment: Some(a.clone()), note: None }
}

/// A feed entry withdrawing an appointment, with or without its final record.
pub fn tombstone(seq: i64, id: AppointmentId, record: Option<&Appointment>) -> Change {
    let (kind, op, appointment) = (ChangeKind::Appointment, ChangeOp::Tombstone, record.cloned());
    Change { seq, kind, id: id.to_string(), op, appointment, note: None }
}

/// A feed entry writing a note.
pub fn note(seq: i64, id: AppointmentId, text: &str) -> Change {
    let note = Note { appointment_id: id, text: text.into(), updated_at: now() };
    Change {
        seq,
        kind: ChangeKind::Note,
        id: id.to_string(),
        op: ChangeOp::Upsert,
        appointment: None,
        note: Some(note),
    }
}

/// A feed entry deleting a note.
pub fn note_deleted(seq: i64, id: AppointmentId) -> Change {
    Change { seq, kind: ChangeKind::Note, id: id.to_string(), op: ChangeOp::Tombstone, appointment: None, note: None }
}

/// A sync page.
pub fn page(changes: Vec<Change>, providers: &[&ProviderProfile], cursor: i64) -> SyncPage {
    SyncPage { changes, providers: providers.iter().map(|p| (*p).clone()).collect(), cursor, has_more: false }
}

/// The cached copy of `a`, if any.
pub async fn get(cache: &Cache, a: &Appointment) -> Option<Appointment> {
    cache.appointment(&a.id.to_string()).await.expect("read appointment")
}

/// The ids of `items`, in order.
pub fn ids(items: &[Appointment]) -> Vec<AppointmentId> {
    items.iter().map(|a| a.id).collect()
}

/// Whether `needle` occurs in `haystack` as plain bytes.
pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The bytes of a file.
pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// A page whose reason, note and provider name carry the canaries.
pub fn canary_page() -> (SyncPage, ProviderProfile, Appointment) {
    let p = provider(&format!("Dr {NAME_CANARY}"));
    let a = appointment(&p, now() + minutes(60), &format!("{REASON_CANARY} since the move"));
    let pg = page(vec![upsert(1, &a), note(2, a.id, &format!("{NOTE_CANARY}: panic attacks"))], &[&p], 2);
    (pg, p, a)
}

/// A booking action for the outbox.
pub fn book_item(key: &str, reason: &str) -> OutboxItem {
    OutboxItem {
        kind: OutboxKind::Book,
        target_id: "provider-1".into(),
        payload: json!({ "provider_id": "provider-1", "start": "2030-03-11T09:00:00Z", "reason": reason }),
        idempotency_key: key.into(),
    }
}
