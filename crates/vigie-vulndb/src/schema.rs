//! The index's tables, as a list of migrations: the database's `user_version` says how many
//! have been applied; opening applies the rest, each in its own transaction. Never edit an
//! applied migration: append a new one.

/// Migration `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: advisories, the (ecosystem, package) index, aliases, the import log.
    "
    CREATE TABLE advisories (
        key INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        modified TEXT NOT NULL,
        withdrawn TEXT,
        hash BLOB NOT NULL,          -- SHA-256 of body
        body TEXT NOT NULL,          -- the record as canonical JSON (keys sorted)
        source TEXT NOT NULL,        -- the file it was last read from
        import_id INTEGER NOT NULL   -- the import that last wrote it
    );
    CREATE TABLE affected (
        ecosystem TEXT NOT NULL,     -- base name folded: 'pypi', 'debian', 'redhat'
        package TEXT NOT NULL,       -- name as the ecosystem compares names (PEP 503 for PyPI)
        advisory INTEGER NOT NULL REFERENCES advisories(key) ON DELETE CASCADE,
        PRIMARY KEY (ecosystem, package, advisory)
    ) WITHOUT ROWID;
    CREATE INDEX affected_by_advisory ON affected(advisory);
    CREATE TABLE aliases (
        alias TEXT NOT NULL,
        advisory INTEGER NOT NULL REFERENCES advisories(key) ON DELETE CASCADE,
        PRIMARY KEY (alias, advisory)
    ) WITHOUT ROWID;
    CREATE INDEX aliases_by_advisory ON aliases(advisory);
    CREATE TABLE ecosystems (
        key TEXT PRIMARY KEY,        -- as affected.ecosystem
        name TEXT NOT NULL           -- as first written by a record: 'PyPI', 'Red Hat'
    );
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        added INTEGER NOT NULL DEFAULT 0,
        updated INTEGER NOT NULL DEFAULT 0,
        unchanged INTEGER NOT NULL DEFAULT 0,
        kept_newer INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE updates (
        ecosystem TEXT PRIMARY KEY,  -- as given to `vigie vulndb update`
        url TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    ",
    // 2: prioritisation: the CISA KEV catalogue and EPSS scores, each replaced whole by its
    // import, and where each came from.
    "
    CREATE TABLE kev (
        cve TEXT PRIMARY KEY,
        date_added TEXT NOT NULL,
        due_date TEXT,
        ransomware TEXT,             -- knownRansomwareCampaignUse: 'Known', 'Unknown'
        vendor TEXT,
        product TEXT,
        name TEXT
    ) WITHOUT ROWID;
    CREATE TABLE epss (
        cve TEXT PRIMARY KEY,
        score REAL NOT NULL,         -- probability of exploitation in the next 30 days, 0 to 1
        percentile REAL NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE priority_sources (
        kind TEXT PRIMARY KEY,       -- 'kev' or 'epss'
        source TEXT NOT NULL,
        version TEXT,                -- KEV catalogVersion, EPSS model_version
        published TEXT,              -- KEV dateReleased, EPSS score_date
        imported_at TEXT NOT NULL,
        rows INTEGER NOT NULL
    );
    ",
];
