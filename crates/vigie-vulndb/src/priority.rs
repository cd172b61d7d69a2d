//! Prioritisation data beside the advisories: CISA's Known Exploited Vulnerabilities catalogue
//! (its JSON feed) and FIRST's EPSS scores (its CSV, plain or gzipped), each imported whole in
//! one transaction, replacing the previous import of the same kind, and looked up by CVE id.
//! A malformed entry or line is listed with its place and reason while the rest imports.

use std::io::Read;
use std::path::Path;

use chrono::{SecondsFormat, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::db::VulnDb;
use crate::error::DbError;

/// The largest catalogue or score file read (EPSS's is about 10 MB uncompressed).
const MAX_FILE: u64 = 512 << 20;

/// Which prioritisation data a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PriorityKind {
    /// CISA Known Exploited Vulnerabilities catalogue (JSON).
    Kev,
    /// FIRST Exploit Prediction Scoring System scores (CSV).
    Epss,
}

impl PriorityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PriorityKind::Kev => "kev",
            PriorityKind::Epss => "epss",
        }
    }
}

/// A KEV catalogue entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KevEntry {
    pub cve: String,
    pub date_added: String,
    pub due_date: Option<String>,
    /// `knownRansomwareCampaignUse`: "Known" or "Unknown".
    pub ransomware: Option<String>,
}

/// An EPSS score: the probability of exploitation in the next 30 days and its percentile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EpssScore {
    pub score: f64,
    pub percentile: f64,
}

/// What a prioritisation import read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriorityReport {
    pub kind: PriorityKind,
    pub source: String,
    /// KEV `catalogVersion`, EPSS `model_version`.
    pub version: Option<String>,
    /// KEV `dateReleased`, EPSS `score_date`.
    pub published: Option<String>,
    /// Entries stored.
    pub rows: usize,
    /// Entries not read: (place, reason), place being `vulnerabilities[N]` or `line N`.
    pub errors: Vec<(String, String)>,
}

/// What a file is, by its name and first bytes: a KEV catalogue (`.json` with a
/// `catalogVersion` and `vulnerabilities`) or EPSS scores (`.csv` / `.csv.gz` starting with
/// `#model_version` or a `cve,epss` header); `None` for anything else (an OSV source).
pub fn sniff(path: &Path) -> Option<PriorityKind> {
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
    if !(name.ends_with(".json") || name.ends_with(".csv") || name.ends_with(".csv.gz")) {
        return None;
    }
    let mut head = Vec::new();
    open(path).ok()?.take(4096).read_to_end(&mut head).ok()?;
    let head = String::from_utf8_lossy(&head);
    if name.ends_with(".json") {
        (head.contains("\"catalogVersion\"") && head.contains("\"vulnerabilities\""))
            .then_some(PriorityKind::Kev)
    } else {
        let first = head.trim_start().to_ascii_lowercase();
        (first.starts_with("#model_version") || first.starts_with("cve,epss"))
            .then_some(PriorityKind::Epss)
    }
}

/// The file's content reader, gunzipped when the name ends with `.gz`.
fn open(path: &Path) -> std::io::Result<Box<dyn Read>> {
    let file = std::fs::File::open(path)?;
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    Ok(if gz {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    })
}

