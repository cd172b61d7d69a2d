//! The store's SQL schema as a list of migrations: migration N (1-based) brings the database
//! from `PRAGMA user_version` N-1 to N, inside one transaction. A database newer than the
//! list is refused rather than guessed at.

use rusqlite::Connection;

/// Each step of the schema, in order. Never edit a step once released: append a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: indicators, sources, provenance, MISP feed state.
    r#"
    CREATE TABLE source (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        default_tlp INTEGER NOT NULL CHECK (default_tlp BETWEEN 0 AND 4),
        default_confidence INTEGER CHECK (default_confidence BETWEEN 0 AND 100),
        created TEXT NOT NULL,
        last_import TEXT
    );
    CREATE TABLE indicator (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        created TEXT NOT NULL,
        UNIQUE (type, value)
    );
    -- One row per (indicator, source): the source's view of the indicator, as last imported.
    CREATE TABLE provenance (
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
        reference TEXT NOT NULL,
        tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),
        confidence INTEGER CHECK (confidence BETWEEN 0 AND 100),
        to_ids INTEGER NOT NULL CHECK (to_ids IN (0, 1)),
        valid_from TEXT,
        valid_until TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        name TEXT,
        description TEXT,
        labels TEXT NOT NULL DEFAULT '[]',
        kill_chain TEXT NOT NULL DEFAULT '[]',
        attack TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (indicator_id, source_id)
    ) WITHOUT ROWID;
    CREATE INDEX provenance_source ON provenance(source_id);
    CREATE INDEX provenance_valid_until ON provenance(valid_until);
    -- What a MISP feed import has taken: the event timestamp from the feed's manifest.
    CREATE TABLE feed_event (
        source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
        event_uuid TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (source_id, event_uuid)
    ) WITHOUT ROWID;
    "#,
    // 2: which indicators each MISP feed event gave, so that a value an event no longer holds
    // (or an event gone from the manifest) loses that source's provenance.
    r#"
    CREATE TABLE feed_event_value (
        source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
        event_uuid TEXT NOT NULL,
        indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
        PRIMARY KEY (source_id, event_uuid, indicator_id)
    ) WITHOUT ROWID;
    CREATE INDEX feed_event_value_indicator ON feed_event_value(source_id, indicator_id);
    "#,
    // 3: where each TAXII collection a source syncs stands: the server's `date_added` of the
    // last object taken (its X-TAXII-Date-Added-Last header, kept as the server wrote it), so
    // the next sync asks only for what was added after it.
    r#"
    CREATE TABLE taxii_state (
        source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
        api_root TEXT NOT NULL,
        collection TEXT NOT NULL,
        last_added TEXT NOT NULL,
        synced_at TEXT NOT NULL,
        PRIMARY KEY (source_id, api_root, collection)
    ) WITHOUT ROWID;
    "#,
];

/// The schema version this code writes.
pub fn current_version() -> i64 {
    i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX)
}

/// What the database says its version is.
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Applies the migrations the database lacks. `Ok(Err(found))` when it is newer than this code.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<Result<i64, i64>> {
    let found = version(conn)?;
    if found > current_version() {
        return Ok(Err(found));
    }
    for (i, step) in MIGRATIONS.iter().enumerate() {
        let target = i64::try_from(i + 1).unwrap_or(i64::MAX);
        if target <= found {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", target)?;
        tx.commit()?;
    }
    Ok(Ok(version(conn)?))
}
