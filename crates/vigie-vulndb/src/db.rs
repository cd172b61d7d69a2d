//! The index itself: opening (creating and migrating) `DIR/vulndb.sqlite`, looking advisories
//! up by (ecosystem, package) or id, and its statistics.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use vigie_osv::{ecosystem_key, matching_entries, package_key, parse_json_str, Record};

use crate::error::DbError;
use crate::schema::MIGRATIONS;

/// The index file's name inside the index folder.
pub const DB_FILE: &str = "vulndb.sqlite";

/// An open advisory index.
pub struct VulnDb {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    pub(crate) dir: PathBuf,
}

/// What the index holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The index file.
    pub path: PathBuf,
    /// Its size on disk, in bytes.
    pub bytes: u64,
    pub schema_version: i64,
    pub advisories: u64,
    pub withdrawn: u64,
    /// Distinct (ecosystem, package) pairs.
    pub packages: u64,
    /// Per ecosystem (base name), by name.
    pub ecosystems: Vec<EcosystemStats>,
    /// Every import, oldest first.
    pub imports: Vec<ImportInfo>,
    /// The prioritisation data imported (KEV catalogue, EPSS scores), by kind.
    pub priority: Vec<PrioritySource>,
}

/// The last import of one kind of prioritisation data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrioritySource {
    /// `kev` or `epss`.
    pub kind: String,
    pub source: String,
    pub version: Option<String>,
    pub published: Option<String>,
    pub imported_at: String,
    pub rows: u64,
}

/// Advisories and packages of one ecosystem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EcosystemStats {
    pub name: String,
    pub advisories: u64,
    pub packages: u64,
}

/// One import: where from, when, and what it changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportInfo {
    pub source: String,
    pub started_at: String,
    /// None when the import did not finish (nothing of it was kept).
    pub finished_at: Option<String>,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub kept_newer: u64,
    pub errors: u64,
}