fn read_text(path: &Path) -> Result<String, DbError> {
    let mut bytes = Vec::new();
    open(path)
        .and_then(|r| r.take(MAX_FILE + 1).read_to_end(&mut bytes))
        .map_err(DbError::io(path))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(DbError::Source {
            path: path.to_owned(),
            reason: format!("larger than {} MiB", MAX_FILE >> 20),
        });
    }
    String::from_utf8(bytes).map_err(|e| DbError::Source {
        path: path.to_owned(),
        reason: format!("not UTF-8 text: {e}"),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KevCatalogue {
    catalog_version: Option<String>,
    date_released: Option<String>,
    vulnerabilities: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KevVuln {
    #[serde(rename = "cveID")]
    cve_id: String,
    date_added: String,
    due_date: Option<String>,
    known_ransomware_campaign_use: Option<String>,
    vendor_project: Option<String>,
    product: Option<String>,
    vulnerability_name: Option<String>,
}

/// Whether text looks like a CVE id (`CVE-YYYY-NNNN...`).
fn is_cve(id: &str) -> bool {
    let mut parts = id.splitn(3, '-');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some("CVE"), Some(y), Some(n)) if y.len() == 4
            && y.bytes().all(|b| b.is_ascii_digit())
            && n.len() >= 4
            && n.bytes().all(|b| b.is_ascii_digit())
    )
}

impl VulnDb {
    /// Imports CISA's KEV catalogue (`known_exploited_vulnerabilities.json`), replacing the
    /// previous one.
    pub fn import_kev(&mut self, path: &Path) -> Result<PriorityReport, DbError> {
        let text = read_text(path)?;
        let catalogue: KevCatalogue = serde_json::from_str(&text).map_err(|e| DbError::Source {
            path: path.to_owned(),
            reason: format!(
                "not a KEV catalogue (line {}, column {}): {e}",
                e.line(),
                e.column()
            ),
        })?;
        let mut report = PriorityReport {
            kind: PriorityKind::Kev,
            source: path.display().to_string(),
            version: catalogue.catalog_version,
            published: catalogue.date_released,
            rows: 0,
            errors: Vec::new(),
        };
        let mut entries = Vec::new();
        for (i, v) in catalogue.vulnerabilities.into_iter().enumerate() {
            let place = format!("vulnerabilities[{i}]");
            match serde_json::from_value::<KevVuln>(v) {
                Ok(k) if is_cve(&k.cve_id) => entries.push(k),
                Ok(k) => report
                    .errors
                    .push((place, format!("{:?} is not a CVE id", k.cve_id))),
                Err(e) => report.errors.push((place, e.to_string())),
            }
        }
        let rows = entries.iter().map(|k| {
            [
                Some(k.cve_id.as_str()),
                Some(k.date_added.as_str()),
                k.due_date.as_deref(),
                k.known_ransomware_campaign_use.as_deref(),
                k.vendor_project.as_deref(),
                k.product.as_deref(),
                k.vulnerability_name.as_deref(),
            ]
        });
        report.rows = self.replace(
            "INSERT OR REPLACE INTO kev (cve, date_added, due_date, ransomware, vendor, product, name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rows,
            &report,
        )?;
        Ok(report)
    }

    /// Imports FIRST's EPSS scores (`epss_scores-YYYY-MM-DD.csv`, or `.csv.gz`), replacing the
    /// previous ones.
    pub fn import_epss(&mut self, path: &Path) -> Result<PriorityReport, DbError> {
        let text = read_text(path)?;
        let mut report = PriorityReport {
            kind: PriorityKind::Epss,
            source: path.display().to_string(),
            version: None,
            published: None,
            rows: 0,
            errors: Vec::new(),
        };
        let mut columns: Option<(usize, usize, usize)> = None;
        let mut scores = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if let Some(meta) = line.strip_prefix('#') {
                for (k, v) in meta.split(',').filter_map(|kv| kv.split_once(':')) {
                    match k.trim() {
                        "model_version" => report.version = Some(v.trim().to_owned()),
                        "score_date" => report.published = Some(v.trim().to_owned()),
                        _ => {}
                    }
                }
                continue;
            }
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            let Some((c, s, p)) = columns else {
                let at = |name: &str| cells.iter().position(|c| c.eq_ignore_ascii_case(name));
                match (at("cve"), at("epss"), at("percentile")) {
                    (Some(c), Some(s), Some(p)) => columns = Some((c, s, p)),
                    _ => {
                        return Err(DbError::Source {
                            path: path.to_owned(),
                            reason: format!(
                                "line {n}: not an EPSS header (cve,epss,percentile expected)"
                            ),
                        })
                    }
                }
                continue;
            };
            let cell = |i: usize| cells.get(i).copied().unwrap_or("");
            let prob = |t: &str| t.parse::<f64>().ok().filter(|x| (0.0..=1.0).contains(x));
            match (cell(c), prob(cell(s)), prob(cell(p))) {
                (cve, Some(score), Some(percentile)) if is_cve(cve) => {
                    scores.push((cve.to_owned(), score, percentile))
                }
                (cve, _, _) if !is_cve(cve) => report
                    .errors
                    .push((format!("line {n}"), format!("{cve:?} is not a CVE id"))),
                _ => report.errors.push((
                    format!("line {n}"),
                    "epss and percentile must be numbers from 0 to 1".into(),
                )),
            }
        }
        if columns.is_none() {
            return Err(DbError::Source {
                path: path.to_owned(),
                reason: "no EPSS header (cve,epss,percentile)".into(),
            });
        }
        report.rows = self.replace(
            "INSERT OR REPLACE INTO epss (cve, score, percentile) VALUES (?1, ?2, ?3)",
            scores.iter().map(|(c, s, p)| (c.as_str(), *s, *p)),
            &report,
        )?;
        Ok(report)
    }

    /// The KEV entry of a CVE id, if the imported catalogue lists it.
    pub fn kev(&self, cve: &str) -> Result<Option<KevEntry>, DbError> {
        self.conn
            .prepare_cached("SELECT cve, date_added, due_date, ransomware FROM kev WHERE cve = ?1")
            .and_then(|mut s| {
                s.query_row(params![cve], |r| {
                    Ok(KevEntry {
                        cve: r.get(0)?,
                        date_added: r.get(1)?,
                        due_date: r.get(2)?,
                        ransomware: r.get(3)?,
                    })
                })
                .optional()
            })
            .map_err(self.sql("looking a KEV entry up"))
    }

    /// Every CVE id of the imported KEV catalogue (about 1,500: small enough to hold).
    pub fn kev_ids(&self) -> Result<std::collections::HashSet<String>, DbError> {
        self.conn
            .prepare_cached("SELECT cve FROM kev")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(self.sql("reading the KEV catalogue"))
    }

    /// Whether EPSS scores have been imported.
    pub fn has_epss(&self) -> Result<bool, DbError> {
        self.conn
            .query_row("SELECT EXISTS (SELECT 1 FROM epss)", [], |r| r.get(0))
            .map_err(self.sql("looking for EPSS scores"))
    }

    /// The EPSS score of a CVE id, if the imported scores have it.
    pub fn epss(&self, cve: &str) -> Result<Option<EpssScore>, DbError> {
        self.conn
            .prepare_cached("SELECT score, percentile FROM epss WHERE cve = ?1")
            .and_then(|mut s| {
                s.query_row(params![cve], |r| {
                    Ok(EpssScore {
                        score: r.get(0)?,
                        percentile: r.get(1)?,
                    })
                })
                .optional()
            })
            .map_err(self.sql("looking an EPSS score up"))
    }
}

