//! The posture history: one SQLite file (`posture.sqlite` in the store folder) with each
//! recorded run of each host, its scores and what failed, so that later runs say what was
//! fixed, what is new and what still fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection};
use serde_json::{json, Value};

use crate::score::{Finding, RuleResult, Scores};

pub const STORE_FILE: &str = "posture.sqlite";

const SCHEMA: &[&str] = &["
    CREATE TABLE run (
        id INTEGER PRIMARY KEY,
        host TEXT NOT NULL,
        time TEXT NOT NULL,
        score REAL NOT NULL,
        compliance REAL,
        vulnerabilities REAL,
        failing TEXT NOT NULL
    );
    CREATE INDEX run_host ON run(host, time);
"];

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("posture history {path}")]
    Store {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("cannot create the posture folder {path}")]
    Dir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Something failing in a run: a rule or a vulnerable package.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Failing {
    /// `rule:ID` or `vuln:ADVISORY:PACKAGE`.
    pub key: String,
    pub label: String,
    pub severity: String,
}

/// One recorded run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub id: i64,
    pub host: String,
    pub time: String,
    pub scores: Scores,
    pub failing: Vec<Failing>,
}

/// What changed between two runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub fixed: Vec<Failing>,
    pub new: Vec<Failing>,
    pub still: Vec<Failing>,
}

/// The failing items of a run's inputs.
pub fn failing(rules: &[RuleResult], findings: &[Finding]) -> Vec<Failing> {
    let mut out: BTreeMap<String, Failing> = BTreeMap::new();
    for r in rules.iter().filter(|r| r.result == "fail") {
        out.insert(
            format!("rule:{}", r.id),
            Failing {
                key: format!("rule:{}", r.id),
                label: if r.title.is_empty() {
                    r.id.clone()
                } else {
                    format!("{} ({})", r.title, r.id)
                },
                severity: r.severity.clone(),
            },
        );
    }
    for f in findings {
        let key = format!("vuln:{}:{}", f.advisory, f.package);
        out.insert(
            key.clone(),
            Failing {
                key,
                label: format!(
                    "{} {} — {}{}",
                    f.package,
                    f.version,
                    f.advisory,
                    if f.kev { " (known exploited)" } else { "" }
                ),
                severity: f.severity.clone(),
            },
        );
    }
    out.into_values().collect()
}

pub fn changes(before: &[Failing], now: &[Failing]) -> Changes {
    let has = |list: &[Failing], f: &Failing| list.iter().any(|x| x.key == f.key);
    Changes {
        fixed: before.iter().filter(|f| !has(now, f)).cloned().collect(),
        new: now.iter().filter(|f| !has(before, f)).cloned().collect(),
        still: now.iter().filter(|f| has(before, f)).cloned().collect(),
    }
}

pub struct History {
    conn: Connection,
    path: PathBuf,
}

fn to_json(f: &[Failing]) -> String {
    Value::Array(
        f.iter()
            .map(|x| json!([x.key, x.label, x.severity]))
            .collect(),
    )
    .to_string()
}

fn from_json(text: &str) -> Vec<Failing> {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    let s = |i: usize| x.get(i).and_then(Value::as_str).map(str::to_owned);
                    Some(Failing {
                        key: s(0)?,
                        label: s(1)?,
                        severity: s(2).unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

impl History {
    pub fn open(dir: &Path) -> Result<History, HistoryError> {
        let path = dir.join(STORE_FILE);
        let err = |source| HistoryError::Store {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(|source| HistoryError::Dir {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut conn = Connection::open(&path).map_err(err)?;
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
        Ok(History { conn, path })
    }

    fn err(&self, source: rusqlite::Error) -> HistoryError {
        HistoryError::Store {
            path: self.path.clone(),
            source,
        }
    }

    pub fn record(
        &self,
        host: &str,
        time: &str,
        scores: &Scores,
        failing: &[Failing],
    ) -> Result<i64, HistoryError> {
        self.conn
            .execute(
                "INSERT INTO run (host, time, score, compliance, vulnerabilities, failing) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![host, time, scores.score, scores.compliance, scores.vulnerabilities, to_json(failing)],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The host's runs, oldest first.
    pub fn runs(&self, host: &str) -> Result<Vec<Run>, HistoryError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, host, time, score, compliance, vulnerabilities, failing FROM run WHERE host = ?1 ORDER BY time, id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![host], |r| {
                Ok(Run {
                    id: r.get(0)?,
                    host: r.get(1)?,
                    time: r.get(2)?,
                    scores: Scores {
                        score: r.get(3)?,
                        compliance: r.get(4)?,
                        vulnerabilities: r.get(5)?,
                    },
                    failing: from_json(&r.get::<_, String>(6)?),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }
}
