//! Importing a source into the index, incrementally: a record whose canonical content hashes
//! as stored is left alone; a changed one replaces the stored one unless the stored one was
//! modified later; the whole import is one transaction, logged with its source and times.

use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use vigie_osv::{base, ecosystem_key, package_key, parse_value, Record};

use crate::canonical::{canonical_json, content_hash};
use crate::db::VulnDb;
use crate::error::DbError;
use crate::source::{for_each, Item};

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// The source as given (a path, or the address it was downloaded from).
    pub source: String,
    /// Records new to the index.
    pub added: usize,
    /// Records whose content changed.
    pub updated: usize,
    /// Records read again with the same content.
    pub unchanged: usize,
    /// Records not taken because the index holds a version modified later.
    pub kept_newer: usize,
    /// Files that are not records: (file, reason).
    pub errors: Vec<(String, String)>,
}

impl ImportReport {
    /// Records read (every file that parsed).
    pub fn records(&self) -> usize {
        self.added + self.updated + self.unchanged + self.kept_newer
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl VulnDb {
    /// Imports every OSV record of a folder, zip archive or record file.
    pub fn import(&mut self, source: &Path) -> Result<ImportReport, DbError> {
        self.import_labelled(source, &source.display().to_string())
    }

    /// Imports, logging the source under another name (the address a file was downloaded from).
    pub fn import_labelled(&mut self, source: &Path, label: &str) -> Result<ImportReport, DbError> {
        let path = self.path.clone();
        let sql = |what| {
            let path = path.clone();
            move |source| DbError::Sql { path, what, source }
        };
        let started = now();
        let tx = self
            .conn
            .transaction()
            .map_err(sql("starting the import"))?;
        tx.execute(
            "INSERT INTO imports (source, started_at) VALUES (?1, ?2)",
            params![label, started],
        )
        .map_err(sql("logging the import"))?;
        let import_id = tx.last_insert_rowid();
        let mut report = ImportReport {
            source: label.to_owned(),
            ..ImportReport::default()
        };
        for_each(source, &mut |item| match item {
            Item::Unreadable { name, reason } => {
                report.errors.push((name, reason));
                Ok(())
            }
            Item::Record {
                name,
                bytes,
                format,
            } => match parse_value(&name, &bytes, format) {
                Err(e) => {
                    report.errors.push((e.file, e.reason.to_string()));
                    Ok(())
                }
                Ok((record, value)) => {
                    let canonical = canonical_json(&value);
                    store(&tx, &record, &canonical, &name, import_id, &mut report)
                        .map_err(sql("storing an advisory"))
                }
            },
        })?;
        tx.execute(
            "UPDATE imports SET finished_at = ?2, added = ?3, updated = ?4, unchanged = ?5,
             kept_newer = ?6, errors = ?7 WHERE id = ?1",
            params![
                import_id,
                now(),
                report.added as i64,
                report.updated as i64,
                report.unchanged as i64,
                report.kept_newer as i64,
                report.errors.len() as i64
            ],
        )
        .map_err(sql("logging the import"))?;
        tx.commit().map_err(sql("committing the import"))?;
        Ok(report)
    }
}

/// Whether `a` was modified after `b` (RFC 3339 times; text order when one does not parse).
fn later(a: &str, b: &str) -> bool {
    match (
        DateTime::parse_from_rfc3339(a),
        DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(x), Ok(y)) => x > y,
        _ => a > b,
    }
}

fn store(
    tx: &Transaction,
    record: &Record,
    canonical: &str,
    file: &str,
    import_id: i64,
    report: &mut ImportReport,
) -> rusqlite::Result<()> {
    let hash = content_hash(canonical);
    let existing: Option<(i64, String, Vec<u8>)> = tx
        .prepare_cached("SELECT key, modified, hash FROM advisories WHERE id = ?1")?
        .query_row(params![record.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let key = match existing {
        Some((_, _, stored)) if stored == hash => {
            report.unchanged += 1;
            return Ok(());
        }
        Some((_, modified, _)) if later(&modified, &record.modified) => {
            report.kept_newer += 1;
            return Ok(());
        }
        Some((key, _, _)) => {
            tx.prepare_cached(
                "UPDATE advisories SET modified = ?2, withdrawn = ?3, hash = ?4, body = ?5,
                 source = ?6, import_id = ?7 WHERE key = ?1",
            )?
            .execute(params![
                key,
                record.modified,
                record.withdrawn,
                hash,
                canonical,
                file,
                import_id
            ])?;
            tx.prepare_cached("DELETE FROM affected WHERE advisory = ?1")?
                .execute(params![key])?;
            tx.prepare_cached("DELETE FROM aliases WHERE advisory = ?1")?
                .execute(params![key])?;
            report.updated += 1;
            key
        }
        None => {
            tx.prepare_cached(
                "INSERT INTO advisories (id, modified, withdrawn, hash, body, source, import_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                record.id,
                record.modified,
                record.withdrawn,
                hash,
                canonical,
                file,
                import_id
            ])?;
            report.added += 1;
            tx.last_insert_rowid()
        }
    };
    let mut affected = tx.prepare_cached(
        "INSERT OR IGNORE INTO affected (ecosystem, package, advisory) VALUES (?1, ?2, ?3)",
    )?;
    let mut ecosystems =
        tx.prepare_cached("INSERT OR IGNORE INTO ecosystems (key, name) VALUES (?1, ?2)")?;
    for p in record.affected.iter().filter_map(|a| a.package.as_ref()) {
        let eco = ecosystem_key(&p.ecosystem);
        affected.execute(params![eco, package_key(&p.ecosystem, &p.name), key])?;
        ecosystems.execute(params![eco, base(&p.ecosystem)])?;
    }
    let mut aliases =
        tx.prepare_cached("INSERT OR IGNORE INTO aliases (alias, advisory) VALUES (?1, ?2)")?;
    for a in &record.aliases {
        aliases.execute(params![a, key])?;
    }
    Ok(())
}
