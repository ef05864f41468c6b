//! The encrypted offline cache on real files: encryption at rest, wrong keys and garbage files, destroy,
//! all-or-nothing sync pages, upcoming/past paging, history search and the outbox.

#[path = "cache/fixtures.rs"]
mod fixtures;

use fixtures::*;
use psyter_core::CoreError;
use psyter_core::cache::{AppointmentFilter, Cache, Outbox, OutboxItem, OutboxKind, OutboxState, PageCursor};
use psyter_domain::wire::Appointment;
use psyter_domain::{AppointmentId, AppointmentStatus};
use serde_json::json;

#[tokio::test]
async fn round_trip_with_a_random_key_survives_reopening() {
    let profile = Profile::new();
    let (pg, p, a) = canary_page();
    let cache = profile.open();
    cache.apply_sync_page(&pg).await.expect("apply");
    drop(cache);

    let cache = profile.open();
    let got = get(&cache, &a).await.expect("appointment kept");
    assert_eq!(serde_json::to_value(&got).expect("json"), serde_json::to_value(&a).expect("json"));
    assert_eq!(cache.provider(&p.id.to_string()).await.expect("provider"), Some(p));
    let n = cache.note(&a.id.to_string()).await.expect("note").expect("note kept");
    assert!(n.text.starts_with(NOTE_CANARY) && n.updated_at == now() && n.appointment_id == a.id);
    let state = cache.sync_state().await.expect("state");
    assert_eq!(state.cursor, 2);
    assert!(state.last_sync_at.is_some());
    assert_eq!(
        ids(&cache.upcoming(now(), 10, None, &AppointmentFilter::default()).await.expect("upcoming").items),
        [a.id]
    );
}

#[tokio::test]
async fn nothing_is_readable_on_disk() {
    let profile = Profile::new();
    let (pg, _, _) = canary_page();
    let cache = profile.open();
    cache.apply_sync_page(&pg).await.expect("apply");
    let outbox = profile.open_outbox();
    outbox.enqueue(book_item("k-canary", NOTE_CANARY)).await.expect("enqueue");
    // While open, the changes sit in the WAL: check both files.
    let (db, wal) = (read(&profile.path), read(&profile.file("-wal")));
    let outbox_wal = read(&profile.outbox_file("-wal"));
    assert!(!wal.is_empty() && !outbox_wal.is_empty(), "the writes should be in the WALs");
    drop((cache, outbox));
    // After closing, they are checkpointed into the database files.
    let closed = read(&profile.path);
    let outbox_closed = read(&profile.outbox_file(""));
    for (name, bytes) in [
        ("db (open)", &db),
        ("wal", &wal),
        ("db (closed)", &closed),
        ("outbox wal", &outbox_wal),
        ("outbox (closed)", &outbox_closed),
    ] {
        assert!(!bytes.starts_with(b"SQLite format 3"), "{name} has a plaintext SQLite header");
        for canary in [REASON_CANARY, NOTE_CANARY, NAME_CANARY, "provider_name", "CREATE TABLE"] {
            assert!(!contains(bytes, canary), "{name} contains {canary:?} in plain bytes");
        }
    }
    assert!(closed.len() >= 4096, "the database holds the data");
}

#[test]
fn the_plain_byte_check_would_see_an_unencrypted_database() {
    // Control for the test above: the same search finds the canary in a plain SQLite file.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plain.db");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch(&format!("CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('{REASON_CANARY}');")).expect("write");
    drop(conn);
    let bytes = read(&path);
    assert!(bytes.starts_with(b"SQLite format 3") && contains(&bytes, REASON_CANARY));
}

#[tokio::test]
async fn a_wrong_key_is_unreadable_and_harms_nothing() {
    let profile = Profile::new();
    let (pg, _, a) = canary_page();
    let cache = profile.open();
    cache.apply_sync_page(&pg).await.expect("apply");
    drop(cache);
    let mut wrong = profile.key;
    wrong[31] ^= 1;
    assert_eq!(Cache::open(&profile.path, &wrong).expect_err("wrong key"), CoreError::CacheUnreadable);
    // The right key still opens it, with everything in place.
    assert!(get(&profile.open(), &a).await.is_some());
}

