//! `vigie hunt`: rules over logs, a timeline out, a summary on stderr.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use vigie_engine::CorrelatorLimits;
use vigie_hunt::{hunt, Exclusions, HuntOptions};
use vigie_output::{
    write_csv, write_jsonl, write_summary, write_table, write_timesketch, DisplayZone,
};

use crate::cli::{Format, HuntArgs};
use crate::rules_cmd::load;
use crate::ui::{paint, Bar, Hint};

fn parse_time(s: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(Utc.from_utc_datetime(&t));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(Utc.from_utc_datetime(&t));
        }
    }
    Err(anyhow::anyhow!("cannot read the time {s:?}")).context(Hint(
        "write times as RFC 3339 (2026-03-02T08:00:00Z) or YYYY-MM-DD[ HH:MM:SS] in UTC".into(),
    ))
}

pub fn run(args: HuntArgs) -> Result<ExitCode> {
    let zone = DisplayZone::parse(&args.timezone).map_err(anyhow::Error::msg)?;
    let min_level = crate::cli::level_arg(args.min_level.as_deref())?;
    let exclusions = match &args.exclusions {
        Some(f) => {
            let text = std::fs::read_to_string(f)
                .with_context(|| format!("cannot read exclusions file {}", f.display()))?;
            Exclusions::from_yaml(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))
                .context(Hint(
                    "each exclusion needs `rule` and `reason`, and optionally `field` with `value`"
                        .into(),
                ))?
        }
        None => Exclusions::default(),
    };
    let (rules, issues) = load(&args.rules)?;
    let rule_errors: Vec<_> = issues.iter().filter(|i| i.is_error()).collect();
    for i in &rule_errors {
        eprintln!("{} {i}", paint("rule error:", "1;33"));
    }
    if !rule_errors.is_empty() {
        eprintln!(
            "{} {} rule problems; the other rules are used (check them with `vigie rules check`)",
            paint("hint:", "1;36"),
            rule_errors.len()
        );
    }
    if rules.detection_count() == 0 {
        return Err(anyhow::anyhow!("no rule could be loaded"))
            .context(Hint("give a folder of Sigma rules with --rules".into()));
    }
    let opts = HuntOptions {
        threads: args.threads,
        from: args.from.as_deref().map(parse_time).transpose()?,
        to: args.to.as_deref().map(parse_time).transpose()?,
        min_level,
        exclusions,
        read: Default::default(),
        correlation_limits: CorrelatorLimits {
            max_groups: args.correlation_max_groups,
            ..Default::default()
        },
    };
    let bar = Bar::new(!args.quiet);
    let report = hunt(&args.paths, &rules, &opts, &bar);
    bar.finish();

    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(BufWriter::new(File::create(p).with_context(|| {
            format!("cannot create the output file {}", p.display())
        })?)),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    let written = match args.format {
        Format::Table => write_table(&mut out, &report.detections, zone),
        Format::Jsonl => write_jsonl(&mut out, &report.detections),
        Format::Csv => write_csv(&mut out, &report.detections),
        Format::Timesketch => write_timesketch(&mut out, &report.detections),
    };
    match written.and_then(|_| out.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Err(e) => return Err(e).context("cannot write the detections"),
    }
    if let Some(p) = &args.errors {
        let mut f = BufWriter::new(
            File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        );
        for e in &report.errors {
            writeln!(
                f,
                "{}",
                serde_json::json!({"file": e.file, "place": e.place, "message": e.message, "hint": e.hint})
            )?;
        }
    }
    if !args.quiet {
        let mut err = std::io::stderr().lock();
        write_summary(&mut err, &report, 10)?;
    }
    Ok(ExitCode::SUCCESS)
}