impl VulnDb {
    /// Opens the index in `dir`, creating the folder and the index, and applying pending
    /// schema migrations.
    pub fn open(dir: &Path) -> Result<VulnDb, DbError> {
        std::fs::create_dir_all(dir).map_err(DbError::io(dir))?;
        let path = dir.join(DB_FILE);
        let open_err = |source| DbError::Open {
            path: path.clone(),
            source,
        };
        let mut conn = Connection::open(&path).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
             PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -32768;",
        )
        .map_err(open_err)?;
        migrate(&mut conn, &path)?;
        Ok(VulnDb {
            conn,
            path,
            dir: dir.to_owned(),
        })
    }

    /// Another connection to the same index, for another thread (readers do not wait for
    /// each other: the index is in WAL mode).
    pub fn reopen(&self) -> Result<VulnDb, DbError> {
        VulnDb::open(&self.dir)
    }

    /// The index file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn sql(&self, what: &'static str) -> impl FnOnce(rusqlite::Error) -> DbError + '_ {
        move |source| DbError::Sql {
            path: self.path.clone(),
            what,
            source,
        }
    }

    /// The advisories naming a package of an ecosystem, by id. The ecosystem may carry a
    /// release suffix ("Debian:12": only records for that release, or for none); package names
    /// compare as the ecosystem compares them (PEP 503 for PyPI).
    pub fn advisories_for(&self, ecosystem: &str, package: &str) -> Result<Vec<Record>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.body FROM affected f JOIN advisories a ON a.key = f.advisory
                 WHERE f.ecosystem = ?1 AND f.package = ?2 ORDER BY a.id",
            )
            .map_err(self.sql("preparing the package lookup"))?;
        let mut rows = stmt
            .query(params![
                ecosystem_key(ecosystem),
                package_key(ecosystem, package)
            ])
            .map_err(self.sql("looking a package up"))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(self.sql("reading an advisory"))? {
            // Borrowed from SQLite's row buffer: no copy before decoding.
            let (id, body) = (row.get_ref(0), row.get_ref(1));
            let (Ok(id), Ok(body)) = (
                id.and_then(|v| Ok(v.as_str()?)),
                body.and_then(|v| Ok(v.as_str()?)),
            ) else {
                return Err(DbError::Source {
                    path: self.path.clone(),
                    reason: "a stored advisory is not text".into(),
                });
            };
            let record = self.decode(id, body)?;
            if matching_entries(&record, ecosystem, package)
                .next()
                .is_some()
            {
                out.push(record);
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// The advisory with this id, if the index has it.
    pub fn advisory(&self, id: &str) -> Result<Option<Record>, DbError> {
        let body: Option<String> = self
            .conn
            .query_row(
                "SELECT body FROM advisories WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql("looking an advisory up"))?;
        body.map(|b| self.decode(id, &b)).transpose()
    }

    /// The ids of the advisories that have this alias (a CVE id, a GHSA id).
    pub fn ids_for_alias(&self, alias: &str) -> Result<Vec<String>, DbError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT a.id FROM aliases x JOIN advisories a ON a.key = x.advisory
                 WHERE x.alias = ?1 ORDER BY a.id",
            )
            .map_err(self.sql("preparing the alias lookup"))?;
        let ids = stmt
            .query_map(params![alias], |r| r.get(0))
            .map_err(self.sql("looking an alias up"))?
            .collect::<Result<Vec<String>, _>>()
            .map_err(self.sql("reading an alias"))?;
        Ok(ids)
    }

    fn decode(&self, id: &str, body: &str) -> Result<Record, DbError> {
        parse_json_str(id, body).map_err(|e| DbError::Source {
            path: self.path.clone(),
            reason: format!("stored advisory {id} does not read back: {}", e.reason),
        })
    }

    /// What the index holds, and its import history.
    pub fn stats(&self) -> Result<Stats, DbError> {
        let count = |sql: &str, what: &'static str| -> Result<u64, DbError> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n.max(0) as u64)
                .map_err(self.sql(what))
        };
        let advisories = count("SELECT count(*) FROM advisories", "counting advisories")?;
        let withdrawn = count(
            "SELECT count(*) FROM advisories WHERE withdrawn IS NOT NULL",
            "counting withdrawn advisories",
        )?;
        let packages = count(
            "SELECT count(*) FROM (SELECT DISTINCT ecosystem, package FROM affected)",
            "counting packages",
        )?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT coalesce(e.name, f.ecosystem), count(DISTINCT f.advisory), count(DISTINCT f.package)
                 FROM affected f LEFT JOIN ecosystems e ON e.key = f.ecosystem
                 GROUP BY f.ecosystem ORDER BY lower(coalesce(e.name, f.ecosystem))",
            )
            .map_err(self.sql("counting per ecosystem"))?;
        let ecosystems = stmt
            .query_map([], |r| {
                Ok(EcosystemStats {
                    name: r.get(0)?,
                    advisories: r.get::<_, i64>(1)?.max(0) as u64,
                    packages: r.get::<_, i64>(2)?.max(0) as u64,
                })
            })
            .map_err(self.sql("counting per ecosystem"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql("counting per ecosystem"))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT source, started_at, finished_at, added, updated, unchanged, kept_newer, errors
                 FROM imports ORDER BY id",
            )
            .map_err(self.sql("reading the import log"))?;
        let n = |r: &rusqlite::Row, i| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
        let imports = stmt
            .query_map([], |r| {
                Ok(ImportInfo {
                    source: r.get(0)?,
                    started_at: r.get(1)?,
                    finished_at: r.get(2)?,
                    added: n(r, 3)?,
                    updated: n(r, 4)?,
                    unchanged: n(r, 5)?,
                    kept_newer: n(r, 6)?,
                    errors: n(r, 7)?,
                })
            })
            .map_err(self.sql("reading the import log"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql("reading the import log"))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT kind, source, version, published, imported_at, rows
                 FROM priority_sources ORDER BY kind",
            )
            .map_err(self.sql("reading the prioritisation sources"))?;
        let priority = stmt
            .query_map([], |r| {
                Ok(PrioritySource {
                    kind: r.get(0)?,
                    source: r.get(1)?,
                    version: r.get(2)?,
                    published: r.get(3)?,
                    imported_at: r.get(4)?,
                    rows: n(r, 5)?,
                })
            })
            .map_err(self.sql("reading the prioritisation sources"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(self.sql("reading the prioritisation sources"))?;
        let schema_version = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.sql("reading the schema version"))?;
        let bytes = [self.path.clone(), self.path.with_extension("sqlite-wal")]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        Ok(Stats {
            path: self.path.clone(),
            bytes,
            schema_version,
            advisories,
            withdrawn,
            packages,
            ecosystems,
            imports,
            priority,
        })
    }

    /// The ecosystems `update` fetched before, in name order.
    pub fn updated_ecosystems(&self) -> Result<Vec<String>, DbError> {
        let mut stmt = self
            .conn
            .prepare("SELECT ecosystem FROM updates ORDER BY ecosystem")
            .map_err(self.sql("reading the update log"))?;
        let names = stmt
            .query_map([], |r| r.get(0))
            .map_err(self.sql("reading the update log"))?
            .collect::<Result<Vec<String>, _>>()
            .map_err(self.sql("reading the update log"))?;
        Ok(names)
    }
}

/// Applies the migrations the database lacks.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), DbError> {
    let sql = |what| {
        move |source| DbError::Sql {
            path: path.to_owned(),
            what,
            source,
        }
    };
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql("reading the schema version"))?;
    if version < 0 || version as usize > MIGRATIONS.len() {
        return Err(DbError::TooNew {
            path: path.to_owned(),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    for (i, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction().map_err(sql("starting a migration"))?;
        tx.execute_batch(migration)
            .map_err(sql("applying a schema migration"))?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(sql("recording the schema version"))?;
        tx.commit().map_err(sql("committing a migration"))?;
    }
    Ok(())
}
