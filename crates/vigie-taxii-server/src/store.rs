//! The TAXII object store: one SQLite file (`taxii.sqlite` in the data folder) holding every
//! version of every object of every collection with its `date_added` (strictly increasing,
//! microseconds), its TLP (from its markings, else the collection's default), and the status
//! resources of POST requests.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};
use vigie_intel::Tlp;

use crate::error::ServerError;
use crate::filter::Filter;

/// The store file in the data folder.
pub const STORE_FILE: &str = "taxii.sqlite";

const SCHEMA: &[&str] = &["
    CREATE TABLE object (
        seq INTEGER PRIMARY KEY,
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        version TEXT NOT NULL,
        spec_version TEXT NOT NULL,
        added_us INTEGER NOT NULL,
        tlp INTEGER NOT NULL,
        json TEXT NOT NULL,
        UNIQUE (collection, id, version)
    );
    CREATE INDEX object_by_id ON object(collection, id);
    CREATE TABLE status (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        json TEXT NOT NULL
    );
"];

/// One stored version of an object.
#[derive(Debug, Clone)]
pub struct Stored {
    pub seq: i64,
    pub id: String,
    pub version: String,
    pub spec_version: String,
    pub added_us: i64,
    pub json: String,
}

impl Stored {
    pub fn date_added(&self) -> String {
        timestamp(self.added_us)
    }
}

/// A TAXII timestamp (RFC 3339, microseconds, `Z`) from microseconds since the epoch.
pub fn timestamp(us: i64) -> String {
    DateTime::from_timestamp_micros(us)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    last_added: i64,
}

/// What one POST did, per object.
#[derive(Debug, Default)]
pub struct AddOutcome {
    pub successes: Vec<Value>,
    pub failures: Vec<Value>,
}

/// The TLP an object is marked with (predefined TLP marking ids), if any.
fn marked_tlp(o: &Value) -> Option<Tlp> {
    o.get("object_marking_refs")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .filter_map(Tlp::from_marking_id)
        .max()
}

impl Store {
    pub fn open(dir: &Path) -> Result<Store, ServerError> {
        std::fs::create_dir_all(dir).map_err(|source| ServerError::DataDir {
            path: dir.display().to_string(),
            source,
        })?;
        let path = dir.join(STORE_FILE);
        let err = |source| ServerError::Store {
            path: path.display().to_string(),
            source,
        };
        let mut conn = Connection::open(&path).map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        for (i, step) in SCHEMA.iter().enumerate().skip(version.max(0) as usize) {
            let tx = conn.transaction().map_err(err)?;
            tx.execute_batch(step).map_err(err)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        let last_added: i64 = conn
            .query_row("SELECT COALESCE(MAX(added_us), 0) FROM object", [], |r| {
                r.get(0)
            })
            .map_err(err)?;
        Ok(Store {
            conn,
            path,
            last_added,
        })
    }

    fn err(&self, source: rusqlite::Error) -> ServerError {
        ServerError::Store {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// Adds an envelope's objects to a collection; each object succeeds or fails on its own.
    pub fn add(
        &mut self,
        collection: &str,
        objects: &[Value],
        default_tlp: Tlp,
    ) -> Result<AddOutcome, ServerError> {
        let mut out = AddOutcome::default();
        let tx = self
            .conn
            .transaction()
            .map_err(|source| ServerError::Store {
                path: self.path.display().to_string(),
                source,
            })?;
        let mut last_added = self.last_added;
        for o in objects {
            let id = o.get("id").and_then(Value::as_str).unwrap_or("");
            let kind = o.get("type").and_then(Value::as_str).unwrap_or("");
            let fail = |message: &str| json!({"id": id, "message": message});
            if id.is_empty() || kind.is_empty() || !id.starts_with(&format!("{kind}--")) {
                out.failures.push(fail(
                    "not a STIX object: `id` must be `type--uuid` with its `type`",
                ));
                continue;
            }
            now_after(&mut last_added);
            let version = o
                .get("modified")
                .or_else(|| o.get("created"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| timestamp(last_added));
            let spec_version = o
                .get("spec_version")
                .and_then(Value::as_str)
                .unwrap_or("2.1");
            let tlp = if kind == "marking-definition" {
                Tlp::Clear
            } else {
                marked_tlp(o).unwrap_or(default_tlp)
            };
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO object (collection, id, type, version, spec_version, added_us, tlp, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![collection, id, kind, version, spec_version, last_added, tlp.rank(), o.to_string()],
            );
            match inserted {
                Ok(_) => out.successes.push(json!({"id": id, "version": version})),
                Err(e) => out.failures.push(fail(&e.to_string())),
            }
        }
        tx.commit().map_err(|source| ServerError::Store {
            path: self.path.display().to_string(),
            source,
        })?;
        self.last_added = last_added;
        Ok(out)
    }

    /// The versions of a collection's objects a partner cleared for `clearance` may see and
    /// the filter keeps, in `date_added` order.
    pub fn query(
        &self,
        collection: &str,
        filter: &Filter,
        clearance: Tlp,
    ) -> Result<Vec<Stored>, ServerError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT seq, id, type, version, spec_version, added_us, json FROM object
                 WHERE collection = ?1 AND tlp <= ?2 ORDER BY seq",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![collection, clearance.rank()], |r| {
                Ok((
                    Stored {
                        seq: r.get(0)?,
                        id: r.get(1)?,
                        version: r.get(3)?,
                        spec_version: r.get(4)?,
                        added_us: r.get(5)?,
                        json: r.get(6)?,
                    },
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut all = Vec::new();
        for row in rows {
            all.push(row.map_err(|e| self.err(e))?);
        }
        Ok(filter.apply(all))
    }

    /// Deletes the versions of one object the filter keeps (and the partner may see).
    pub fn delete(
        &mut self,
        collection: &str,
        filter: &Filter,
        clearance: Tlp,
    ) -> Result<usize, ServerError> {
        let doomed = self.query(collection, filter, clearance)?;
        let mut n = 0;
        for s in &doomed {
            n += self
                .conn
                .execute("DELETE FROM object WHERE seq = ?1", params![s.seq])
                .map_err(|e| self.err(e))?;
        }
        Ok(n)
    }

    pub fn put_status(&self, id: &str, owner: &str, status: &Value) -> Result<(), ServerError> {
        self.conn
            .execute(
                "INSERT INTO status (id, owner, json) VALUES (?1, ?2, ?3)",
                params![id, owner, status.to_string()],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// A status resource, for the partner who made the request only.
    pub fn status(&self, id: &str, owner: &str) -> Result<Option<Value>, ServerError> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT json FROM status WHERE id = ?1 AND owner = ?2",
                params![id, owner],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }
}

/// Moves a `date_added` clock to now, or just after its last value.
fn now_after(last: &mut i64) {
    let now = Utc::now().timestamp_micros();
    *last = now.max(*last + 1);
}
