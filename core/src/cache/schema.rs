//! The schemas of the cache and the outbox: numbered migrations applied in order, keyed on `PRAGMA user_version`.
//!
//! Times are UTC milliseconds since the Unix epoch (`*_ms`, `*_at`) unless a column says otherwise.
//! Records the server sends are kept whole as JSON (`record`, `profile`) so reading one back yields the
//! exact wire value; the typed columns beside them exist for indexes, filters and triggers.
//! There are deliberately no foreign keys between synced tables: the feed sends each entity at its latest
//! change, so a note can arrive pages before the appointment it belongs to, and a sync page must never
//! be refused for arriving in the server's order.

use rusqlite::{Connection, TransactionBehavior};

use crate::CoreError;

/// The cache's migrations: each entry upgrades the schema from version `i` to `i + 1`.
pub(crate) const CACHE_MIGRATIONS: &[&str] = &[
    // 1: the offline copy of the user's appointments, their providers and notes, the feed cursor, the
    //    history search index, and the account record and local settings.
    r#"
    -- appointments: every appointment the user takes part in, as the wire `Appointment` (`record`), plus
    -- local placeholders for bookings made offline (`outbox_id` set: the id of the booking in the outbox
    -- database, so no foreign key; client-made id, status pending) until the server's record replaces
    -- them. Placeholders are derived from the outbox and reconciled with it on open. Cancelled and entered-in-error ones stay: they are history.
    -- `num` is a stable integer key shared with `history_fts`. An upsert never replaces a record with an
    -- older `version`. A session lasts at most a day (the domain caps it at 240 minutes), which bounds
    -- the index range of "not yet ended" queries.
    CREATE TABLE appointments (
        num INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        patient_id TEXT NOT NULL,
        provider_id TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        outbox_id INTEGER,
        record TEXT NOT NULL CHECK (json_valid(record)),
        CHECK (end_ms > start_ms AND end_ms - start_ms <= 86400000)
    ) STRICT;
    -- Upcoming and past pages walk this index in (start, id) order, from the page cursor.
    CREATE INDEX appointments_by_start ON appointments(start_ms, id);
    CREATE INDEX appointments_by_provider ON appointments(provider_id, start_ms);
    CREATE INDEX appointments_by_status ON appointments(status, start_ms);
    CREATE INDEX appointments_by_outbox ON appointments(outbox_id) WHERE outbox_id IS NOT NULL;

    -- providers: profiles (the wire `ProviderProfile`, in `profile`) of the providers the user's
    -- appointments reference and of recent search results. `fetched_at`: when the profile was last
    -- received; `searched_at`: when it last came back from a search (null if never), for offline search.
    CREATE TABLE providers (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        profile TEXT NOT NULL CHECK (json_valid(profile)),
        fetched_at INTEGER NOT NULL,
        searched_at INTEGER
    ) STRICT;
    CREATE INDEX providers_recently_searched ON providers(searched_at) WHERE searched_at IS NOT NULL;

    -- notes: a provider's session note per appointment (providers only ever receive their own).
    -- `updated_at` is kept as RFC 3339 text so it reads back exactly as the server sent it.
    CREATE TABLE notes (
        appointment_id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;

    -- sync_state: the one row saying how far the change feed has been applied. `cursor` only moves in the
    -- transaction that applies the page it ends, so it can never pass unapplied changes.
    CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        cursor INTEGER NOT NULL CHECK (cursor >= 0),
        last_sync_at INTEGER
    ) STRICT;
    INSERT INTO sync_state (id, cursor, last_sync_at) VALUES (1, 0, NULL);

    -- history_fts: full-text index over each appointment's provider name, reason and note; rowid is
    -- appointments.num. The triggers below keep it exact whatever code path writes.
    -- meta: small records keyed by name: the signed-in account (`me`, the wire `Me`) and local settings.
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL CHECK (json_valid(value))
    ) STRICT;

    CREATE VIRTUAL TABLE history_fts USING fts5(
        provider_name, reason, note, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER appointments_fts_insert AFTER INSERT ON appointments BEGIN
        INSERT INTO history_fts (rowid, provider_name, reason, note) VALUES (
            NEW.num, NEW.record ->> '$.provider_name', NEW.record ->> '$.reason',
            COALESCE((SELECT body FROM notes WHERE appointment_id = NEW.id), ''));
    END;
    CREATE TRIGGER appointments_fts_update AFTER UPDATE OF record ON appointments BEGIN
        UPDATE history_fts
        SET provider_name = NEW.record ->> '$.provider_name', reason = NEW.record ->> '$.reason'
        WHERE rowid = NEW.num;
    END;
    CREATE TRIGGER appointments_fts_delete AFTER DELETE ON appointments BEGIN
        DELETE FROM history_fts WHERE rowid = OLD.num;
    END;
    CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
        UPDATE history_fts SET note = NEW.body
        WHERE rowid = (SELECT num FROM appointments WHERE id = NEW.appointment_id);
    END;
    CREATE TRIGGER notes_fts_update AFTER UPDATE OF body ON notes BEGIN
        UPDATE history_fts SET note = NEW.body
        WHERE rowid = (SELECT num FROM appointments WHERE id = NEW.appointment_id);
    END;
    CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
        UPDATE history_fts SET note = ''
        WHERE rowid = (SELECT num FROM appointments WHERE id = OLD.appointment_id);
    END;
    "#,
    // 2: video consultation records (one per call attempt), shown in the telemedicine history.
    r#"
    CREATE TABLE calls (
        id INTEGER PRIMARY KEY,
        appointment_id TEXT NOT NULL,
        ended_at INTEGER,
        record TEXT NOT NULL CHECK (json_valid(record))
    ) STRICT;
    CREATE INDEX calls_by_appointment ON calls(appointment_id, id);
    "#,
];

