//! `vigie intel import | list | stats` (and `sync` / `push`, in their own modules): the
//! threat-intel store from the command line. Reports
//! go to stdout, each import problem to stderr as a warning; exit 0 when all went in, 1 when
//! some objects were reported and skipped, 2 when a file or the store could not be used.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use vigie_intel::{
    import_path, Column, Format, ImportError, ImportOptions, ImportReport, IndicatorType,
    IndicatorView, ListFilter, SourceSpec, Store, StoreError, Tlp, STORE_FILE,
};

use crate::output::write_results;
use crate::ui::{paint, Hint};

#[derive(Subcommand, Debug)]
pub enum IntelCommand {
    /// Import indicators: STIX 2.1 bundles, MISP feeds (incremental) and events, plain lists,
    /// CSV columns. Malformed objects are reported on stderr with their place; the rest imports.
    Import(ImportArgs),
    /// List indicators in force (with --all, expired ones too), one line each.
    List(ListArgs),
    /// Counts: indicators by status, type and TLP; sources and their last import.
    Stats(StatsArgs),
    /// Export indicators in force: a STIX 2.1 bundle, a MISP event, a MISP feed folder or
    /// blocklists, never above the TLP ceiling.
    Export(crate::intel_export_cmd::ExportArgs),
    /// Hunt detections (`vigie hunt --format jsonl`) as a STIX 2.1 bundle of sightings.
    Sightings(crate::intel_export_cmd::SightingsArgs),
    /// Fetch a TAXII 2.1 collection's objects into the store; later syncs fetch only what the
    /// server added since.
    Sync(crate::intel_sync_cmd::SyncArgs),
    /// Push a STIX bundle's objects to a TAXII 2.1 collection and print the server's status.
    Push(crate::intel_push_cmd::PushArgs),
}

#[derive(Args, Debug)]
pub struct StoreArgs {
    /// The intel store folder (default: $VIGIE_DATA_DIR/intel, else $XDG_DATA_HOME/vigie/intel,
    /// else ~/.local/share/vigie/intel).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// The time taken as now (RFC 3339); for reproducible runs.
    #[arg(long, value_name = "TIME", hide = true)]
    pub now: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FormatArg {
    Auto,
    Stix,
    MispFeed,
    MispEvent,
    List,
    Csv,
}

/// What a source gives its indicators when the data does not say (import and sync).
#[derive(Args, Debug)]
pub struct SourceDefaults {
    /// The source's default TLP, for what the data does not mark (clear, white, green, amber,
    /// amber+strict, red). A new source without one gets amber.
    #[arg(long, value_name = "TLP", value_parser = parse_tlp)]
    pub tlp: Option<Tlp>,
    /// The source's default confidence (0 to 100), for what the data does not say.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
    pub confidence: Option<u8>,
}

impl SourceDefaults {
    /// The source of that name with these defaults.
    pub(crate) fn spec(&self, name: String) -> SourceSpec {
        SourceSpec {
            name,
            default_tlp: self.tlp,
            default_confidence: self.confidence,
        }
    }
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Files or folders: a STIX bundle, a MISP feed folder (with manifest.json), a MISP event,
    /// a list (one value per line) or a CSV file. Folders are walked for .json files.
    #[arg(required = true, value_name = "SOURCE")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// The source's name in the store (default: the file or folder name).
    #[arg(long, value_name = "NAME")]
    pub source_name: Option<String>,
    #[command(flatten)]
    pub defaults: SourceDefaults,
    /// Lists and CSV: read every value as this type instead of guessing it (ipv4, ipv6, cidr,
    /// domain, url, md5, sha1, sha256, sha512, email, filename, stix-pattern).
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_type)]
    pub kind: Option<IndicatorType>,
    #[arg(long, value_enum, default_value = "auto")]
    pub format: FormatArg,
    /// CSV: the column holding the values, by header name or 1-based number (default: 1).
    #[arg(long, value_name = "C")]
    pub column: Option<String>,
    /// Largest file read, in MB.
    #[arg(long, value_name = "MB", default_value_t = 512)]
    pub max_size: u64,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ListFormatArg {
    Table,
    Jsonl,
    Csv,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Only this type.
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_type)]
    pub kind: Option<IndicatorType>,
    /// Expired and not yet valid indicators too.
    #[arg(long)]
    pub all: bool,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: ListFormatArg,
    /// Write to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    #[command(flatten)]
    pub store: StoreArgs,
}

