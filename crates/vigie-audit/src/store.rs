//! The run history: every audit run with its time, host, root and inputs, and the findings it
//! reported, in `DIR/audit.sqlite`, so that a posture view can show how findings come and go.
//! Schema changes are migrations counted by SQLite's `user_version`, each in its own
//! transaction; a history written by a newer Vigie is refused.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection};
use serde::Serialize;

use crate::error::AuditError;
use crate::finding::Status;
use crate::matcher::AuditReport;

/// The history file's name inside its folder.
pub const STORE_FILE: &str = "audit.sqlite";

/// Migration `i` takes the schema from version `i` to `i + 1`. Never edit an applied one.
const MIGRATIONS: &[&str] = &[
    // 1: runs and their findings.
    "
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,    -- RFC 3339 UTC
        host TEXT NOT NULL,
        root TEXT,                   -- --root, when OS packages were audited
        paths TEXT NOT NULL,         -- JSON list of the paths walked for lockfiles
        packages INTEGER NOT NULL,
        affected INTEGER NOT NULL,
        not_evaluated INTEGER NOT NULL,
        silenced INTEGER NOT NULL
    );
    CREATE TABLE findings (
        run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        ecosystem TEXT NOT NULL,
        package TEXT NOT NULL,
        version TEXT NOT NULL,
        advisory_id TEXT NOT NULL,
        aliases TEXT NOT NULL,       -- JSON list
        status TEXT NOT NULL,        -- 'affected' or 'not_evaluated'
        severity TEXT,               -- None, Low, Medium, High, Critical
        score REAL,
        vector TEXT,
        fixed TEXT NOT NULL,         -- JSON list, smallest first
        source TEXT NOT NULL,
        kev INTEGER NOT NULL,
        epss REAL
    );
    CREATE INDEX findings_by_run ON findings(run);
    CREATE INDEX findings_by_advisory ON findings(advisory_id);
    ",
];

/// What a run was asked to audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunInfo {
    /// RFC 3339 UTC.
    pub started_at: String,
    pub host: String,
    pub root: Option<PathBuf>,
    pub paths: Vec<PathBuf>,
}

/// One stored run and its counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    pub id: i64,
    pub started_at: String,
    pub host: String,
    pub root: Option<String>,
    pub packages: u64,
    pub affected: u64,
    pub not_evaluated: u64,
    pub silenced: u64,
}

/// A finding as stored for a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredFinding {
    pub ecosystem: String,
    pub package: String,
    pub version: String,
    pub advisory_id: String,
    pub status: String,
    pub severity: Option<String>,
    pub fixed: Vec<String>,
    pub source: String,
    pub kev: bool,
}

/// The run history, open.
pub struct RunStore {
    conn: Connection,
    path: PathBuf,
}

impl RunStore {
    /// Opens (creating and migrating) the history in `dir`.
    pub fn open(dir: &Path) -> Result<RunStore, AuditError> {
        let path = dir.join(STORE_FILE);
        let err = |what| {
            let path = path.clone();
            move |source| AuditError::Store { path, what, source }
        };
        std::fs::create_dir_all(dir).map_err(|source| AuditError::Read {
            path: dir.to_owned(),
            source,
        })?;
        let mut conn = Connection::open(&path).map_err(err("opening"))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err("opening"))?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;")
            .map_err(err("opening"))?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err("reading the schema version"))?;
        if !(0..=MIGRATIONS.len() as i64).contains(&version) {
            return Err(AuditError::StoreTooNew {
                path,
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction().map_err(err("migrating"))?;
            tx.execute_batch(step).map_err(err("migrating"))?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(err("migrating"))?;
            tx.commit().map_err(err("migrating"))?;
        }
        Ok(RunStore { conn, path })
    }

    /// The history file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, what: &'static str) -> impl FnOnce(rusqlite::Error) -> AuditError + '_ {
        move |source| AuditError::Store {
            path: self.path.clone(),
            what,
            source,
        }
    }

    /// Stores a run and its findings (silenced ones are counted, not stored); its id.
    pub fn record(&mut self, run: &RunInfo, report: &AuditReport) -> Result<i64, AuditError> {
        let path = self.path.clone();
        let err = |source| AuditError::Store {
            path: path.clone(),
            what: "storing a run",
            source,
        };
        let count = |s: Status| report.findings.iter().filter(|f| f.status == s).count() as i64;
        let tx = self.conn.transaction().map_err(err)?;
        let paths = serde_json::to_string(&run.paths).unwrap_or_else(|_| "[]".into());
        tx.execute(
            "INSERT INTO runs (started_at, host, root, paths, packages, affected, not_evaluated, silenced)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                run.started_at,
                run.host,
                run.root.as_ref().map(|r| r.display().to_string()),
                paths,
                report.packages as i64,
                count(Status::Affected),
                count(Status::NotEvaluated),
                report.silenced.len() as i64
            ],
        )
        .map_err(err)?;
        let id = tx.last_insert_rowid();
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO findings (run, ecosystem, package, version, advisory_id, aliases,
                     status, severity, score, vector, fixed, source, kev, epss)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                )
                .map_err(err)?;
            for f in &report.findings {
                ins.execute(params![
                    id,
                    f.ecosystem,
                    f.package,
                    f.version,
                    f.advisory_id,
                    json_list(&f.aliases),
                    status_name(&f.status),
                    f.rating().map(|r| r.as_str()),
                    f.severity.as_ref().and_then(|s| s.score),
                    f.severity.as_ref().and_then(|s| s.vector.as_deref()),
                    json_list(&f.fixed_versions),
                    f.source.display().to_string(),
                    f.kev,
                    f.epss.map(|e| e.score)
                ])
                .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(id)
    }

    /// Every stored run, oldest first.
    pub fn runs(&self) -> Result<Vec<RunSummary>, AuditError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, started_at, host, root, packages, affected, not_evaluated, silenced
                 FROM runs ORDER BY id",
            )
            .map_err(self.err("reading runs"))?;
        let n = |r: &rusqlite::Row, i| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
        let rows = stmt
            .query_map([], |r| {
                Ok(RunSummary {
                    id: r.get(0)?,
                    started_at: r.get(1)?,
                    host: r.get(2)?,
                    root: r.get(3)?,
                    packages: n(r, 4)?,
                    affected: n(r, 5)?,
                    not_evaluated: n(r, 6)?,
                    silenced: n(r, 7)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(self.err("reading runs"))?;
        Ok(rows)
    }

    /// The findings stored for a run, in the order they were reported.
    pub fn findings(&self, run: i64) -> Result<Vec<StoredFinding>, AuditError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT ecosystem, package, version, advisory_id, status, severity, fixed, source, kev
                 FROM findings WHERE run = ?1 ORDER BY rowid",
            )
            .map_err(self.err("reading findings"))?;
        let rows = stmt
            .query_map(params![run], |r| {
                let fixed: String = r.get(6)?;
                Ok(StoredFinding {
                    ecosystem: r.get(0)?,
                    package: r.get(1)?,
                    version: r.get(2)?,
                    advisory_id: r.get(3)?,
                    status: r.get(4)?,
                    severity: r.get(5)?,
                    fixed: serde_json::from_str(&fixed).unwrap_or_default(),
                    source: r.get(7)?,
                    kev: r.get(8)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(self.err("reading findings"))?;
        Ok(rows)
    }
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

fn status_name(s: &Status) -> &'static str {
    match s {
        Status::Affected => "affected",
        Status::NotEvaluated => "not_evaluated",
    }
}
