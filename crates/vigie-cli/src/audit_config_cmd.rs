//! `vigie audit config --content FILE [--profile ID]`: an XCCDF profile evaluated against a
//! root folder (`vigie-xccdf`), one result per selected rule on stdout (table, JSON lines or
//! HTML), with the fix text of failures, then the default-model score (the table's last line,
//! the JSON lines' last object, `{"score", "maximum", "system"}`); what could not be evaluated
//! on stderr.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use vigie_xccdf::{Options, RuleResult, Score};

use crate::ui::{paint, Hint};

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq, Eq)]
pub enum ConfigFormat {
    Table,
    Jsonl,
    /// One standalone HTML file: counts, failing rules by severity with their fix text.
    Html,
}

#[derive(Args, Debug)]
pub struct AuditConfigArgs {
    /// A SCAP 1.2 / 1.3 source data stream (ssg-debian11-ds.xml) or an XCCDF 1.2 file whose
    /// OVAL files (check-content-ref href) are beside it.
    #[arg(long, value_name = "FILE")]
    pub content: PathBuf,
    /// The profile id (`xccdf_org.ssgproject.content_profile_anssi_np_nt28_average`); without
    /// it, the benchmark's default selection.
    #[arg(long, value_name = "ID")]
    pub profile: Option<String>,
    /// The folder the audited system is installed in; `/` for this host.
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// Evaluate rules whose platforms do not match (a newer release than the content's).
    #[arg(long)]
    pub ignore_platform: bool,
    /// Print what could not be evaluated (OVAL problems, unsupported checks) on stderr.
    #[arg(long)]
    pub verbose: bool,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: ConfigFormat,
}

pub fn run(args: AuditConfigArgs) -> Result<ExitCode> {
    if !args.root.is_dir() {
        return Err(anyhow::anyhow!("{}: not a folder", args.root.display())).context(Hint(
            "--root takes the folder the audited system is installed in (/ for this host)".into(),
        ));
    }
    let name = args.content.display().to_string();
    let text = std::fs::read_to_string(&args.content)
        .with_context(|| format!("cannot read {name}"))
        .context(Hint(
            "give a SCAP source data stream or an XCCDF 1.2 benchmark".into(),
        ))?;
    let content = vigie_xccdf::parse(&text, &name)?;
    let dir = args
        .content
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let opts = Options {
        profile: args.profile.clone(),
        root: args.root.clone(),
        ignore_platform: args.ignore_platform,
    };
    let report = vigie_xccdf::evaluate(&content, &text, &name, &dir, &opts)?;
    if args.verbose {
        for n in &report.notes {
            eprintln!("{} {n}", paint("note:", "1;33"));
        }
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        ConfigFormat::Table => table(&mut out, &report.results, &report.score)?,
        ConfigFormat::Html => {
            let what = format!(
                "{} — profile {} — root {}",
                name,
                args.profile.as_deref().unwrap_or("(default selection)"),
                args.root.display()
            );
            out.write_all(vigie_xccdf::html(&report.results, &report.score, &what).as_bytes())?;
        }
        ConfigFormat::Jsonl => {
            for r in &report.results {
                serde_json::to_writer(&mut out, r)?;
                out.write_all(b"\n")?;
            }
            // The trailer: the one line without a rule_id.
            serde_json::to_writer(&mut out, &report.score)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &report.results {
        *counts.entry(r.result.as_str()).or_default() += 1;
    }
    let by: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    eprintln!(
        "{} rules: {}; {} notes{}",
        report.results.len(),
        by.join(", "),
        report.notes.len(),
        if args.verbose {
            ""
        } else {
            " (--verbose shows them)"
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Aligned columns: result, severity, rule id, title; a failure's fix text indented below; the
/// score last.
fn table(out: &mut impl Write, results: &[RuleResult], score: &Score) -> Result<()> {
    let w =
        |f: fn(&RuleResult) -> usize, min: usize| results.iter().map(f).max().unwrap_or(0).max(min);
    let w_res = w(|r| r.result.len(), 6);
    let w_sev = w(|r| r.severity.len(), 8);
    let w_id = w(|r| r.rule_id.len(), 4);
    writeln!(
        out,
        "{:w_res$}  {:w_sev$}  {:w_id$}  TITLE",
        "RESULT", "SEVERITY", "RULE"
    )?;
    for r in results {
        writeln!(
            out,
            "{:w_res$}  {:w_sev$}  {:w_id$}  {}",
            r.result, r.severity, r.rule_id, r.title
        )?;
        if let Some(fix) = &r.fix {
            writeln!(out, "{:w_res$}  fix: {fix}", "")?;
        }
    }
    writeln!(
        out,
        "score: {:.2} of {:.0} ({})",
        score.score, score.maximum, score.system
    )?;
    Ok(())
}