pub(crate) fn parse_tlp(s: &str) -> Result<Tlp, String> {
    s.parse()
}

fn parse_type(s: &str) -> Result<IndicatorType, String> {
    s.parse()
}

pub fn run(command: IntelCommand) -> Result<ExitCode> {
    match command {
        IntelCommand::Import(a) => run_import(a),
        IntelCommand::List(a) => run_list(a),
        IntelCommand::Stats(a) => run_stats(a),
        IntelCommand::Export(a) => crate::intel_export_cmd::run_export(a),
        IntelCommand::Sightings(a) => crate::intel_export_cmd::run_sightings(a),
        IntelCommand::Sync(a) => crate::intel_sync_cmd::run(a),
        IntelCommand::Push(a) => crate::intel_push_cmd::run(a),
    }
}

impl StoreArgs {
    fn dir(&self) -> Result<PathBuf> {
        match &self.store {
            Some(d) => Ok(d.clone()),
            None => vigie_rulepack::data_dir()
                .map(|d| d.join("intel"))
                .ok_or_else(|| anyhow!("cannot tell where Vigie's data folder is"))
                .context(Hint(
                    "set VIGIE_DATA_DIR (or HOME), or give the store with --store DIR".into(),
                )),
        }
    }

    pub(crate) fn now(&self) -> Result<DateTime<Utc>> {
        Ok(crate::cli::time_arg(self.now.as_deref())?.unwrap_or_else(Utc::now))
    }

    pub(crate) fn open(&self) -> Result<Store> {
        let dir = self.dir()?;
        Store::open(&dir).map_err(store_error)
    }

    /// The store, which must exist already (list and stats do not create one).
    pub(crate) fn open_existing(&self) -> Result<Store> {
        let dir = self.dir()?;
        if !dir.join(STORE_FILE).is_file() {
            return Err(anyhow!("no intel store at {}", dir.display())).context(Hint(
                "import indicators first (vigie intel import SOURCE), or name the store with --store DIR"
                    .into(),
            ));
        }
        Store::open(&dir).map_err(store_error)
    }
}

pub(crate) fn store_error(e: StoreError) -> anyhow::Error {
    let hint = match &e {
        StoreError::NewerSchema { .. } => "this store was written by a newer Vigie; use that one",
        StoreError::CreateDir { .. } => "give a folder you can write to with --store DIR",
        _ => "the store is an SQLite file (intel.sqlite) in the store folder; check that it is not damaged or locked",
    };
    anyhow::Error::new(e).context(Hint(hint.into()))
}

pub(crate) fn import_error(e: ImportError) -> anyhow::Error {
    let hint = match &e {
        ImportError::TooLarge { .. } => "raise the limit with --max-size MB",
        ImportError::NotJson { .. } | ImportError::NotStix { .. } | ImportError::NotMisp { .. } => {
            "say what the file holds with --format stix|misp-feed|misp-event|list|csv"
        }
        ImportError::NotFeed { .. } => {
            "a MISP feed is a folder with manifest.json and one <event uuid>.json per event"
        }
        ImportError::NotText { .. } => "lists are UTF-8 text, one value per line",
        ImportError::UnknownColumn { .. } | ImportError::Csv { .. } => {
            "--column takes a header name or a 1-based column number"
        }
        ImportError::Empty { .. } => "give files, or --format list / csv to read other files",
        ImportError::Io { .. } => "check the path",
        ImportError::Store(_) => "check the --store folder",
    };
    anyhow::Error::new(e).context(Hint(hint.into()))
}