#[tokio::test]
async fn garbage_plain_and_damaged_files_are_unreadable_and_can_be_rebuilt() {
    let profile = Profile::new();
    let garbage: Vec<u8> = (0..8192).map(|_| rand::random::<u8>()).collect();
    std::fs::write(&profile.path, &garbage).expect("write garbage");
    assert_eq!(Cache::open(&profile.path, &profile.key).expect_err("garbage"), CoreError::CacheUnreadable);

    Cache::destroy(&profile.path).expect("destroy");
    let conn = rusqlite::Connection::open(&profile.path).expect("plain");
    conn.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);").expect("plain write");
    drop(conn);
    assert_eq!(Cache::open(&profile.path, &profile.key).expect_err("plain SQLite"), CoreError::CacheUnreadable);

    // A real cache whose first page is overwritten.
    Cache::destroy(&profile.path).expect("destroy");
    drop(profile.open());
    let mut bytes = read(&profile.path);
    bytes[..4096].copy_from_slice(&garbage[..4096]);
    std::fs::write(&profile.path, &bytes).expect("damage");
    assert_eq!(Cache::open(&profile.path, &profile.key).expect_err("damaged"), CoreError::CacheUnreadable);

    // Rebuild: destroy, then a fresh cache opens at cursor 0.
    Cache::destroy(&profile.path).expect("destroy");
    assert_eq!(profile.open().cursor().await.expect("cursor"), 0);
}

#[tokio::test]
async fn destroy_removes_the_database_its_wal_and_shm() {
    let profile = Profile::new();
    let (pg, _, _) = canary_page();
    let cache = profile.open();
    cache.apply_sync_page(&pg).await.expect("apply");
    let files = [profile.path.clone(), profile.file("-wal"), profile.file("-shm")];
    let saved: Vec<Vec<u8>> = files.iter().map(|f| read(f)).collect();
    drop(cache);
    // A killed process leaves the WAL and shared-memory files behind: put them back as it would.
    for (f, bytes) in files.iter().zip(&saved) {
        std::fs::write(f, bytes).expect("restore");
    }
    Cache::destroy(&profile.path).expect("destroy");
    for f in &files {
        assert!(!f.exists(), "{} survived destroy", f.display());
    }
    Cache::destroy(&profile.path).expect("destroying nothing is fine");
}

#[tokio::test]
async fn sync_pages_upsert_and_tombstones_keep_history() {
    let profile = Profile::new();
    let cache = profile.open();
    let p = provider("Layla Haddad");
    let t = now() + minutes(60 * 24);
    let [a1, a2, a3, a4, a5] = [0, 1, 2, 3, 4].map(|i| appointment(&p, t + minutes(60 * i), "talk"));
    let first = vec![
        note(1, a1.id, "note one"),
        upsert(2, &a1),
        upsert(3, &a2),
        upsert(4, &a3),
        upsert(5, &a4),
        upsert(6, &a5),
        note(7, a2.id, "note two"),
    ];
    cache.apply_sync_page(&page(first, &[&p], 7)).await.expect("first page");
    assert!(cache.note(&a1.id.to_string()).await.expect("note").is_some(), "a note may precede its appointment");

    let cancelled = Appointment {
        status: AppointmentStatus::Cancelled,
        cancel_reason: Some("travel".into()),
        version: 2,
        ..a1.clone()
    };
    let in_error = Appointment { status: AppointmentStatus::EnteredInError, version: 2, ..a2.clone() };
    let fulfilled = Appointment { status: AppointmentStatus::Fulfilled, version: 2, ..a3.clone() };
    let second = vec![
        tombstone(8, a1.id, Some(&cancelled)),
        note_deleted(9, a1.id),
        tombstone(10, a2.id, Some(&in_error)),
        upsert(11, &fulfilled),
        tombstone(12, a4.id, None),
        tombstone(13, a5.id, Some(&a5)),
    ];
    cache.apply_sync_page(&page(second, &[], 13)).await.expect("second page");

    let got1 = get(&cache, &a1).await.expect("a cancelled appointment stays as history");
    assert_eq!((got1.status, got1.cancel_reason.as_deref(), got1.version), (cancelled.status, Some("travel"), 2));
    assert_eq!(get(&cache, &a2).await.expect("kept").status, AppointmentStatus::EnteredInError);
    assert_eq!(get(&cache, &a3).await.expect("kept").status, AppointmentStatus::Fulfilled);
    // A tombstone without its record, or with a record still marked live, still withdraws it.
    assert_eq!(get(&cache, &a4).await.expect("kept").status, AppointmentStatus::Cancelled);
    assert_eq!(get(&cache, &a5).await.expect("kept").status, AppointmentStatus::Cancelled);
    assert!(cache.note(&a1.id.to_string()).await.expect("note").is_none(), "note tombstone deletes");
    assert_eq!(cache.note(&a2.id.to_string()).await.expect("note").map(|n| n.text).as_deref(), Some("note two"));
    assert!(cache.search_history("one", 10).await.expect("search").is_empty(), "deleted note leaves the index");
    assert_eq!(cache.cursor().await.expect("cursor"), 13);
    assert_eq!(cache.upcoming(now(), 10, None, &AppointmentFilter::default()).await.expect("upcoming").items.len(), 5);
}

