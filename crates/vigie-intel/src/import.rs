//! Importing paths into the store: reading files under a size limit, telling formats apart
//! (STIX, MISP event, MISP feed folder, plain list, CSV), walking folders, and MISP feeds
//! incrementally (an event whose manifest timestamp is not newer than the one imported
//! before is not read again; values an event or the feed no longer holds lose that source's
//! provenance). A file that cannot be read inside a folder or feed is a
//! problem of that import; the rest goes on.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::error::{ImportError, Problem};
use crate::indicator::IndicatorType;
use crate::list_import::{parse_csv, parse_list, Column, CsvError};
use crate::misp_import::{event_id, events, parse_event};
use crate::report::{ImportReport, Parsed};
use crate::stix_import::parse_stix;
use crate::store::{SourceInfo, SourceSpec, Store};
use crate::timestamp;

/// Largest file an import reads, unless told otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 512 * 1024 * 1024;

/// What a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Told by the content: a folder with `manifest.json` is a MISP feed; `.csv` is CSV; JSON
    /// is a MISP event when it holds `Event`, else STIX; anything else a plain list. A folder
    /// is walked for `.json` files.
    Auto,
    Stix,
    MispFeed,
    MispEvent,
    List,
    Csv,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportOptions {
    pub format: Format,
    /// Lists and CSV: read every value as this type instead of guessing.
    pub forced_type: Option<IndicatorType>,
    /// CSV: the column (default: the first).
    pub column: Option<Column>,
    pub max_file_size: u64,
    /// The time of this import (provenance first / last seen).
    pub now: DateTime<Utc>,
}

impl ImportOptions {
    pub fn new(now: DateTime<Utc>) -> ImportOptions {
        ImportOptions {
            format: Format::Auto,
            forced_type: None,
            column: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            now,
        }
    }
}

/// Imports a file, a folder or a MISP feed as `source`.
pub fn import_path(
    store: &mut Store,
    spec: &SourceSpec,
    path: &Path,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let source = store.ensure_source(spec, opts.now)?;
    let mut report = ImportReport::new(&source.name);
    let is_feed = |dir: &Path| dir.join("manifest.json").is_file();
    if path.is_dir() {
        if opts.format == Format::MispFeed || (opts.format == Format::Auto && is_feed(path)) {
            import_feed(store, &source, path, opts, &mut report)?;
        } else {
            import_folder(store, &source, path, opts, &mut report)?;
        }
    } else if opts.format == Format::MispFeed {
        let dir = path
            .file_name()
            .filter(|n| *n == "manifest.json")
            .and(path.parent())
            .ok_or_else(|| ImportError::NotFeed {
                path: path.to_path_buf(),
                reason: "a MISP feed is a folder holding manifest.json".into(),
            })?;
        import_feed(store, &source, dir, opts, &mut report)?;
    } else {
        import_file(store, &source, path, opts, &mut report)?;
    }
    store.mark_imported(&source, opts.now)?;
    Ok(report)
}

/// Imports STIX content already in memory (objects a TAXII server sent, say) as `source`;
/// `origin` names it in problems and errors.
pub fn import_stix(
    store: &mut Store,
    spec: &SourceSpec,
    content: &Value,
    origin: &str,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let source = store.ensure_source(spec, now)?;
    let mut report = ImportReport::new(&source.name);
    let mut parsed = parse_stix(content, origin).map_err(|reason| ImportError::NotStix {
        path: PathBuf::from(origin),
        reason,
    })?;
    ingest(store, &source, &mut parsed, now, None, &mut report)?;
    store.mark_imported(&source, now)?;
    Ok(report)
}

/// Reads a whole file, refusing one larger than `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > limit {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size: read,
            limit,
        });
    }
    Ok(bytes)
}