/// The outbox database's migrations (a separate file with its own key, so a cache that has to be
/// rebuilt never takes queued actions with it).
pub(crate) const OUTBOX_MIGRATIONS: &[&str] = &[
    // 1: the outbox of user actions.
    r#"
    -- outbox: user actions (book, cancel, reschedule, status, note), written here before they are sent
    -- and sent with their idempotency key, so a crash or a lost response can only ever cause a replay.
    -- `kind` is checked in Rust (new kinds need no table rebuild). `target_id` is the appointment the
    -- action is about (for a booking: the provider). `state`: queued (waiting), sending (in flight; after
    -- a crash it is resent with the same key), failed (refused for good, e.g. slot taken; shown to the
    -- user), done (applied; never sent again). `result_id`: the appointment the server's answer named
    -- (for a booking: the real id replacing the placeholder). AUTOINCREMENT: an id is never reused, so an old id can
    -- never name a newer action (the cache's placeholders refer to bookings by this id).
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        target_id TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        idempotency_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'failed', 'done')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error_code TEXT,
        result_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX outbox_unsent ON outbox(id) WHERE state IN ('queued', 'sending');

    CREATE INDEX outbox_by_target ON outbox(target_id, id) WHERE state <> 'done';
    "#,
];

/// Applies every migration newer than the database's `user_version`, each in its own transaction;
/// refuses a database written by a newer build.
pub(crate) fn migrate(conn: &mut Connection, migrations: &[&str], what: &str) -> Result<(), CoreError> {
    let latest = migrations.len();
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let current = usize::try_from(current).map_err(|_| newer(what, current, latest))?;
    if current > latest {
        return Err(newer(what, current as i64, latest));
    }
    for (i, sql) in migrations.iter().enumerate().skip(current) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

fn newer(what: &str, found: i64, latest: usize) -> CoreError {
    CoreError::Storage { detail: format!("{what} schema v{found} is newer than this app (v{latest})") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_of(conn: &Connection) -> Vec<String> {
        let mut stmt = conn
            .prepare("SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY type, name")
            .expect("prepare");
        stmt.query_map([], |r| r.get(0)).expect("query").collect::<Result<_, _>>().expect("rows")
    }

    fn version_of(conn: &Connection) -> i64 {
        conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("user_version")
    }

    const ALL: [(&str, &[&str], &str); 2] =
        [("cache", CACHE_MIGRATIONS, "table history_fts "), ("outbox", OUTBOX_MIGRATIONS, "table outbox ")];

    #[test]
    fn every_upgrade_path_yields_the_fresh_schema() {
        for (what, migrations, marker) in ALL {
            let latest = migrations.len();
            let mut fresh = Connection::open_in_memory().expect("open");
            migrate(&mut fresh, migrations, what).expect("migrate");
            let want = schema_of(&fresh);
            assert!(want.iter().any(|s| s.starts_with(marker)), "{what}: {want:?}");
            assert_eq!(version_of(&fresh), latest as i64);
            for start in 0..=latest {
                let mut conn = Connection::open_in_memory().expect("open");
                for (i, sql) in migrations.iter().enumerate().take(start) {
                    conn.execute_batch(sql).expect("partial");
                    conn.pragma_update(None, "user_version", (i + 1) as i64).expect("version");
                }
                migrate(&mut conn, migrations, what).expect("upgrade");
                assert_eq!(schema_of(&conn), want, "{what}: upgrade from v{start}");
                assert_eq!(version_of(&conn), latest as i64, "{what}: version after upgrade from v{start}");
            }
        }
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        for (what, migrations, _) in ALL {
            let mut conn = Connection::open_in_memory().expect("open");
            migrate(&mut conn, migrations, what).expect("first");
            let before = schema_of(&conn);
            migrate(&mut conn, migrations, what).expect("second");
            assert_eq!(schema_of(&conn), before, "{what}");
        }
    }

    #[test]
    fn refuses_a_newer_database() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", CACHE_MIGRATIONS.len() as i64 + 1).expect("version");
        let err = migrate(&mut conn, CACHE_MIGRATIONS, "cache").expect_err("newer schema must be refused");
        assert_eq!(err.code(), "storage");
        assert!(err.to_string().contains("cache schema"), "{err}");
        assert!(schema_of(&conn).is_empty(), "nothing may be created in a newer database");
    }
}