#[tokio::test]
async fn a_failing_page_applies_nothing_and_keeps_the_cursor() {
    let profile = Profile::new();
    let cache = profile.open();
    let p = provider("Omar Farouk");
    let a1 = appointment(&p, now() + minutes(90), "first reason");
    cache.apply_sync_page(&page(vec![upsert(1, &a1)], &[&p], 5)).await.expect("first page");

    let changed = Appointment { reason: "changedreason".into(), version: 2, ..a1.clone() };
    let mut broken = appointment(&p, now() + minutes(300), "never stored");
    broken.end = broken.start; // violates the schema's CHECK (end after start): the page fails mid-way
    let bad = page(vec![upsert(6, &changed), note(7, a1.id, "never noted"), upsert(8, &broken)], &[&p], 9);
    let err = cache.apply_sync_page(&bad).await.expect_err("constraint violation");
    assert_eq!(err.code(), "storage");

    assert_eq!(cache.cursor().await.expect("cursor"), 5, "the cursor must not pass unapplied changes");
    let kept = get(&cache, &a1).await.expect("first row");
    assert_eq!((kept.reason.as_str(), kept.version), ("first reason", 1), "the first row must not move");
    assert!(cache.note(&a1.id.to_string()).await.expect("note").is_none());
    assert!(get(&cache, &broken).await.is_none());
    assert!(cache.search_history("changedreason", 10).await.expect("search").is_empty());

    // The corrected page applies in full.
    broken.end = broken.start + minutes(50);
    let fixed = page(vec![upsert(6, &changed), note(7, a1.id, "noted"), upsert(8, &broken)], &[&p], 9);
    cache.apply_sync_page(&fixed).await.expect("fixed page");
    assert_eq!(cache.cursor().await.expect("cursor"), 9);
    assert_eq!(get(&cache, &a1).await.expect("row").reason, "changedreason");
}

#[tokio::test]
async fn an_older_version_never_replaces_a_newer_one() {
    let profile = Profile::new();
    let cache = profile.open();
    let p = provider("Omar Farouk");
    let old = appointment(&p, now() + minutes(90), "old");
    let new = Appointment { reason: "new".into(), version: 3, ..old.clone() };
    cache.apply_sync_page(&page(vec![upsert(1, &new)], &[&p], 1)).await.expect("new");
    cache.apply_sync_page(&page(vec![upsert(2, &old)], &[&p], 2)).await.expect("stale");
    assert_eq!(get(&cache, &old).await.expect("row").reason, "new");
    assert_eq!(cache.cursor().await.expect("cursor"), 2);
}