/// The default source name: the file name without extension, or the folder name.
pub(crate) fn source_name(path: &Path) -> String {
    let name = if path.is_dir() {
        path.file_name()
    } else {
        path.file_stem()
    };
    name.map_or_else(|| "import".to_owned(), |n| n.to_string_lossy().into_owned())
}

fn run_import(args: ImportArgs) -> Result<ExitCode> {
    let now = args.store.now()?;
    let mut store = args.store.open()?;
    let column = args
        .column
        .as_deref()
        .map(|c| match c.trim().parse::<usize>() {
            Ok(n) => Column::Number(n),
            Err(_) => Column::Name(c.to_owned()),
        });
    let format = match args.format {
        FormatArg::Auto => Format::Auto,
        FormatArg::Stix => Format::Stix,
        FormatArg::MispFeed => Format::MispFeed,
        FormatArg::MispEvent => Format::MispEvent,
        FormatArg::List => Format::List,
        FormatArg::Csv => Format::Csv,
    };
    let opts = ImportOptions {
        format,
        forced_type: args.kind,
        column,
        max_file_size: args.max_size.saturating_mul(1024 * 1024),
        now,
    };
    let mut problems = 0;
    let mut out = std::io::stdout().lock();
    for path in &args.paths {
        let spec = args.defaults.spec(
            args.source_name
                .clone()
                .unwrap_or_else(|| source_name(path)),
        );
        let report = import_path(&mut store, &spec, path, &opts).map_err(import_error)?;
        for p in &report.problems {
            eprintln!("{} {p}", paint("warning:", "1;33"));
        }
        problems += report.problems.len();
        let tlp = store
            .source(&spec.name)
            .map_err(store_error)?
            .map_or(vigie_intel::FALLBACK_TLP, |s| s.default_tlp);
        write_report(&mut out, &path.display().to_string(), &report, tlp)?;
    }
    Ok(if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What an import did, under a first line naming what was read (a path, a URL) and the source.
pub(crate) fn write_report(
    out: &mut impl Write,
    origin: &str,
    r: &ImportReport,
    tlp: Tlp,
) -> std::io::Result<()> {
    writeln!(out, "{origin}: source {:?} (default TLP {tlp})", r.source)?;
    write_counts(out, r)
}

/// The counts of an import report, indented under its first line.
pub(crate) fn write_counts(out: &mut impl Write, r: &ImportReport) -> std::io::Result<()> {
    if r.events_imported + r.events_unchanged > 0 {
        writeln!(
            out,
            "  MISP feed: {} events imported, {} unchanged since the last import",
            r.events_imported, r.events_unchanged
        )?;
    }
    let files = if r.files > 0 {
        format!("{}, ", count(r.files, "file"))
    } else {
        String::new()
    };
    writeln!(
        out,
        "  read {files}{}, {}",
        count(r.objects, "object"),
        count(r.values, "indicator value")
    )?;
    writeln!(
        out,
        "  {} new indicators, {} already in the store from other sources, {} already known from this source, {} repeated within a file",
        r.new_indicators, r.new_provenance, r.already_known, r.duplicates
    )?;
    if r.retired > 0 || r.events_removed > 0 {
        writeln!(
            out,
            "  {} no longer in the feed ({} gone from its manifest): this source's provenance removed",
            count(r.retired, "value"),
            count(r.events_removed, "event")
        )?;
    }
    if !r.skipped.is_empty() {
        writeln!(out, "  skipped {}:", count(r.skipped_total(), "object"))?;
        for (reason, n) in &r.skipped {
            writeln!(out, "    {n:>6}  {reason}")?;
        }
    }
    if !r.problems.is_empty() {
        writeln!(
            out,
            "  {} reported on stderr (not imported)",
            count(r.problems.len(), "problem")
        )?;
    }
    Ok(())
}

pub(crate) fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn run_list(args: ListArgs) -> Result<ExitCode> {
    let now = args.store.now()?;
    let store = args.store.open_existing()?;
    let filter = ListFilter {
        kind: args.kind,
        all: args.all,
    };
    let mut rows: Vec<IndicatorView> = Vec::new();
    let mut error: Option<anyhow::Error> = None;
    write_results(&args.output, |out| {
        if args.format == ListFormatArg::Csv {
            writeln!(
                out,
                "type,value,tlp,confidence,to_ids,status,valid_from,valid_until,sources,labels,attack"
            )?;
        }
        let mut write = |v: IndicatorView| -> Result<(), ListError> {
            match args.format {
                ListFormatArg::Table => rows.push(v),
                ListFormatArg::Jsonl => {
                    let prov = store.provenance(v.id)?;
                    writeln!(out, "{}", indicator_json(&v, &prov))?;
                }
                ListFormatArg::Csv => {
                    let prov = store.provenance(v.id)?;
                    write_csv_row(out, &v, &prov)?;
                }
            }
            Ok(())
        };
        match store.list(&filter, now, &mut write) {
            Ok(()) => {}
            Err(ListError::Io(e)) => return Err(e),
            Err(ListError::Store(e)) => error = Some(store_error(e)),
        }
        if args.format == ListFormatArg::Table {
            write_table(out, &rows)?;
        }
        Ok(())
    })?;
    if let Some(e) = error {
        return Err(e);
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug)]
enum ListError {
    Store(StoreError),
    Io(std::io::Error),
}

impl From<StoreError> for ListError {
    fn from(e: StoreError) -> ListError {
        ListError::Store(e)
    }
}

impl From<std::io::Error> for ListError {
    fn from(e: std::io::Error) -> ListError {
        ListError::Io(e)
    }
}

fn write_table(out: &mut dyn Write, rows: &[IndicatorView]) -> std::io::Result<()> {
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|v| {
            [
                v.kind.to_string(),
                shorten(&v.value, 72),
                v.tlp.to_string(),
                v.confidence.map_or("-".into(), |c| c.to_string()),
                if v.to_ids { "yes" } else { "no" }.into(),
                v.valid_until
                    .as_deref()
                    .map_or("-".into(), |t| t.get(..10).unwrap_or(t).to_owned()),
                v.status.as_str().into(),
                v.sources.join(","),
            ]
        })
        .collect();
    let header = [
        "TYPE", "VALUE", "TLP", "CONF", "IDS", "UNTIL", "STATUS", "SOURCES",
    ];
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cols: Vec<&str>| {
        let mut s = String::new();
        for (i, (c, w)) in cols.iter().zip(&widths).enumerate() {
            if i + 1 == cols.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        s
    };
    writeln!(out, "{}", line(header.to_vec()))?;
    for row in &cells {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}

fn shorten(v: &str, max: usize) -> String {
    if v.chars().count() <= max {
        v.to_owned()
    } else {
        let mut s: String = v.chars().take(max - 3).collect();
        s.push_str("...");
        s
    }
}

fn indicator_json(v: &IndicatorView, prov: &[vigie_intel::ProvenanceView]) -> serde_json::Value {
    serde_json::json!({
        "type": v.kind.as_str(),
        "value": v.value,
        "tlp": v.tlp.as_str(),
        "confidence": v.confidence,
        "to_ids": v.to_ids,
        "status": v.status.as_str(),
        "valid_from": v.valid_from,
        "valid_until": v.valid_until,
        "first_seen": v.first_seen,
        "last_seen": v.last_seen,
        "sources": v.sources,
        "provenance": prov.iter().map(|p| serde_json::json!({
            "source": p.source,
            "reference": p.reference,
            "tlp": p.tlp.as_str(),
            "confidence": p.confidence,
            "to_ids": p.to_ids,
            "valid_from": p.valid_from,
            "valid_until": p.valid_until,
            "first_seen": p.first_seen,
            "last_seen": p.last_seen,
            "name": p.name,
            "description": p.description,
            "labels": p.labels,
            "kill_chain": p.kill_chain,
            "attack": p.attack,
        })).collect::<Vec<_>>(),
    })
}

fn write_csv_row(
    out: &mut dyn Write,
    v: &IndicatorView,
    prov: &[vigie_intel::ProvenanceView],
) -> std::io::Result<()> {
    let mut labels: Vec<&str> = prov
        .iter()
        .flat_map(|p| p.labels.iter().map(String::as_str))
        .collect();
    labels.sort_unstable();
    labels.dedup();
    let mut attack: Vec<&str> = prov
        .iter()
        .flat_map(|p| p.attack.iter().map(String::as_str))
        .collect();
    attack.sort_unstable();
    attack.dedup();
    let fields = [
        v.kind.to_string(),
        v.value.clone(),
        v.tlp.to_string(),
        v.confidence.map_or(String::new(), |c| c.to_string()),
        v.to_ids.to_string(),
        v.status.as_str().to_owned(),
        v.valid_from.clone().unwrap_or_default(),
        v.valid_until.clone().unwrap_or_default(),
        v.sources.join(";"),
        labels.join(";"),
        attack.join(";"),
    ];
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    writeln!(out, "{}", line.join(","))
}

/// RFC 4180 quoting; a leading `= + - @` is prefixed with `'` so spreadsheets do not run it.
fn csv_field(f: &str) -> String {
    let f = if f.starts_with(['=', '+', '-', '@']) {
        format!("'{f}")
    } else {
        f.to_owned()
    };
    if f.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f
    }
}

fn run_stats(args: StatsArgs) -> Result<ExitCode> {
    let now = args.store.now()?;
    let store = args.store.open_existing()?;
    let s = store.stats(now).map_err(store_error)?;
    let mut taxii: Vec<Vec<vigie_intel::TaxiiState>> = Vec::with_capacity(s.sources.len());
    for src in &s.sources {
        taxii.push(match store.source(&src.name).map_err(store_error)? {
            Some(info) => store.taxii_states(&info).map_err(store_error)?,
            None => Vec::new(),
        });
    }
    write_results(&None, |out| {
        writeln!(
            out,
            "store: {} (schema {})",
            s.path.display(),
            s.schema_version
        )?;
        writeln!(
            out,
            "indicators: {} ({} active, {} of them for detection; {} expired; {} not yet valid)",
            s.indicators, s.active, s.active_to_ids, s.expired, s.not_yet_valid
        )?;
        writeln!(out, "provenance rows: {}", s.provenance_rows)?;
        if !s.by_type.is_empty() {
            writeln!(out, "by type:")?;
            for (t, n) in &s.by_type {
                writeln!(out, "  {:<14}{n:>10}", t.as_str())?;
            }
        }
        if !s.by_tlp.is_empty() {
            writeln!(out, "by TLP (strictest of its sources):")?;
            for (t, n) in &s.by_tlp {
                writeln!(out, "  {:<14}{n:>10}", t.as_str())?;
            }
        }
        if !s.sources.is_empty() {
            writeln!(out, "sources:")?;
            for (src, states) in s.sources.iter().zip(&taxii) {
                writeln!(
                    out,
                    "  {}: {} indicators ({} for detection), default TLP {}, last import {}{}",
                    src.name,
                    src.indicators,
                    src.to_ids,
                    src.default_tlp,
                    src.last_import.as_deref().unwrap_or("never"),
                    if src.feed_events > 0 {
                        format!(", {} MISP feed events remembered", src.feed_events)
                    } else {
                        String::new()
                    }
                )?;
                for t in states {
                    writeln!(
                        out,
                        "    TAXII {}collections/{}/: objects added up to {}, synced {}",
                        t.api_root, t.collection, t.last_added, t.synced_at
                    )?;
                }
            }
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