fn import_folder(
    store: &mut Store,
    source: &SourceInfo,
    dir: &Path,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let wanted = |p: &Path| {
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match opts.format {
            Format::List => true,
            Format::Csv => ext.as_deref() == Some("csv"),
            _ => ext.as_deref() == Some("json"),
        }
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        match entry {
            Ok(e) if e.file_type().is_file() && wanted(e.path()) => files.push(e.into_path()),
            Ok(_) => {}
            Err(e) => report.problems.push(Problem::new(
                &dir.display().to_string(),
                "folder",
                e.to_string(),
            )),
        }
    }
    if files.is_empty() {
        return Err(ImportError::Empty {
            path: dir.to_path_buf(),
        });
    }
    for f in files {
        match import_file(store, source, &f, opts, report) {
            Ok(()) => {}
            Err(ImportError::Store(e)) => return Err(ImportError::Store(e)),
            Err(e) => report.problems.push(Problem::new(
                &f.display().to_string(),
                "file",
                file_reason(&e),
            )),
        }
    }
    Ok(())
}

/// The reason of a file-level error without the path (the problem carries it).
fn file_reason(e: &ImportError) -> String {
    match e {
        ImportError::Io { source, .. } => format!("cannot read: {source}"),
        ImportError::TooLarge { size, limit, .. } => {
            format!("{size} bytes, more than the import limit of {limit} bytes")
        }
        ImportError::NotJson { reason, .. } => format!("not JSON: {reason}"),
        ImportError::NotStix { reason, .. } => format!("not STIX: {reason}"),
        ImportError::NotMisp { reason, .. } => format!("not a MISP event: {reason}"),
        ImportError::NotText { reason, .. } => format!("not text: {reason}"),
        other => other.to_string(),
    }
}