#[tokio::test]
async fn upcoming_and_past_page_through_everything_once_in_order() {
    let profile = Profile::new();
    let cache = profile.open();
    let (p, q) = (provider("Layla Haddad"), provider("Omar Farouk"));
    let offsets = [-60 * 24 * 10, -60 * 24 * 3, -120, -30, 60, 60, 60 * 24, 60 * 24 * 3, 60 * 24 * 40];
    let all: Vec<Appointment> = offsets
        .iter()
        .enumerate()
        .map(|(i, m)| appointment(if i % 2 == 0 { &p } else { &q }, now() + minutes(*m), "x"))
        .collect();
    let changes = all.iter().enumerate().map(|(i, a)| upsert(i as i64 + 1, a)).collect();
    cache.apply_sync_page(&page(changes, &[&p, &q], 9)).await.expect("apply");

    let by_key = |a: &Appointment| (a.start, a.id.to_string());
    let mut want_upcoming: Vec<_> = all.iter().filter(|a| a.end > now()).cloned().collect();
    want_upcoming.sort_by_key(by_key);
    let mut want_past: Vec<_> = all.iter().filter(|a| a.end <= now()).cloned().collect();
    want_past.sort_by_key(|a| std::cmp::Reverse(by_key(a)));
    assert_eq!(want_upcoming.len(), 6, "in progress (-30 min) counts as upcoming");

    let (mut got, mut cursor, mut pages) = (Vec::new(), None, 0);
    loop {
        let pg = cache.upcoming(now(), 2, cursor, &AppointmentFilter::default()).await.expect("upcoming");
        got.extend(ids(&pg.items));
        pages += 1;
        // Cursors survive a trip through their text form, as a shell would keep them.
        cursor = match pg.next {
            Some(c) => Some(c.to_string().parse::<PageCursor>().expect("cursor")),
            None => break,
        };
    }
    assert_eq!((got, pages), (ids(&want_upcoming), 3));

    let (mut got, mut cursor) = (Vec::new(), None);
    loop {
        let pg = cache.past(now(), 2, cursor, &AppointmentFilter::default()).await.expect("past");
        assert!(pg.items.len() <= 2);
        got.extend(ids(&pg.items));
        let Some(c) = pg.next else { break };
        cursor = Some(c);
    }
    assert_eq!(got, ids(&want_past));
}

#[tokio::test]
async fn history_search_matches_word_prefixes_of_names_reasons_and_notes() {
    let profile = Profile::new();
    let cache = profile.open();
    let (layla, omar, arabic) = (provider("Layla Haddad"), provider("Omar Farouk"), provider("ليلى حداد"));
    let a1 = appointment(&layla, now() - minutes(60 * 24 * 7), "Insomnia and stress");
    let a2 = appointment(&omar, now() - minutes(60 * 24 * 3), "Follow-up on anxiety");
    let a3 = appointment(&layla, now() - minutes(60 * 24), "Anxiety at work");
    let a4 = appointment(&arabic, now() + minutes(60 * 24), "Zoë's referral");
    let changes = vec![upsert(1, &a1), upsert(2, &a2), upsert(3, &a3), upsert(4, &a4), note(5, a2.id, "sleep hygiene")];
    cache.apply_sync_page(&page(changes, &[&layla, &omar, &arabic], 5)).await.expect("apply");

    let find = |q: &'static str| {
        let cache = cache.clone();
        async move { ids(&cache.search_history(q, 10).await.expect("search")) }
    };
    assert_eq!(find("lay").await, [a3.id, a1.id], "provider name prefix, latest first");
    assert_eq!(find("HADD").await, [a3.id, a1.id], "case-insensitive");
    assert_eq!(find("insom").await, [a1.id], "reason word prefix");
    assert_eq!(find("hygiene").await, [a2.id], "note word");
    assert_eq!(find("lay anx").await, [a3.id], "every word must match");
    assert_eq!(find("ليل").await, [a4.id], "Arabic prefix");
    assert_eq!(find("zoe").await, [a4.id], "diacritics ignored");
    assert!(find("zzz").await.is_empty());
    assert!(find(" \"*( ").await.is_empty(), "no words, no results, no syntax error");
    assert_eq!(find("\"anx\" OR NEAR(").await, Vec::<AppointmentId>::new(), "operators are plain words");

    // Cancelled appointments stay searchable history; a changed reason is reindexed.
    let cancelled = Appointment { status: AppointmentStatus::Cancelled, reason: "Burnout".into(), version: 2, ..a1 };
    cache.apply_sync_page(&page(vec![tombstone(6, a1.id, Some(&cancelled))], &[], 6)).await.expect("cancel");
    assert_eq!(find("burn").await, [a1.id]);
    assert!(find("insom").await.is_empty());
    assert_eq!(cache.search_history("a", 2).await.expect("limited").len(), 2);
}

