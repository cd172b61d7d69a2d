//! `vigie anomalies`: behaviour baselines over the same inputs as `vigie hunt`, each anomaly
//! with the sentence that explains it; baselines kept in `--state DIR` between runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use vigie_baselines::{observe, Anomaly, Baselines, Config};
use vigie_hunt::{project, SearchOptions};

use crate::cli::InputArgs;
use crate::output::{write_errors, write_results};
use crate::ui::{Bar, Hint};

/// The state file in `--state DIR`.
const STATE_FILE: &str = "baselines.json";

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum AnomalyFormat {
    Table,
    Jsonl,
}

#[derive(Args, Debug)]
pub struct AnomaliesArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: AnomalyFormat,
    /// Folder keeping the baselines between runs (`baselines.json`); without it, every run
    /// starts from nothing.
    #[arg(long, value_name = "DIR")]
    pub state: Option<PathBuf>,
    /// Detector settings (JSON): learning_days, thresholds, budget_per_detector_per_day...
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

fn load_config(path: Option<&Path>) -> Result<Config> {
    let Some(p) = path else {
        return Ok(Config::default());
    };
    let text =
        std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{}: not a detector configuration", p.display()))
        .context(Hint(
            "a JSON object with any of: learning_days, rare_min_hosts, hour_window_days, \
             hour_min_logons, hour_margin_minutes, failed_burst, failed_window_seconds, \
             bytes_min_days, bytes_history_days, bytes_mad_k, bytes_floor, \
             budget_per_detector_per_day"
                .into(),
        ))
}

fn load_state(dir: Option<&Path>) -> Result<Baselines> {
    let Some(file) = dir.map(|d| d.join(STATE_FILE)) else {
        return Ok(Baselines::default());
    };
    if !file.exists() {
        return Ok(Baselines::default());
    }
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    Baselines::from_json(&text, &file.display().to_string())
        .map_err(anyhow::Error::new)
        .context(Hint(
            "move the file away to start the baselines again".into(),
        ))
}

fn save_state(dir: &Path, b: &Baselines) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let tmp = dir.join(format!("{STATE_FILE}.tmp"));
    std::fs::write(&tmp, b.to_json()).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, dir.join(STATE_FILE))
        .with_context(|| format!("cannot replace {}", dir.join(STATE_FILE).display()))
}

fn json(a: &Anomaly) -> serde_json::Value {
    serde_json::json!({
        "time": a.time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "detector": a.detector.as_str(),
        "host": a.host,
        "user": a.user,
        "subject": a.subject,
        "explanation": a.explanation,
        "source": a.source,
        "record_id": a.record_id,
    })
}

fn write_table(out: &mut dyn Write, found: &[Anomaly]) -> std::io::Result<()> {
    writeln!(
        out,
        "time                      detector             host             explanation"
    )?;
    for a in found {
        writeln!(
            out,
            "{:<25} {:<20} {:<16} {}",
            a.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            a.detector.as_str(),
            a.host,
            a.explanation
        )?;
    }
    Ok(())
}

pub fn run(args: AnomaliesArgs) -> Result<ExitCode> {
    let config = load_config(args.config.as_deref())?;
    let mut baselines = load_state(args.state.as_deref())?;
    let opts = SearchOptions {
        threads: args.input.threads,
        window: args.input.window()?,
        read: Default::default(),
    };
    let bar = Bar::new(!args.input.quiet);
    let seen = project(&args.input.paths, &opts, &bar, observe);
    bar.finish();
    let mut found = Vec::new();
    for o in &seen.items {
        baselines.observe(o, &config, &mut found);
    }
    write_results(&args.input.output, |out| match args.format {
        AnomalyFormat::Table => write_table(out, &found),
        AnomalyFormat::Jsonl => found.iter().try_for_each(|a| writeln!(out, "{}", json(a))),
    })?;
    write_errors(&args.input.errors, &seen.errors)?;
    if let Some(dir) = &args.state {
        save_state(dir, &baselines)?;
    }
    if !args.input.quiet {
        let (hosts, users) = baselines.entities();
        let suppressed: usize = baselines.suppressed().values().sum();
        eprintln!(
            "{} files, {} events, {} observed; baselines of {hosts} hosts and {users} users; \
             {} anomalies{}{}",
            seen.files,
            seen.events,
            seen.items.len(),
            found.len(),
            if suppressed > 0 {
                format!(" ({suppressed} more over the daily budget)")
            } else {
                String::new()
            },
            if seen.errors.is_empty() {
                String::new()
            } else {
                format!("; {} input errors", seen.errors.len())
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
