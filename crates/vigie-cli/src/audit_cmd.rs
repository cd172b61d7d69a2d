//! `vigie audit ...`: audits of a system. `vulns`: the inventory (`vigie-inventory`) matched
//! against the advisory index by `vigie-audit`; findings on stdout (table, JSON lines,
//! SARIF), talk on stderr (files not read, expired ignore entries, the summary), the run
//! stored in the history; exit code 1 when a finding meets `--fail-on`, 2 on errors or
//! when a file could not be read (the audit is then incomplete).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{SecondsFormat, Utc};
use clap::{Args, Subcommand, ValueEnum};
use vigie_audit::{
    audit, format, meets, meets_any, AuditReport, IgnoreList, RunInfo, RunStore, STORE_FILE,
};
use vigie_cvss::Severity;
use vigie_vulndb::DB_FILE;

use crate::cli::DbArg;
use crate::output::write_results;
use crate::ui::{paint, Hint};

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Vulnerable packages: OS packages under --root and lockfile packages under PATHs
    /// matched against the advisory index (`vigie vulndb import | update`), offline.
    Vulns(VulnsArgs),
    /// Evaluate every definition of an OVAL file (or of a SCAP source data stream's OVAL
    /// component) against a root folder, with OpenSCAP's verdicts.
    Oval(crate::audit_oval_cmd::AuditOvalArgs),
    /// Evaluate Wazuh SCA policies (YAML) against a root folder: one result per check.
    Sca(crate::audit_sca_cmd::AuditScaArgs),
    /// Evaluate an XCCDF 1.2 profile (a SCAP source data stream, or an XCCDF file with its
    /// OVAL files beside it): one result per selected rule, as `oscap xccdf eval`.
    Config(crate::audit_config_cmd::AuditConfigArgs),
    /// The history of `audit vulns` runs (from `audit.sqlite`): when, where, how many
    /// findings; with --run N, that run's stored findings as JSON lines.
    Runs(RunsArgs),
}

#[derive(Args, Debug)]
pub struct RunsArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Folder of the run history (default: the index folder).
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Print the findings stored for this run (JSON lines).
    #[arg(long, value_name = "N")]
    pub run: Option<i64>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum AuditFormat {
    Table,
    Jsonl,
    Sarif,
}

/// The `--fail-on` thresholds.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    /// Any affected finding, those without a severity included.
    Any,
    None,
    Low,
    Medium,
    High,
    Critical,
}

#[derive(Args, Debug)]
pub struct VulnsArgs {
    /// Files or folders walked for lockfiles and SBOMs (those `vigie inventory` reads).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// A root folder whose installed OS packages are audited (dpkg, apk, rpmdb.sqlite);
    /// `--root /` for this host.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// A container image whose OS packages and lockfiles are audited: an OCI image layout
    /// (folder or tar) or a `docker save` tarball.
    #[arg(long, value_name = "PATH")]
    pub image: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: AuditFormat,
    /// Exit with 1 when an affected finding is at or above this severity (`any`: every
    /// affected finding, those without a severity included).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Ignore file in osv-scanner's format ([[IgnoredVulns]] id, ignoreUntil, reason;
    /// [[PackageOverrides]] with vulnerability.ignore).
    #[arg(long, value_name = "FILE")]
    pub ignore: Option<PathBuf>,
    /// Folder of the run history (`audit.sqlite`); default: the index folder.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Do not store the run in the history.
    #[arg(long)]
    pub no_store: bool,
    /// Write the findings to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(command: AuditCommand) -> Result<ExitCode> {
    match command {
        AuditCommand::Vulns(args) => vulns(args),
        AuditCommand::Oval(args) => crate::audit_oval_cmd::run(args),
        AuditCommand::Sca(args) => crate::audit_sca_cmd::run(args),
        AuditCommand::Config(args) => crate::audit_config_cmd::run(args),
        AuditCommand::Runs(args) => runs(args),
    }
}

