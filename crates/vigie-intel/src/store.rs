//! The durable store: one SQLite file (`intel.sqlite` in the store folder, WAL journal, full
//! sync) holding indicators, their sources and one provenance row per (indicator, source).
//! Writing is `ingest` (one transaction per batch); reading is `list` (streamed, in type and
//! value order), `active_indicators` (what matching uses), `provenance` and `stats`. For MISP
//! feeds it remembers which indicators each event gave, so that a value an event drops, or an
//! event the feed drops, takes that source's provenance with it.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::StoreError;
use crate::indicator::{IndicatorType, Record};
use crate::schema;
use crate::timestamp;
use crate::tlp::Tlp;

/// The database file inside a store folder.
pub const STORE_FILE: &str = "intel.sqlite";

/// TLP given to a new source's indicators when neither the data nor the import says.
pub const FALLBACK_TLP: Tlp = Tlp::Amber;

pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
}

/// How an import names its source.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSpec {
    pub name: String,
    /// Replaces the source's default TLP when given.
    pub default_tlp: Option<Tlp>,
    /// Replaces the source's default confidence when given.
    pub default_confidence: Option<u8>,
}

/// A source as the store knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    pub id: i64,
    pub name: String,
    pub default_tlp: Tlp,
    pub default_confidence: Option<u8>,
    pub created: String,
    pub last_import: Option<String>,
}

/// Whether an indicator is in force at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// At least one source holds it valid now.
    Active,
    /// Every source's `valid_until` has passed.
    Expired,
    /// No source holds it valid yet (`valid_from` in the future).
    NotYetValid,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Expired => "expired",
            Status::NotYetValid => "not-yet-valid",
        }
    }
}

/// An indicator with what its sources say, folded: the strictest TLP, the highest
/// confidence, meant for detection if any source says so, the widest validity.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorView {
    pub id: i64,
    pub kind: IndicatorType,
    pub value: String,
    pub tlp: Tlp,
    pub confidence: Option<u8>,
    pub to_ids: bool,
    pub status: Status,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub first_seen: String,
    pub last_seen: String,
    /// Source names, sorted.
    pub sources: Vec<String>,
}

impl IndicatorView {
    /// An active indicator meant for detection, with no validity bounds, confidence or dates:
    /// what tests and benchmarks hand to matching.
    pub fn active(
        id: i64,
        kind: IndicatorType,
        value: impl Into<String>,
        tlp: Tlp,
        sources: Vec<String>,
    ) -> IndicatorView {
        IndicatorView {
            id,
            kind,
            value: value.into(),
            tlp,
            confidence: None,
            to_ids: true,
            status: Status::Active,
            valid_from: None,
            valid_until: None,
            first_seen: String::new(),
            last_seen: String::new(),
            sources,
        }
    }
}

/// One indicator's provenance rows as [`Store::for_each_active`] folds them.
#[derive(Default)]
struct Folding {
    id: Option<i64>,
    kind: Option<IndicatorType>,
    value: String,
    tlp: Option<Tlp>,
    sources: Vec<i64>,
    live: bool,
    joined: String,
}

impl Folding {
    fn start(&mut self, id: i64, row: &Row<'_>) -> rusqlite::Result<()> {
        let kind_text = row.get_ref(1)?.as_str()?;
        // Stored types are the canonical names: compare before the general parse.
        let canonical = IndicatorType::ALL
            .into_iter()
            .find(|k| k.as_str() == kind_text);
        self.kind = Some(
            canonical
                .or_else(|| IndicatorType::parse(kind_text))
                .ok_or_else(|| {
                    rusqlite::Error::FromSqlConversionFailure(
                        1,
                        rusqlite::types::Type::Text,
                        format!("unknown indicator type {kind_text:?}").into(),
                    )
                })?,
        );
        self.id = Some(id);
        self.value.clear();
        self.value.push_str(row.get_ref(2)?.as_str()?);
        self.tlp = None;
        self.sources.clear();
        self.live = false;
        Ok(())
    }

