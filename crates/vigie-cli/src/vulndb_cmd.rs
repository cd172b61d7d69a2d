//! `vigie vulndb import | update | stats`: the advisory index (`vigie-vulndb`) from the command
//! line, and the KEV / EPSS prioritisation data beside it. Counts go to stdout; each advisory that could not be read goes to stderr with its
//! file and reason.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use vigie_vulndb::{sniff, DbError, ImportReport, PriorityKind, PriorityReport, VulnDb};

use crate::cli::{CheckFormat, DbArg, VulndbCommand};
use crate::ui::{DownloadBar, Hint};

pub fn run(command: VulndbCommand) -> Result<ExitCode> {
    match command {
        VulndbCommand::Import { sources, db } => import(&sources, &db),
        VulndbCommand::Update {
            url,
            ecosystems,
            db,
        } => update(&url, ecosystems, &db),
        VulndbCommand::Stats { db, format } => stats(&db, format),
        VulndbCommand::ImportKev { file, db } => import_priority(&file, PriorityKind::Kev, &db),
        VulndbCommand::ImportEpss { file, db } => import_priority(&file, PriorityKind::Epss, &db),
    }
}

/// The index folder: --db, else `vulndb` in the data folder.
pub(crate) fn db_dir(arg: &DbArg) -> Result<PathBuf> {
    if let Some(d) = &arg.db {
        return Ok(d.clone());
    }
    vigie_rulepack::data_dir()
        .map(|d| d.join("vulndb"))
        .ok_or_else(|| {
            anyhow::anyhow!("no data folder: neither VIGIE_DATA_DIR, XDG_DATA_HOME nor HOME is set")
        })
        .context(Hint("give the index folder with --db DIR".into()))
}

pub(crate) fn open(arg: &DbArg) -> Result<VulnDb> {
    let dir = db_dir(arg)?;
    VulnDb::open(&dir).map_err(|e| {
        let hint = match e {
            DbError::TooNew { .. } => "use a newer Vigie, or give another --db folder",
            _ => "check that the --db folder is writable and not an index of something else",
        };
        anyhow::Error::new(e).context(Hint(hint.into()))
    })
}

/// Prints a report's counts on stdout and its errors on stderr.
fn print_report(out: &mut impl Write, r: &ImportReport) -> Result<()> {
    for (file, reason) in &r.errors {
        eprintln!("error: {file}: {reason}");
    }
    writeln!(
        out,
        "{}: {} added, {} updated, {} unchanged, {} kept (newer in the index), {} not read",
        r.source,
        r.added,
        r.updated,
        r.unchanged,
        r.kept_newer,
        r.errors.len()
    )?;
    Ok(())
}