fn vulns(args: VulnsArgs) -> Result<ExitCode> {
    let started_at = Utc::now();
    let ignore = args
        .ignore
        .as_deref()
        .map(IgnoreList::load)
        .transpose()
        .map_err(|e| {
            anyhow::Error::new(e).context(Hint(
                "write entries as osv-scanner does: [[IgnoredVulns]] id = \"...\", \
                 ignoreUntil = 2026-12-31, reason = \"...\""
                    .into(),
            ))
        })?;
    let dir = crate::vulndb_cmd::db_dir(&args.db)?;
    if !dir.join(DB_FILE).is_file() {
        return Err(anyhow::anyhow!(
            "no advisory index in {} (no {DB_FILE})",
            dir.display()
        ))
        .context(Hint(
            "build it first: `vigie vulndb import SOURCE --db DIR` (offline) or `vigie vulndb \
             update --ecosystem NAME --db DIR`"
                .into(),
        ));
    }
    let db = crate::vulndb_cmd::open(&args.db)?;

    let inputs = crate::inventory_cmd::Inputs {
        paths: &args.paths,
        root: args.root.as_deref(),
        image: args.image.as_deref(),
    };
    let inv = crate::inventory_cmd::collect(&inputs, "audit")?;

    let today = started_at.date_naive();
    let report = audit(&db, &inv.packages, ignore.as_ref(), today)?;
    if let Some(i) = &ignore {
        for e in &report.expired {
            eprintln!(
                "{} {}:{}: the ignore entry for {} expired on {}{}; it no longer silences",
                paint("warning:", "1;33"),
                i.file.display(),
                e.line,
                e.describe(),
                e.until.map_or_else(String::new, |d| d.to_string()),
                e.reason
                    .as_deref()
                    .map_or_else(String::new, |r| format!(" (reason: {r})"))
            );
        }
    }
    write_results(&args.output, |out| match args.format {
        AuditFormat::Table => format::write_table(out, &report.findings),
        AuditFormat::Jsonl => format::write_jsonl(out, &report.findings),
        AuditFormat::Sarif => format::write_sarif(out, &report.findings),
    })?;

    let stored = if args.no_store {
        None
    } else {
        let store_dir = args.store.clone().unwrap_or_else(|| dir.clone());
        let info = RunInfo {
            started_at: started_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            host: host_name(),
            root: args.root.clone(),
            // The image is stored among the paths (the history has no column of its own).
            paths: args.paths.iter().chain(&args.image).cloned().collect(),
        };
        let id = RunStore::open(&store_dir)
            .and_then(|mut s| s.record(&info, &report).map(|id| (id, s)))
            .map_err(|e| {
                anyhow::Error::new(e).context(Hint(
                    "the findings above are complete but this run is not in the history; \
                     give a writable --store DIR, or --no-store"
                        .into(),
                ))
            })?;
        Some((id.0, id.1.path().to_owned()))
    };
    summary(&report, inv.errors.len(), stored.as_ref());

    let failed = args.fail_on.is_some_and(|t| {
        report.findings.iter().any(|f| match threshold(t) {
            Some(s) => meets(f, s),
            None => meets_any(f),
        })
    });
    Ok(if !inv.errors.is_empty() {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn runs(args: RunsArgs) -> Result<ExitCode> {
    let dir = match args.store {
        Some(d) => d,
        None => crate::vulndb_cmd::db_dir(&args.db)?,
    };
    if !dir.join(STORE_FILE).is_file() {
        return Err(anyhow::anyhow!(
            "no run history in {} (no {STORE_FILE})",
            dir.display()
        ))
        .context(Hint(
            "`vigie audit vulns` stores each run there unless --no-store; give --store DIR or \
             --db DIR as it was given"
                .into(),
        ));
    }
    let store = RunStore::open(&dir)?;
    write_results(&None, |out| {
        if let Some(id) = args.run {
            for f in store.findings(id).map_err(std::io::Error::other)? {
                serde_json::to_writer(&mut *out, &f)?;
                out.write_all(b"\n")?;
            }
            return Ok(());
        }
        writeln!(
            out,
            "{:>4}  {:<20}  {:<16}  {:>8}  {:>8}  {:>13}  {:>8}  ROOT",
            "RUN", "STARTED", "HOST", "PACKAGES", "AFFECTED", "NOT EVALUATED", "SILENCED"
        )?;
        for r in store.runs().map_err(std::io::Error::other)? {
            writeln!(
                out,
                "{:>4}  {:<20}  {:<16}  {:>8}  {:>8}  {:>13}  {:>8}  {}",
                r.id,
                r.started_at,
                r.host,
                r.packages,
                r.affected,
                r.not_evaluated,
                r.silenced,
                r.root.as_deref().unwrap_or("-")
            )?;
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn threshold(t: FailOn) -> Option<Severity> {
    match t {
        FailOn::Any => None,
        FailOn::None => Some(Severity::None),
        FailOn::Low => Some(Severity::Low),
        FailOn::Medium => Some(Severity::Medium),
        FailOn::High => Some(Severity::High),
        FailOn::Critical => Some(Severity::Critical),
    }
}

/// The counts on stderr.
fn summary(report: &AuditReport, unread: usize, stored: Option<&(i64, PathBuf)>) {
    let affected: Vec<_> = report.findings.iter().filter(|f| meets_any(f)).collect();
    let mut by_rating = Vec::new();
    for s in [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::None,
    ] {
        let n = affected.iter().filter(|f| f.rating() == Some(s)).count();
        if n > 0 {
            by_rating.push(format!("{n} {s}"));
        }
    }
    let unknown = affected.iter().filter(|f| f.rating().is_none()).count();
    if unknown > 0 {
        by_rating.push(format!("{unknown} without severity"));
    }
    let kev = affected.iter().filter(|f| f.kev).count();
    eprintln!(
        "{} packages audited, {} findings{}{}, {} not evaluated, {} silenced, {} files not read",
        report.packages,
        affected.len(),
        if by_rating.is_empty() {
            String::new()
        } else {
            format!(" ({})", by_rating.join(", "))
        },
        if kev > 0 {
            format!(", {kev} known exploited")
        } else {
            String::new()
        },
        report.findings.len() - affected.len(),
        report.silenced.len(),
        unread
    );
    if let Some((id, path)) = stored {
        eprintln!("run {id} stored in {}", path.display());
    }
}

/// This machine's name, for the history.
fn host_name() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(Path::new(p)).ok())
        .map(|s| s.trim().to_owned())
        .find(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".into())
}