    fn add(&mut self, row: &Row<'_>) -> rusqlite::Result<()> {
        let tlp = tlp_column(row, 1)?;
        self.tlp = Some(self.tlp.map_or(tlp, |t| t.max(tlp)));
        self.sources.push(row.get(2)?);
        self.live |= row.get::<_, i64>(3)? != 0;
        Ok(())
    }

    /// Gives the indicator to `each` when a source holds it live.
    fn emit(&mut self, names: &HashMap<i64, String>, each: &mut impl FnMut(ActiveIndicator<'_>)) {
        let (Some(id), Some(kind), Some(tlp), true) = (self.id, self.kind, self.tlp, self.live)
        else {
            return;
        };
        let name = |s: &i64| names.get(s).map_or("", String::as_str);
        let sources = match self.sources.as_slice() {
            [one] => name(one),
            many => {
                let mut list: Vec<&str> = many.iter().map(name).collect();
                list.sort_unstable();
                self.joined.clear();
                for (i, n) in list.iter().enumerate() {
                    if i > 0 {
                        self.joined.push(',');
                    }
                    self.joined.push_str(n);
                }
                self.joined.as_str()
            }
        };
        each(ActiveIndicator {
            id,
            kind,
            value: &self.value,
            tlp,
            sources,
        });
    }
}

/// One source's view of an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvenanceView {
    pub source: String,
    pub reference: String,
    pub tlp: Tlp,
    pub confidence: Option<u8>,
    pub to_ids: bool,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub first_seen: String,
    pub last_seen: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub labels: Vec<String>,
    pub kill_chain: Vec<String>,
    pub attack: Vec<String>,
}

/// Which indicators `list` gives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    pub kind: Option<IndicatorType>,
    /// Expired and not yet valid ones too.
    pub all: bool,
}

/// What one `ingest` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ingested {
    /// Values not in the store before.
    pub new_indicators: usize,
    /// Values the store had from other sources only.
    pub new_provenance: usize,
    /// Values this source had given before (their provenance refreshed).
    pub already_known: usize,
    /// Records repeating a value given earlier in the same batch (merged into it).
    pub duplicates: usize,
    /// Values a re-imported feed event no longer holds, whose provenance from this source was
    /// removed (and the indicator with it when no other source has it).
    pub retired: usize,
}

/// Counts over the whole store.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub path: PathBuf,
    pub schema_version: i64,
    pub indicators: u64,
    pub active: u64,
    /// Active and meant for detection: what matching uses.
    pub active_to_ids: u64,
    pub expired: u64,
    pub not_yet_valid: u64,
    pub provenance_rows: u64,
    /// (type, indicators), every type with at least one.
    pub by_type: Vec<(IndicatorType, u64)>,
    /// (strictest TLP, indicators).
    pub by_tlp: Vec<(Tlp, u64)>,
    pub sources: Vec<SourceStats>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceStats {
    pub name: String,
    pub default_tlp: Tlp,
    pub indicators: u64,
    pub to_ids: u64,
    pub last_import: Option<String>,
    /// MISP feed events remembered for incremental imports.
    pub feed_events: u64,
}

/// The aggregate over an indicator's provenance rows; `?1` is now, `?2` a type or NULL,
/// `?3` which rows to keep (0 all, 1 valid now, 2 valid now and meant for detection).
const VIEW_SQL: &str = "
    SELECT i.id, i.type, i.value, MAX(p.tlp), MAX(p.confidence), MAX(p.to_ids),
        CASE WHEN SUM(p.valid_from IS NULL) > 0 THEN NULL ELSE MIN(p.valid_from) END,
        CASE WHEN SUM(p.valid_until IS NULL) > 0 THEN NULL ELSE MAX(p.valid_until) END,
        MIN(p.first_seen), MAX(p.last_seen),
        SUM((p.valid_until IS NULL OR p.valid_until > ?1) AND (p.valid_from IS NULL OR p.valid_from <= ?1)) AS live,
        SUM((p.valid_until IS NULL OR p.valid_until > ?1) AND (p.valid_from IS NULL OR p.valid_from <= ?1) AND p.to_ids = 1) AS live_ids,
        SUM(p.valid_until IS NOT NULL AND p.valid_until <= ?1),
        COUNT(*),
        group_concat(s.name, char(31))
    FROM indicator i
    JOIN provenance p ON p.indicator_id = i.id
    JOIN source s ON s.id = p.source_id
    WHERE (?2 IS NULL OR i.type = ?2)
    GROUP BY i.id
    HAVING ?3 = 0 OR (?3 = 1 AND live > 0) OR (?3 = 2 AND live_ids > 0)
    ORDER BY i.type, i.value";