fn json(path: &Path, bytes: &[u8]) -> Result<Value, ImportError> {
    serde_json::from_slice(bytes).map_err(|e| ImportError::NotJson {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

fn import_file(
    store: &mut Store,
    source: &SourceInfo,
    path: &Path,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let bytes = read_limited(path, opts.max_file_size)?;
    let name = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let looks_json = || {
        ext.as_deref() == Some("json")
            || matches!(
                bytes.iter().find(|b| !b.is_ascii_whitespace()),
                Some(b'{' | b'[')
            )
    };
    let format = match opts.format {
        Format::Auto if ext.as_deref() == Some("csv") => Format::Csv,
        Format::Auto if looks_json() => Format::Auto,
        Format::Auto => Format::List,
        other => other,
    };
    let mut parsed = match format {
        Format::List => {
            let text = std::str::from_utf8(&bytes).map_err(|e| ImportError::NotText {
                path: path.to_path_buf(),
                reason: format!("not UTF-8 at byte {}", e.valid_up_to()),
            })?;
            parse_list(text, &name, opts.forced_type)
        }
        Format::Csv => {
            let column = opts.column.clone().unwrap_or(Column::Number(1));
            parse_csv(&bytes, &name, &column, opts.forced_type).map_err(|e| match e {
                CsvError::UnknownColumn { column, header } => ImportError::UnknownColumn {
                    path: path.to_path_buf(),
                    column,
                    header,
                },
                CsvError::BadColumn(reason) => ImportError::Csv {
                    path: path.to_path_buf(),
                    reason,
                },
            })?
        }
        Format::MispEvent => {
            let doc = json(path, &bytes)?;
            misp_document(&doc, &name).map_err(|reason| ImportError::NotMisp {
                path: path.to_path_buf(),
                reason,
            })?
        }
        Format::Stix => {
            let doc = json(path, &bytes)?;
            parse_stix(&doc, &name).map_err(|reason| ImportError::NotStix {
                path: path.to_path_buf(),
                reason,
            })?
        }
        Format::Auto | Format::MispFeed => {
            let doc = json(path, &bytes)?;
            match misp_document(&doc, &name) {
                Ok(p) => p,
                Err(_) => parse_stix(&doc, &name).map_err(|reason| ImportError::NotStix {
                    path: path.to_path_buf(),
                    reason: format!("{reason}, or a MISP event"),
                })?,
            }
        }
    };
    report.files += 1;
    ingest(store, source, &mut parsed, opts.now, None, report)
}

/// Every event of a MISP document, into one `Parsed`.
fn misp_document(doc: &Value, name: &str) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    for e in events(doc)? {
        parse_event(e, name, &mut parsed);
    }
    Ok(parsed)
}

fn ingest(
    store: &mut Store,
    source: &SourceInfo,
    parsed: &mut Parsed,
    now: DateTime<Utc>,
    feed_event: Option<(&str, i64)>,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    report.add_parsed(parsed);
    let done = store.ingest(source, std::mem::take(&mut parsed.records), now, feed_event)?;
    report.add_ingested(done);
    Ok(())
}

/// An event uuid safe to use as a file name.
fn safe_uuid(uuid: &str) -> bool {
    !uuid.is_empty()
        && uuid.len() <= 64
        && uuid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn import_feed(
    store: &mut Store,
    source: &SourceInfo,
    dir: &Path,
    opts: &ImportOptions,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let manifest_path = dir.join("manifest.json");
    if !manifest_path.is_file() {
        return Err(ImportError::NotFeed {
            path: dir.to_path_buf(),
            reason: "no manifest.json in it".into(),
        });
    }
    let manifest = json(
        &manifest_path,
        &read_limited(&manifest_path, opts.max_file_size)?,
    )?;
    let Some(entries) = manifest.as_object() else {
        return Err(ImportError::NotFeed {
            path: manifest_path,
            reason: "manifest.json is not an object of event uuid: metadata".into(),
        });
    };
    report.files += 1;
    let manifest_name = manifest_path.display().to_string();
    let mut uuids: Vec<&String> = entries.keys().collect();
    uuids.sort();
    for uuid in uuids {
        let meta = &entries[uuid.as_str()];
        if !safe_uuid(uuid) {
            report.problems.push(Problem::new(
                &manifest_name,
                format!("event {:?}", crate::normalize::shorten(uuid)),
                "not an event uuid, so no file is read for it",
            ));
            continue;
        }
        let ts = meta.get("timestamp").and_then(timestamp::unix);
        match ts {
            None => report.problems.push(Problem::new(
                &manifest_name,
                format!("event {uuid}"),
                "no timestamp in the manifest: imported, but again at every import",
            )),
            Some(ts) => {
                if store
                    .feed_event_timestamp(source, uuid)?
                    .is_some_and(|before| before >= ts)
                {
                    report.events_unchanged += 1;
                    continue;
                }
            }
        }
        let event_path = dir.join(format!("{uuid}.json"));
        let event_name = event_path.display().to_string();
        let doc = match read_limited(&event_path, opts.max_file_size)
            .and_then(|bytes| json(&event_path, &bytes))
        {
            Ok(d) => d,
            Err(e) => {
                report.problems.push(Problem::new(
                    &event_name,
                    format!("event {uuid}"),
                    file_reason(&e),
                ));
                continue;
            }
        };
        let found = match events(&doc) {
            Ok(f) => f,
            Err(reason) => {
                report.problems.push(Problem::new(
                    &event_name,
                    format!("event {uuid}"),
                    format!("not a MISP event: {reason}"),
                ));
                continue;
            }
        };
        let mut parsed = Parsed::default();
        for e in found {
            if let (Some(inner), _) = event_id(e) {
                if inner != uuid {
                    parsed.problem(
                        &event_name,
                        format!("event {uuid}"),
                        format!("the file holds event {inner}, not the one the manifest names"),
                    );
                }
            }
            parse_event(e, &event_name, &mut parsed);
        }
        report.files += 1;
        report.events_imported += 1;
        ingest(
            store,
            source,
            &mut parsed,
            opts.now,
            ts.map(|t| (uuid.as_str(), t)),
            report,
        )?;
    }
    // Events the feed no longer lists.
    for uuid in store.feed_events(source)? {
        if !entries.contains_key(&uuid) {
            report.retired += store.retire_feed_event(source, &uuid)?;
            report.events_removed += 1;
        }
    }
    Ok(())
}
