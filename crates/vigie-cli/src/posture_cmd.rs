//! `vigie posture`: record an audit's results as a run of a host's posture, and show the score,
//! its history and what changed (table, JSON lines, or a standalone HTML report).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use vigie_posture::{changes, failing, html, read_findings, read_rules, score, History, Run};

use crate::output::write_results;
use crate::ui::{paint, Hint};

#[derive(Subcommand, Debug)]
pub enum PostureCommand {
    /// Score an audit (the JSON lines of `audit vulns` and / or `audit oval`) and keep it as
    /// the host's latest run.
    Record(RecordArgs),
    /// The host's score, its history and what changed since the previous run.
    Show(ShowArgs),
}

#[derive(Args, Debug)]
pub struct StoreArg {
    /// Folder of the posture history (`posture.sqlite`).
    #[arg(long, value_name = "DIR", env = "VIGIE_POSTURE")]
    pub store: Option<PathBuf>,
    /// The host the runs are about.
    #[arg(long)]
    pub host: String,
}

#[derive(Args, Debug)]
pub struct RecordArgs {
    #[command(flatten)]
    pub store: StoreArg,
    /// Findings: `vigie audit vulns --format jsonl` output.
    #[arg(long, value_name = "FILE")]
    pub vulns: Option<PathBuf>,
    /// Compliance results: `vigie audit oval --format jsonl` output.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The time of the run (RFC 3339; default now).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PostureFormat {
    Table,
    Jsonl,
    Html,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    #[command(flatten)]
    pub store: StoreArg,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: PostureFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn store_dir(s: &StoreArg) -> Result<PathBuf> {
    s.store
        .clone()
        .or_else(|| vigie_rulepack::data_dir().map(|d| d.join("posture")))
        .context("no folder for the posture history")
        .context(Hint("give one with --store DIR".into()))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

pub fn run(command: PostureCommand) -> Result<ExitCode> {
    match command {
        PostureCommand::Record(a) => record(a),
        PostureCommand::Show(a) => show(a),
    }
}

fn record(args: RecordArgs) -> Result<ExitCode> {
    if args.vulns.is_none() && args.config.is_none() {
        return Err(anyhow::anyhow!("nothing to record")).context(Hint(
            "give --vulns FILE (audit vulns --format jsonl) and / or --config FILE (audit oval --format jsonl)".into(),
        ));
    }
    let mut problems = Vec::new();
    let findings = match &args.vulns {
        Some(p) => {
            let (f, pr) = read_findings(&read(p)?, &p.display().to_string());
            problems.extend(pr);
            Some(f)
        }
        None => None,
    };
    let rules = match &args.config {
        Some(p) => {
            let (r, pr) = read_rules(&read(p)?, &p.display().to_string());
            problems.extend(pr);
            Some(r)
        }
        None => None,
    };
    for p in &problems {
        eprintln!("{} {p} (line skipped)", paint("warning:", "1;33"));
    }
    let scores = score(rules.as_deref(), findings.as_deref());
    let time = crate::cli::time_arg(args.at.as_deref())?
        .unwrap_or_else(chrono::Utc::now)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let failing = failing(
        rules.as_deref().unwrap_or_default(),
        findings.as_deref().unwrap_or_default(),
    );
    let history = History::open(&store_dir(&args.store)?)?;
    let before = history.runs(&args.store.host)?;
    history.record(&args.store.host, &time, &scores, &failing)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} at {time}: score {:.0} (compliance {}, vulnerabilities {}); {} failing",
        args.store.host,
        scores.score,
        scores.compliance.map_or("-".into(), |c| format!("{c:.0}")),
        scores
            .vulnerabilities
            .map_or("-".into(), |c| format!("{c:.0}")),
        failing.len()
    )?;
    if let Some(prev) = before.last() {
        let c = changes(&prev.failing, &failing);
        writeln!(
            out,
            "since {}: {:+.0} points; {} fixed, {} new, {} still failing",
            prev.time,
            scores.score - prev.scores.score,
            c.fixed.len(),
            c.new.len(),
            c.still.len()
        )?;
    }
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_json(r: &Run) -> serde_json::Value {
    serde_json::json!({
        "host": r.host, "time": r.time, "score": r.scores.score,
        "compliance": r.scores.compliance, "vulnerabilities": r.scores.vulnerabilities,
        "failing": r.failing.len(),
    })
}

fn show(args: ShowArgs) -> Result<ExitCode> {
    let history = History::open(&store_dir(&args.store)?)?;
    let runs = history.runs(&args.store.host)?;
    if runs.is_empty() {
        return Err(anyhow::anyhow!(
            "no run recorded for host {:?}",
            args.store.host
        ))
        .context(Hint(
            "record one with `vigie posture record --host NAME --vulns FILE --config FILE`".into(),
        ));
    }
    write_results(&args.output, |out| match args.format {
        PostureFormat::Html => {
            out.write_all(html(&args.store.host, &runs).unwrap_or_default().as_bytes())
        }
        PostureFormat::Jsonl => runs
            .iter()
            .try_for_each(|r| writeln!(out, "{}", run_json(r))),
        PostureFormat::Table => {
            writeln!(
                out,
                "time                  score  compliance  vulnerabilities  failing"
            )?;
            for r in &runs {
                writeln!(
                    out,
                    "{:<21} {:>5.0}  {:>10}  {:>15}  {:>7}",
                    r.time,
                    r.scores.score,
                    r.scores
                        .compliance
                        .map_or("-".into(), |c| format!("{c:.0}")),
                    r.scores
                        .vulnerabilities
                        .map_or("-".into(), |c| format!("{c:.0}")),
                    r.failing.len()
                )?;
            }
            if let [.., prev, last] = runs.as_slice() {
                let c = changes(&prev.failing, &last.failing);
                for (what, list) in [
                    ("fixed", &c.fixed),
                    ("new", &c.new),
                    ("still failing", &c.still),
                ] {
                    writeln!(out, "\n{what} since {} ({}):", prev.time, list.len())?;
                    for f in list {
                        writeln!(out, "  {}", f.label)?;
                    }
                }
            }
            Ok(())
        }
    })?;
    Ok(ExitCode::SUCCESS)
}