/// What matching reads: every indicator, and every provenance row with whether it is valid
/// at `?1` and meant for detection, both in indicator order (rowid and key order: sequential
/// scans, no sort, no per-row search); merged and folded per indicator in Rust.
const ACTIVE_INDICATORS_SQL: &str = "SELECT id, type, value FROM indicator ORDER BY id";
const ACTIVE_PROVENANCE_SQL: &str = "
    SELECT indicator_id, tlp, source_id,
        (valid_until IS NULL OR valid_until > ?1) AND (valid_from IS NULL OR valid_from <= ?1) AND to_ids = 1
    FROM provenance
    ORDER BY indicator_id";

/// An indicator as matching needs it, borrowed from the row being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveIndicator<'a> {
    pub id: i64,
    pub kind: IndicatorType,
    pub value: &'a str,
    /// The strictest TLP its sources give.
    pub tlp: Tlp,
    /// The names of the sources holding it, sorted, joined with commas.
    pub sources: &'a str,
}

/// One source's view of an indicator; `WHERE` / `ORDER BY` are added by the caller. Column 14
/// is the indicator id.
const PROVENANCE_SQL: &str = "
    SELECT s.name, p.reference, p.tlp, p.confidence, p.to_ids, p.valid_from,
        p.valid_until, p.first_seen, p.last_seen, p.name, p.description, p.labels,
        p.kill_chain, p.attack, p.indicator_id
    FROM provenance p JOIN source s ON s.id = p.source_id";

fn provenance_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ProvenanceView> {
    Ok(ProvenanceView {
        source: r.get(0)?,
        reference: r.get(1)?,
        tlp: tlp_column(r, 2)?,
        confidence: r.get(3)?,
        to_ids: r.get(4)?,
        valid_from: r.get(5)?,
        valid_until: r.get(6)?,
        first_seen: r.get(7)?,
        last_seen: r.get(8)?,
        name: r.get(9)?,
        description: r.get(10)?,
        labels: parse_list(&r.get::<_, String>(11)?),
        kill_chain: parse_list(&r.get::<_, String>(12)?),
        attack: parse_list(&r.get::<_, String>(13)?),
    })
}