impl VulnDb {
    /// Replaces the table of `report.kind` (`kev` or `epss`) by `rows` (each through
    /// `insert`) and logs where they came from, in one transaction; the rows stored.
    fn replace<P: rusqlite::Params>(
        &mut self,
        insert: &str,
        rows: impl Iterator<Item = P>,
        report: &PriorityReport,
    ) -> Result<usize, DbError> {
        let path = self.path.clone();
        let err = |source| DbError::Sql {
            path: path.clone(),
            what: "storing prioritisation data",
            source,
        };
        let table = report.kind.as_str();
        let tx = self.conn.transaction().map_err(err)?;
        tx.execute(&format!("DELETE FROM {table}"), [])
            .map_err(err)?;
        {
            let mut ins = tx.prepare(insert).map_err(err)?;
            for row in rows {
                ins.execute(row).map_err(err)?;
            }
        }
        let count: usize = tx
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(err)?;
        log_source(&tx, report, count).map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(count)
    }
}

/// Logs where the data came from.
fn log_source(
    tx: &rusqlite::Transaction,
    report: &PriorityReport,
    rows: usize,
) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO priority_sources (kind, source, version, published, imported_at, rows)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            report.kind.as_str(),
            report.source,
            report.version,
            report.published,
            Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            rows as i64
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_cve;

    #[test]
    fn cve_ids() {
        assert!(is_cve("CVE-2021-44228"));
        assert!(is_cve("CVE-1999-0001"));
        assert!(!is_cve("CVE-21-44228"));
        assert!(!is_cve("GHSA-jfh8-c2jp-5v3q"));
        assert!(!is_cve("CVE-2021-12"));
    }
}