fn import(sources: &[PathBuf], arg: &DbArg) -> Result<ExitCode> {
    let mut db = open(arg)?;
    let mut out = std::io::stdout().lock();
    for source in sources {
        if let Some(kind) = sniff(source) {
            let report = priority(&mut db, source, kind)?;
            print_priority(&mut out, &report)?;
            continue;
        }
        let report = db.import(source).map_err(|e| {
            let hint = match e {
                DbError::Source { .. } => {
                    "give a folder, a .zip archive or an OSV record file (.json, .yaml, .yml)"
                }
                _ => "nothing of this source was imported; the index is as it was",
            };
            anyhow::Error::new(e).context(Hint(hint.into()))
        })?;
        print_report(&mut out, &report)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn priority(db: &mut VulnDb, file: &Path, kind: PriorityKind) -> Result<PriorityReport> {
    let result = match kind {
        PriorityKind::Kev => db.import_kev(file),
        PriorityKind::Epss => db.import_epss(file),
    };
    result.map_err(|e| {
        let hint = match kind {
            PriorityKind::Kev => "give CISA's known_exploited_vulnerabilities.json; the index keeps the previous catalogue",
            PriorityKind::Epss => "give FIRST's epss_scores-YYYY-MM-DD.csv (or .csv.gz); the index keeps the previous scores",
        };
        anyhow::Error::new(e).context(Hint(hint.into()))
    })
}

/// Prints a prioritisation import's counts on stdout and its bad entries on stderr.
fn print_priority(out: &mut impl Write, r: &PriorityReport) -> Result<()> {
    for (place, reason) in &r.errors {
        eprintln!("error: {}: {place}: {reason}", r.source);
    }
    let what = match r.kind {
        PriorityKind::Kev => "KEV catalogue",
        PriorityKind::Epss => "EPSS scores",
    };
    writeln!(
        out,
        "{}: {what}{}{}: {} entries, {} not read",
        r.source,
        r.version
            .as_deref()
            .map_or_else(String::new, |v| format!(" {v}")),
        r.published
            .as_deref()
            .map_or_else(String::new, |p| format!(" of {p}")),
        r.rows,
        r.errors.len()
    )?;
    Ok(())
}

fn import_priority(file: &Path, kind: PriorityKind, arg: &DbArg) -> Result<ExitCode> {
    let mut db = open(arg)?;
    let report = priority(&mut db, file, kind)?;
    print_priority(&mut std::io::stdout().lock(), &report)?;
    Ok(ExitCode::SUCCESS)
}

fn update(url: &str, mut ecosystems: Vec<String>, arg: &DbArg) -> Result<ExitCode> {
    let mut db = open(arg)?;
    if ecosystems.is_empty() {
        ecosystems = db.updated_ecosystems().map_err(anyhow::Error::new)?;
    }
    if ecosystems.is_empty() {
        return Err(anyhow::anyhow!("no ecosystem to update"))
            .context(Hint("name the ecosystems to fetch, e.g. --ecosystem PyPI --ecosystem crates.io --ecosystem Debian:12; later updates fetch the same ones".into()));
    }
    let bar = DownloadBar::new();
    let reports = db.update(url, &ecosystems, &bar).map_err(|e| {
        anyhow::Error::new(e).context(Hint("the ecosystems before this one are imported; check the address, the ecosystem name (as osv.dev spells it) and the network, or import an archive downloaded elsewhere with `vigie vulndb import`".into()))
    });
    let reports = reports?;
    let mut out = std::io::stdout().lock();
    for r in &reports {
        print_report(&mut out, r)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(arg: &DbArg, format: CheckFormat) -> Result<ExitCode> {
    let db = open(arg)?;
    let s = db.stats().map_err(anyhow::Error::new)?;
    let mut out = std::io::stdout().lock();
    if format == CheckFormat::Json {
        writeln!(out, "{}", serde_json::to_string(&s)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "index {} ({:.1} MB, schema {})",
        s.path.display(),
        s.bytes as f64 / 1e6,
        s.schema_version
    )?;
    writeln!(
        out,
        "{} advisories ({} withdrawn), {} packages, {} ecosystems",
        s.advisories,
        s.withdrawn,
        s.packages,
        s.ecosystems.len()
    )?;
    if !s.ecosystems.is_empty() {
        writeln!(
            out,
            "{:<24} {:>10} {:>9}",
            "ecosystem", "advisories", "packages"
        )?;
        for e in &s.ecosystems {
            writeln!(out, "{:<24} {:>10} {:>9}", e.name, e.advisories, e.packages)?;
        }
    }
    writeln!(out, "imports:")?;
    for i in &s.imports {
        writeln!(
            out,
            "  {}  {}: {} added, {} updated, {} unchanged, {} kept, {} not read",
            i.finished_at.as_deref().unwrap_or(&i.started_at),
            i.source,
            i.added,
            i.updated,
            i.unchanged,
            i.kept_newer,
            i.errors
        )?;
    }
    for p in &s.priority {
        writeln!(
            out,
            "{}: {} entries{} from {} ({})",
            p.kind,
            p.rows,
            p.version
                .as_deref()
                .map_or_else(String::new, |v| format!(", version {v}")),
            p.source,
            p.imported_at
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