impl Store {
    /// Opens (creating it if needed) the store in `dir`, and brings its schema up to date.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
        Store::open_file(&dir.join(STORE_FILE))
    }

    /// Opens (creating it if needed) the database file itself.
    pub fn open_file(path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        match schema::migrate(&mut conn).map_err(open_err)? {
            Ok(_) => Ok(Store {
                conn,
                path: path.to_path_buf(),
            }),
            Err(found) => Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported: schema::current_version(),
            }),
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        schema::version(&self.conn).map_err(|e| self.err(e))
    }

    pub(crate) fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            source,
        }
    }

    /// The source of that name, if the store has it.
    pub fn source(&self, name: &str) -> Result<Option<SourceInfo>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, name, default_tlp, default_confidence, created, last_import
                 FROM source WHERE name = ?1",
                [name],
                source_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Every source, by name.
    pub fn sources(&self) -> Result<Vec<SourceInfo>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, name, default_tlp, default_confidence, created, last_import
                 FROM source ORDER BY name",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], source_row)
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e));
        rows
    }

    /// The named source, created if new; a given default TLP or confidence replaces the
    /// stored one. A new source without a TLP gets [`FALLBACK_TLP`].
    pub fn ensure_source(
        &mut self,
        spec: &SourceSpec,
        now: DateTime<Utc>,
    ) -> Result<SourceInfo, StoreError> {
        let now = timestamp::format(now);
        self.conn
            .execute(
                "INSERT INTO source (name, default_tlp, default_confidence, created)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT(name) DO NOTHING",
                params![
                    spec.name,
                    spec.default_tlp.unwrap_or(FALLBACK_TLP).rank(),
                    spec.default_confidence,
                    now
                ],
            )
            .map_err(|e| self.err(e))?;
        if let Some(t) = spec.default_tlp {
            self.conn
                .execute(
                    "UPDATE source SET default_tlp = ?2 WHERE name = ?1",
                    params![spec.name, t.rank()],
                )
                .map_err(|e| self.err(e))?;
        }
        if let Some(c) = spec.default_confidence {
            self.conn
                .execute(
                    "UPDATE source SET default_confidence = ?2 WHERE name = ?1",
                    params![spec.name, c],
                )
                .map_err(|e| self.err(e))?;
        }
        self.source(&spec.name)?
            .ok_or_else(|| StoreError::UnknownSource {
                path: self.path.clone(),
                name: spec.name.clone(),
            })
    }

    /// Notes that the source was imported at `now`, even when nothing in it was new.
    pub fn mark_imported(
        &mut self,
        source: &SourceInfo,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE source SET last_import = ?2 WHERE id = ?1",
                params![source.id, timestamp::format(now)],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The event timestamp a feed import of this source took, if any.
    pub fn feed_event_timestamp(
        &self,
        source: &SourceInfo,
        event_uuid: &str,
    ) -> Result<Option<i64>, StoreError> {
        self.conn
            .query_row(
                "SELECT timestamp FROM feed_event WHERE source_id = ?1 AND event_uuid = ?2",
                params![source.id, event_uuid],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Writes a batch of records from one source in one transaction. Records of the same
    /// value in the batch, or already written by this source at the same `now` (one import
    /// run), are merged ([`Record::merge`]); a record from an earlier run replaces that
    /// source's view. `feed_event` (uuid, timestamp) is remembered in the same transaction.
    pub fn ingest(
        &mut self,
        source: &SourceInfo,
        records: Vec<Record>,
        now: DateTime<Utc>,
        feed_event: Option<(&str, i64)>,
    ) -> Result<Ingested, StoreError> {
        let path = self.path.clone();
        let err = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let now_text = timestamp::format(now);
        let before_dedupe = records.len();
        let records = dedupe(records);
        let mut done = Ingested {
            duplicates: before_dedupe - records.len(),
            ..Ingested::default()
        };
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut find = tx
                .prepare_cached("SELECT id FROM indicator WHERE type = ?1 AND value = ?2")
                .map_err(err)?;
            let mut insert = tx
                .prepare_cached("INSERT INTO indicator (type, value, created) VALUES (?1, ?2, ?3)")
                .map_err(err)?;
            let mut existing = tx
                .prepare_cached(
                    "SELECT reference, tlp, confidence, to_ids, valid_from, valid_until,
                        first_seen, last_seen, name, description, labels, kill_chain, attack
                     FROM provenance WHERE indicator_id = ?1 AND source_id = ?2",
                )
                .map_err(err)?;
            let mut upsert = tx
                .prepare_cached(
                    "INSERT INTO provenance (indicator_id, source_id, reference, tlp, confidence,
                        to_ids, valid_from, valid_until, first_seen, last_seen, name, description,
                        labels, kill_chain, attack)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13, ?14)
                     ON CONFLICT (indicator_id, source_id) DO UPDATE SET
                        reference = excluded.reference, tlp = excluded.tlp,
                        confidence = excluded.confidence, to_ids = excluded.to_ids,
                        valid_from = excluded.valid_from, valid_until = excluded.valid_until,
                        last_seen = excluded.last_seen, name = excluded.name,
                        description = excluded.description, labels = excluded.labels,
                        kill_chain = excluded.kill_chain, attack = excluded.attack",
                )
                .map_err(err)?;
            let mut ids: Vec<i64> = Vec::with_capacity(records.len());
            for mut rec in records {
                let kind = rec.kind.as_str();
                let found: Option<i64> = find
                    .query_row(params![kind, rec.value], |r| r.get(0))
                    .optional()
                    .map_err(err)?;
                let (id, new) = match found {
                    Some(id) => (id, false),
                    None => {
                        insert
                            .execute(params![kind, rec.value, now_text])
                            .map_err(err)?;
                        (tx.last_insert_rowid(), true)
                    }
                };
                ids.push(id);
                rec.tlp = Some(rec.tlp.unwrap_or(source.default_tlp));
                rec.confidence = rec.confidence.or(source.default_confidence);
                let before = existing
                    .query_row(params![id, source.id], |r| {
                        Ok((stored_record(&rec, r)?, r.get::<_, String>(7)?))
                    })
                    .optional()
                    .map_err(err)?;
                match before {
                    None if new => done.new_indicators += 1,
                    None => done.new_provenance += 1,
                    Some((old, last_seen)) => {
                        done.already_known += 1;
                        if last_seen == now_text {
                            let mut merged = old;
                            merged.merge(&rec);
                            merged.reference = rec.reference.clone();
                            rec = merged;
                        }
                    }
                }
                upsert
                    .execute(params![
                        id,
                        source.id,
                        rec.reference,
                        rec.tlp.unwrap_or(source.default_tlp).rank(),
                        rec.confidence,
                        rec.to_ids,
                        rec.valid_from.map(timestamp::format),
                        rec.valid_until.map(timestamp::format),
                        now_text,
                        rec.name,
                        rec.description,
                        json_list(&rec.labels),
                        json_list(&rec.kill_chain),
                        json_list(&rec.attack),
                    ])
                    .map_err(err)?;
            }
            tx.execute(
                "UPDATE source SET last_import = ?2 WHERE id = ?1",
                params![source.id, now_text],
            )
            .map_err(err)?;
            if let Some((uuid, ts)) = feed_event {
                tx.execute(
                    "INSERT INTO feed_event (source_id, event_uuid, timestamp, imported_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (source_id, event_uuid) DO UPDATE SET
                        timestamp = excluded.timestamp, imported_at = excluded.imported_at",
                    params![source.id, uuid, ts, now_text],
                )
                .map_err(err)?;
                let before = event_members(&tx, source.id, uuid).map_err(err)?;
                let mut add = tx
                    .prepare_cached(
                        "INSERT OR IGNORE INTO feed_event_value (source_id, event_uuid, indicator_id)
                         VALUES (?1, ?2, ?3)",
                    )
                    .map_err(err)?;
                for id in &ids {
                    add.execute(params![source.id, uuid, id]).map_err(err)?;
                }
                let now_in: HashSet<i64> = ids.iter().copied().collect();
                let gone: Vec<i64> = before
                    .into_iter()
                    .filter(|id| !now_in.contains(id))
                    .collect();
                done.retired = retire(&tx, source.id, uuid, &gone).map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(done)
    }

    /// The MISP feed events this source remembers.
    pub fn feed_events(&self, source: &SourceInfo) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT event_uuid FROM feed_event WHERE source_id = ?1 ORDER BY event_uuid")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([source.id], |r| r.get(0))
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e));
        rows
    }

    /// Forgets a feed event gone from its feed: the values only it gave lose this source's
    /// provenance (and indicators no source holds any more go). Returns how many values.
    pub fn retire_feed_event(
        &mut self,
        source: &SourceInfo,
        uuid: &str,
    ) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let err = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        let members = event_members(&tx, source.id, uuid).map_err(err)?;
        let n = retire(&tx, source.id, uuid, &members).map_err(err)?;
        tx.execute(
            "DELETE FROM feed_event WHERE source_id = ?1 AND event_uuid = ?2",
            params![source.id, uuid],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(n)
    }

    /// Indicators in `type, value` order, folded over their sources, given one by one to `each`
    /// (which may stop the walk with its own error). Without `filter.all`, only those some
    /// source holds valid at `now`.
    pub fn list<E: From<StoreError>>(
        &self,
        filter: &ListFilter,
        now: DateTime<Utc>,
        each: impl FnMut(IndicatorView) -> Result<(), E>,
    ) -> Result<(), E> {
        self.walk(filter.kind, if filter.all { 0 } else { 1 }, now, each)
    }

    /// What matching uses: indicators some source holds valid at `now` and meant for detection
    /// (MISP `to_ids`; every STIX and list indicator).
    pub fn active_indicators(&self, now: DateTime<Utc>) -> Result<Vec<IndicatorView>, StoreError> {
        let mut out = Vec::new();
        self.walk(None, 2, now, |v| {
            out.push(v);
            Ok::<(), StoreError>(())
        })?;
        Ok(out)
    }

    /// The indicators [`Store::active_indicators`] gives, streamed with only what matching
    /// reads (no copy of the whole set is held), in id order.
    pub fn for_each_active(
        &self,
        now: DateTime<Utc>,
        mut each: impl FnMut(ActiveIndicator<'_>),
    ) -> Result<(), StoreError> {
        let names: HashMap<i64, String> = self
            .sources()?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let now = timestamp::format(now);
        let mut ind_stmt = self
            .conn
            .prepare(ACTIVE_INDICATORS_SQL)
            .map_err(|e| self.err(e))?;
        let mut prov_stmt = self
            .conn
            .prepare(ACTIVE_PROVENANCE_SQL)
            .map_err(|e| self.err(e))?;
        let mut indicators = ind_stmt.query([]).map_err(|e| self.err(e))?;
        let mut rows = prov_stmt.query(params![now]).map_err(|e| self.err(e))?;
        // The indicator being folded: its provenance rows so far.
        let mut current = Folding::default();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = row.get(0).map_err(|e| self.err(e))?;
            if current.id != Some(id) {
                current.emit(&names, &mut each);
                // The indicator rows before this one have no provenance: skipped.
                loop {
                    let Some(ind) = indicators.next().map_err(|e| self.err(e))? else {
                        return Err(self.err(rusqlite::Error::QueryReturnedNoRows));
                    };
                    let ind_id: i64 = ind.get(0).map_err(|e| self.err(e))?;
                    if ind_id == id {
                        current.start(id, ind).map_err(|e| self.err(e))?;
                        break;
                    }
                    if ind_id > id {
                        return Err(self.err(rusqlite::Error::QueryReturnedNoRows));
                    }
                }
            }
            current.add(row).map_err(|e| self.err(e))?;
        }
        current.emit(&names, &mut each);
        Ok(())
    }

    /// How many indicators of each type the store holds, active or not (to size tables).
    pub fn count_by_type(&self) -> Result<Vec<(IndicatorType, u64)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT type, COUNT(*) FROM indicator GROUP BY type")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, n) = row.map_err(|e| self.err(e))?;
            if let Some(kind) = IndicatorType::parse(&kind) {
                out.push((kind, u64::try_from(n).unwrap_or(0)));
            }
        }
        Ok(out)
    }

    fn walk<E: From<StoreError>>(
        &self,
        kind: Option<IndicatorType>,
        mode: i64,
        now: DateTime<Utc>,
        mut each: impl FnMut(IndicatorView) -> Result<(), E>,
    ) -> Result<(), E> {
        let now = timestamp::format(now);
        let mut stmt = self
            .conn
            .prepare_cached(VIEW_SQL)
            .map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params![now, kind.map(IndicatorType::as_str), mode])
            .map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let view = view_row(row).map_err(|e| self.err(e))?;
            each(view)?;
        }
        Ok(())
    }

    /// One indicator by type and value, folded over all its sources, whatever its validity.
    pub fn get(
        &self,
        kind: IndicatorType,
        value: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<IndicatorView>, StoreError> {
        let mut found = None;
        self.walk(Some(kind), 0, now, |v| {
            if v.value == value {
                found = Some(v);
            }
            Ok::<(), StoreError>(())
        })?;
        Ok(found)
    }

    /// Every source's view of an indicator, by source name.
    pub fn provenance(&self, indicator_id: i64) -> Result<Vec<ProvenanceView>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "{PROVENANCE_SQL} WHERE p.indicator_id = ?1 ORDER BY s.name"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([indicator_id], provenance_row)
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e));
        rows
    }

    /// Every provenance row of the store in one pass, by indicator id then source name, given
    /// to `each` with its indicator id (for exports of many indicators: one query, not one per
    /// indicator).
    pub fn all_provenance<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(i64, ProvenanceView) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(&format!("{PROVENANCE_SQL} ORDER BY p.indicator_id, s.name"))
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let id: i64 = row.get(14).map_err(|e| self.err(e))?;
            each(id, provenance_row(row).map_err(|e| self.err(e))?)?;
        }
        Ok(())
    }

    /// Counts over the whole store at `now`.
    pub fn stats(&self, now: DateTime<Utc>) -> Result<Stats, StoreError> {
        let mut stats = Stats {
            path: self.path.clone(),
            schema_version: self.schema_version()?,
            indicators: 0,
            active: 0,
            active_to_ids: 0,
            expired: 0,
            not_yet_valid: 0,
            provenance_rows: 0,
            by_type: Vec::new(),
            by_tlp: Vec::new(),
            sources: Vec::new(),
        };
        let mut by_type: HashMap<IndicatorType, u64> = HashMap::new();
        let mut by_tlp: HashMap<Tlp, u64> = HashMap::new();
        self.walk(None, 0, now, |v| {
            stats.indicators += 1;
            match v.status {
                Status::Active => {
                    stats.active += 1;
                    if v.to_ids {
                        stats.active_to_ids += 1;
                    }
                }
                Status::Expired => stats.expired += 1,
                Status::NotYetValid => stats.not_yet_valid += 1,
            }
            *by_type.entry(v.kind).or_default() += 1;
            *by_tlp.entry(v.tlp).or_default() += 1;
            Ok::<(), StoreError>(())
        })?;
        stats.by_type = IndicatorType::ALL
            .iter()
            .filter_map(|t| by_type.get(t).map(|n| (*t, *n)))
            .collect();
        stats.by_tlp = Tlp::ALL
            .iter()
            .filter_map(|t| by_tlp.get(t).map(|n| (*t, *n)))
            .collect();
        stats.provenance_rows = self
            .conn
            .query_row("SELECT COUNT(*) FROM provenance", [], |r| r.get(0))
            .map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.name, s.default_tlp, s.last_import,
                    (SELECT COUNT(*) FROM provenance p WHERE p.source_id = s.id),
                    (SELECT COUNT(*) FROM provenance p WHERE p.source_id = s.id AND p.to_ids = 1),
                    (SELECT COUNT(*) FROM feed_event f WHERE f.source_id = s.id)
                 FROM source s ORDER BY s.name",
            )
            .map_err(|e| self.err(e))?;
        stats.sources = stmt
            .query_map([], |r| {
                Ok(SourceStats {
                    name: r.get(0)?,
                    default_tlp: tlp_column(r, 1)?,
                    last_import: r.get(2)?,
                    indicators: r.get(3)?,
                    to_ids: r.get(4)?,
                    feed_events: r.get(5)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(|e| self.err(e))?;
        Ok(stats)
    }
}

/// The indicators a feed event gave at its last import.
fn event_members(conn: &Connection, source_id: i64, uuid: &str) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT indicator_id FROM feed_event_value WHERE source_id = ?1 AND event_uuid = ?2",
    )?;
    let rows = stmt.query_map(params![source_id, uuid], |r| r.get(0))?;
    rows.collect()
}

