//! Numbered schema migrations applied in order, keyed on `PRAGMA user_version`.

use rusqlite::Connection;

/// Each entry upgrades the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: accounts, sessions and refresh tokens.
    r#"
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('patient', 'provider')),
        display_name TEXT NOT NULL,
        locale TEXT NOT NULL DEFAULT 'en-US',
        time_zone TEXT NOT NULL DEFAULT 'UTC',
        reminder_minutes TEXT NOT NULL DEFAULT '[1440,60]',
        totp_secret BLOB,
        totp_enabled INTEGER NOT NULL DEFAULT 0,
        totp_last_step INTEGER,
        created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        revoked_reason TEXT
    ) STRICT;
    CREATE INDEX sessions_user ON sessions(user_id);
    CREATE TABLE refresh_tokens (
        hash BLOB PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id),
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        replaced_by BLOB
    ) STRICT;
    CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);
    CREATE TABLE server_secrets (
        name TEXT PRIMARY KEY,
        value BLOB NOT NULL
    ) STRICT;
    "#,
    // 2: provider directory and availability.
    r#"
    CREATE TABLE providers (
        num INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE REFERENCES users(id),
        title TEXT NOT NULL,
        gender TEXT NOT NULL,
        price_cents INTEGER NOT NULL,
        currency TEXT NOT NULL,
        rating_milli INTEGER NOT NULL,
        rating_count INTEGER NOT NULL,
        bio TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        session_minutes INTEGER NOT NULL,
        rules TEXT NOT NULL,
        specialties TEXT NOT NULL DEFAULT '',
        languages TEXT NOT NULL DEFAULT ''
    ) STRICT;
    CREATE INDEX providers_rank ON providers(rating_milli DESC, id);
    CREATE TABLE provider_specialties (
        provider_id TEXT NOT NULL REFERENCES providers(id),
        specialty TEXT NOT NULL,
        PRIMARY KEY (specialty, provider_id)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE provider_languages (
        provider_id TEXT NOT NULL REFERENCES providers(id),
        language TEXT NOT NULL,
        PRIMARY KEY (language, provider_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX provider_specialties_by_provider ON provider_specialties(provider_id);
    CREATE INDEX provider_languages_by_provider ON provider_languages(provider_id);
    -- providers.specialties / .languages are comma-separated copies for reading profiles in one row;
    -- the tables above stay the source of truth for filtering, and these triggers keep the copies exact.
    CREATE TRIGGER provider_specialties_ins AFTER INSERT ON provider_specialties BEGIN
        UPDATE providers SET specialties = (SELECT COALESCE(group_concat(specialty, ','), '') FROM
            (SELECT specialty FROM provider_specialties WHERE provider_id = NEW.provider_id ORDER BY specialty))
        WHERE id = NEW.provider_id;
    END;
    CREATE TRIGGER provider_specialties_del AFTER DELETE ON provider_specialties BEGIN
        UPDATE providers SET specialties = (SELECT COALESCE(group_concat(specialty, ','), '') FROM
            (SELECT specialty FROM provider_specialties WHERE provider_id = OLD.provider_id ORDER BY specialty))
        WHERE id = OLD.provider_id;
    END;
    CREATE TRIGGER provider_languages_ins AFTER INSERT ON provider_languages BEGIN
        UPDATE providers SET languages = (SELECT COALESCE(group_concat(language, ','), '') FROM
            (SELECT language FROM provider_languages WHERE provider_id = NEW.provider_id ORDER BY language))
        WHERE id = NEW.provider_id;
    END;
    CREATE TRIGGER provider_languages_del AFTER DELETE ON provider_languages BEGIN
        UPDATE providers SET languages = (SELECT COALESCE(group_concat(language, ','), '') FROM
            (SELECT language FROM provider_languages WHERE provider_id = OLD.provider_id ORDER BY language))
        WHERE id = OLD.provider_id;
    END;
    "#,
    // 3: appointments, notes, idempotency keys and the change feed. Overlap is refused by triggers so
    // no code path (however it is written) can double-book a provider or a patient.
    r#"
    CREATE TABLE appointments (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES users(id),
        provider_id TEXT NOT NULL REFERENCES providers(id),
        start_ts INTEGER NOT NULL,
        end_ts INTEGER NOT NULL CHECK (end_ts > start_ts),
        block_start INTEGER NOT NULL,
        block_end INTEGER NOT NULL CHECK (block_end >= end_ts AND block_start <= start_ts),
        status TEXT NOT NULL,
        holds_time INTEGER NOT NULL CHECK (holds_time IN (0, 1)),
        reason TEXT NOT NULL DEFAULT '',
        price_cents INTEGER NOT NULL,
        currency TEXT NOT NULL,
        cancel_reason TEXT,
        cancelled_by TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    CREATE INDEX appointments_provider_time ON appointments(provider_id, block_start);
    CREATE INDEX appointments_patient_time ON appointments(patient_id, start_ts);
    CREATE TRIGGER appointments_no_overlap_insert BEFORE INSERT ON appointments WHEN NEW.holds_time = 1
    BEGIN
        SELECT RAISE(ABORT, 'slot_taken') WHERE EXISTS (
            SELECT 1 FROM appointments a
            WHERE a.provider_id = NEW.provider_id AND a.holds_time = 1
              AND a.block_start < NEW.block_end AND a.block_end > NEW.block_start);
        SELECT RAISE(ABORT, 'patient_overlap') WHERE EXISTS (
            SELECT 1 FROM appointments a
            WHERE a.patient_id = NEW.patient_id AND a.holds_time = 1
              AND a.start_ts < NEW.end_ts AND a.end_ts > NEW.start_ts);
    END;
    CREATE TRIGGER appointments_no_overlap_update
    BEFORE UPDATE OF start_ts, end_ts, block_start, block_end, holds_time ON appointments WHEN NEW.holds_time = 1
    BEGIN
        SELECT RAISE(ABORT, 'slot_taken') WHERE EXISTS (
            SELECT 1 FROM appointments a
            WHERE a.provider_id = NEW.provider_id AND a.holds_time = 1 AND a.id <> NEW.id
              AND a.block_start < NEW.block_end AND a.block_end > NEW.block_start);
        SELECT RAISE(ABORT, 'patient_overlap') WHERE EXISTS (
            SELECT 1 FROM appointments a
            WHERE a.patient_id = NEW.patient_id AND a.holds_time = 1 AND a.id <> NEW.id
              AND a.start_ts < NEW.end_ts AND a.end_ts > NEW.start_ts);
    END;
    CREATE TABLE notes (
        appointment_id TEXT PRIMARY KEY REFERENCES appointments(id),
        provider_id TEXT NOT NULL REFERENCES providers(id),
        body TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE idempotency_keys (
        user_id TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
        status INTEGER,
        body TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, key)
    ) STRICT;
    CREATE INDEX idempotency_keys_age ON idempotency_keys(created_at);
    CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        patient_id TEXT,
        provider_id TEXT,
        op TEXT NOT NULL CHECK (op IN ('upsert', 'tombstone')),
        UNIQUE (kind, entity_id)
    );
    CREATE INDEX changes_patient ON changes(patient_id, seq);
    CREATE INDEX changes_provider ON changes(provider_id, seq);
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Applies every migration newer than the database's `user_version`, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    let current: usize = conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))?.try_into()?;
    anyhow::ensure!(
        current <= SCHEMA_VERSION,
        "database schema v{current} is newer than this server (v{SCHEMA_VERSION})"
    );
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
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

    #[test]
    fn every_upgrade_path_yields_the_fresh_schema() {
        let mut fresh = Connection::open_in_memory().expect("open");
        migrate(&mut fresh).expect("migrate");
        let want = schema_of(&fresh);
        for start in 0..SCHEMA_VERSION {
            let mut conn = Connection::open_in_memory().expect("open");
            for (i, sql) in MIGRATIONS.iter().enumerate().take(start) {
                conn.execute_batch(sql).expect("partial");
                conn.pragma_update(None, "user_version", (i + 1) as i64).expect("version");
            }
            migrate(&mut conn).expect("upgrade");
            assert_eq!(schema_of(&conn), want, "upgrade from v{start}");
        }
    }

    #[test]
    fn refuses_a_newer_database() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", 99).expect("version");
        assert!(migrate(&mut conn).is_err());
    }
}