#[tokio::test]
async fn the_outbox_is_durable_idempotent_and_final_once_done() {
    let profile = Profile::new();
    let cache = profile.open_outbox();
    let book = cache.enqueue(book_item("key-1", "stress")).await.expect("enqueue book");
    let cancel_item = OutboxItem {
        kind: OutboxKind::Cancel,
        target_id: "appt-9".into(),
        payload: json!({ "reason": "" }),
        idempotency_key: "key-2".into(),
    };
    let cancel = cache.enqueue(cancel_item).await.expect("enqueue cancel");
    assert!(cancel > book);
    assert_eq!(cache.enqueue(book_item("key-1", "stress")).await.expect("same action again"), book);
    let reused = cache.enqueue(book_item("key-1", "other")).await.expect_err("key reused for another action");
    assert_eq!(reused.code(), "internal");

    let pending = cache.pending().await.expect("pending");
    assert_eq!(pending.iter().map(|e| e.id).collect::<Vec<_>>(), [book, cancel]);
    let first = &pending[0];
    assert_eq!((first.kind, first.state, first.attempts), (OutboxKind::Book, OutboxState::Queued, 0));
    assert_eq!((first.idempotency_key.as_str(), first.payload["reason"].as_str()), ("key-1", Some("stress")));

    // Sending when the app dies: after reopening, the entry is still pending, attempt counted.
    cache.mark(book, OutboxState::Sending, None).await.expect("sending");
    drop(cache);
    let cache = profile.open_outbox();
    let pending = cache.pending().await.expect("pending");
    assert_eq!((pending[0].id, pending[0].state, pending[0].attempts), (book, OutboxState::Sending, 1));

    cache.mark(book, OutboxState::Queued, Some("offline")).await.expect("back to queue");
    cache.mark(book, OutboxState::Sending, None).await.expect("retry");
    cache.mark(book, OutboxState::Done, None).await.expect("done");
    cache.mark(cancel, OutboxState::Failed, Some("cancel_cutoff")).await.expect("failed");
    assert!(cache.pending().await.expect("pending").is_empty());
    let done = cache.entry(book).await.expect("entry").expect("kept");
    assert_eq!((done.state, done.attempts, done.last_error_code), (OutboxState::Done, 2, None));
    assert!(done.updated_at >= done.created_at);
    let failed = cache.entry(cancel).await.expect("entry").expect("kept");
    assert_eq!(failed.last_error_code.as_deref(), Some("cancel_cutoff"));

    assert_eq!(cache.unapplied().await.expect("unapplied").iter().map(|e| e.id).collect::<Vec<_>>(), [cancel]);
    assert!(cache.remove(cancel).await.expect("dismiss failed"));
    assert!(!cache.remove(cancel).await.expect("already gone"));
    assert_eq!(cache.prune_done(done.updated_at).await.expect("prune nothing older"), 0);
    assert_eq!(cache.prune_done(done.updated_at + jiff::SignedDuration::from_millis(1)).await.expect("prune"), 1);
    assert!(cache.entry(book).await.expect("entry").is_none());
    let again = cache.mark(cancel, OutboxState::Queued, None).await.expect_err("removed");
    assert_eq!(again, CoreError::NotFound);
    let fresh = cache.enqueue(book_item("key-3", "x")).await.expect("enqueue");
    cache.mark(fresh, OutboxState::Done, None).await.expect("done");
    let again = cache.mark(fresh, OutboxState::Queued, None).await.expect_err("done is final");
    assert_eq!(again.code(), "internal");
    assert_eq!(cache.mark(9999, OutboxState::Done, None).await.expect_err("missing"), CoreError::NotFound);
}

#[tokio::test]
async fn profiles_do_not_see_each_other() {
    let (alice, bob) = (Profile::new(), Profile::new());
    let (pg, _, a) = canary_page();
    alice.open().apply_sync_page(&pg).await.expect("apply");
    let bob_cache = bob.open();
    assert!(get(&bob_cache, &a).await.is_none());
    assert_eq!(Cache::open(&alice.path, &bob.key).expect_err("bob's key on alice's file"), CoreError::CacheUnreadable);
    drop(alice.open_outbox());
    let wrong = Outbox::open(&alice.outbox_file(""), &bob.key).expect_err("bob's key on alice's outbox");
    assert_eq!(wrong, CoreError::CacheUnreadable);
}