/// Takes `ids` out of the event; those no other event of the source still gives lose the
/// source's provenance, and indicators left without any provenance are deleted.
fn retire(conn: &Connection, source_id: i64, uuid: &str, ids: &[i64]) -> rusqlite::Result<usize> {
    let mut retired = 0;
    for id in ids {
        conn.execute(
            "DELETE FROM feed_event_value
             WHERE source_id = ?1 AND event_uuid = ?2 AND indicator_id = ?3",
            params![source_id, uuid, id],
        )?;
        let still: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM feed_event_value WHERE source_id = ?1 AND indicator_id = ?2)",
            params![source_id, id],
            |r| r.get(0),
        )?;
        if !still {
            retired += conn.execute(
                "DELETE FROM provenance WHERE indicator_id = ?1 AND source_id = ?2",
                params![id, source_id],
            )?;
            conn.execute(
                "DELETE FROM indicator WHERE id = ?1
                 AND NOT EXISTS (SELECT 1 FROM provenance WHERE indicator_id = ?1)",
                params![id],
            )?;
        }
    }
    Ok(retired)
}

/// Merges records of the same (type, value), keeping the order of first appearance.
fn dedupe(records: Vec<Record>) -> Vec<Record> {
    let mut index: HashMap<(IndicatorType, String), usize> = HashMap::new();
    let mut out: Vec<Record> = Vec::with_capacity(records.len());
    for r in records {
        match index.get(&(r.kind, r.value.clone())) {
            Some(&i) => out[i].merge(&r),
            None => {
                index.insert((r.kind, r.value.clone()), out.len());
                out.push(r);
            }
        }
    }
    out
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

fn parse_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn tlp_column(r: &Row<'_>, i: usize) -> rusqlite::Result<Tlp> {
    let rank: i64 = r.get(i)?;
    Tlp::from_rank(rank).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Integer,
            format!("TLP rank {rank} out of range").into(),
        )
    })
}

fn source_row(r: &Row<'_>) -> rusqlite::Result<SourceInfo> {
    Ok(SourceInfo {
        id: r.get(0)?,
        name: r.get(1)?,
        default_tlp: tlp_column(r, 2)?,
        default_confidence: r.get(3)?,
        created: r.get(4)?,
        last_import: r.get(5)?,
    })
}

/// The stored provenance row as a record of the same value (for merging within one run).
fn stored_record(like: &Record, r: &Row<'_>) -> rusqlite::Result<Record> {
    let time = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        Ok(r.get::<_, Option<String>>(i)?
            .and_then(|t| timestamp::parse(&t)))
    };
    Ok(Record {
        kind: like.kind,
        value: like.value.clone(),
        reference: r.get(0)?,
        tlp: Some(tlp_column(r, 1)?),
        confidence: r.get(2)?,
        to_ids: r.get(3)?,
        valid_from: time(4)?,
        valid_until: time(5)?,
        name: r.get(8)?,
        description: r.get(9)?,
        labels: parse_list(&r.get::<_, String>(10)?),
        kill_chain: parse_list(&r.get::<_, String>(11)?),
        attack: parse_list(&r.get::<_, String>(12)?),
    })
}

fn view_row(r: &Row<'_>) -> rusqlite::Result<IndicatorView> {
    let kind_text: String = r.get(1)?;
    let kind = IndicatorType::parse(&kind_text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            format!("unknown indicator type {kind_text:?}").into(),
        )
    })?;
    let live: i64 = r.get(10)?;
    let expired_rows: i64 = r.get(12)?;
    let rows: i64 = r.get(13)?;
    let status = if live > 0 {
        Status::Active
    } else if expired_rows == rows {
        Status::Expired
    } else {
        Status::NotYetValid
    };
    let mut sources: Vec<String> = r
        .get::<_, String>(14)?
        .split('\u{1f}')
        .map(str::to_owned)
        .collect();
    sources.sort();
    Ok(IndicatorView {
        id: r.get(0)?,
        kind,
        value: r.get(2)?,
        tlp: tlp_column(r, 3)?,
        confidence: r.get(4)?,
        to_ids: r.get::<_, i64>(5)? != 0,
        status,
        valid_from: r.get(6)?,
        valid_until: r.get(7)?,
        first_seen: r.get(8)?,
        last_seen: r.get(9)?,
        sources,
    })
}
