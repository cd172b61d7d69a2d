//! `vigie hunt`: rules over logs, a timeline out, a summary on stderr.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use vigie_engine::CorrelatorLimits;
use vigie_hunt::{hunt_found, Detection, Exclusions, HuntOptions, Rendered, Renderer, Timeline};
use vigie_output::{
    push_csv_row, push_jsonl_line, push_table_cells, push_timesketch_row, write_summary,
    write_table_cells, DisplayZone, CSV_HEADER, TIMESKETCH_HEADER,
};

use crate::cli::{Format, HuntArgs};
use crate::output::{write_errors, write_results};
use crate::rules_cmd::load;
use crate::ui::{paint, Bar, Hint};

/// How a format renders a detection on the worker threads (all but STIX, whose bundle groups
/// detections): the end of the hunt then only merges what they wrote, in time order.
fn renderer(format: Format, zone: DisplayZone) -> Option<Renderer> {
    let render: Arc<vigie_hunt::RenderFn> = match format {
        Format::Jsonl => Arc::new(push_jsonl_line),
        Format::Csv => Arc::new(push_csv_row),
        Format::Timesketch => Arc::new(push_timesketch_row),
        Format::Table => {
            Arc::new(move |d: &Detection, out: &mut Vec<u8>| push_table_cells(d, zone, out))
        }
        Format::Stix => return None,
    };
    Some(Renderer(render))
}

/// Writes a header, then the rendered lines as they are.
fn copy_lines(out: &mut dyn Write, header: &str, lines: &Timeline<Rendered>) -> io::Result<()> {
    out.write_all(header.as_bytes())?;
    lines
        .iter()?
        .try_for_each(|line| out.write_all(line?.line()))
}

pub fn run(args: HuntArgs) -> Result<ExitCode> {
    let zone = DisplayZone::parse(&args.input.timezone).map_err(anyhow::Error::msg)?;
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
    // The inputs are listed while the rules load (thousands of files take a while to walk).
    let (loaded, found) = std::thread::scope(|s| {
        let found = s.spawn(|| vigie_decode::discover(&args.input.paths));
        (load(&args.rules), found.join())
    });
    let (rules, issues) = loaded?;
    let found = found.unwrap_or_else(|_| vigie_decode::discover(&args.input.paths));
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
    let intel = crate::hunt_intel::load(&crate::hunt_intel::IntelArgs {
        sources: &args.intel,
        warninglists: &args.warninglists,
        default_tlp: args.intel_tlp,
        quiet: args.input.quiet,
    })?;
    if rules.detection_count() == 0 && intel.is_none() {
        return Err(anyhow::anyhow!("no rule could be loaded"))
            .context(Hint("give a folder of Sigma rules with --rules".into()));
    }
    let opts = HuntOptions {
        threads: args.input.threads,
        window: args.input.window()?,
        min_level,
        exclusions,
        read: Default::default(),
        correlation_limits: CorrelatorLimits {
            max_groups: args.correlation_max_groups,
            ..Default::default()
        },
        memory_budget: args.timeline_memory.max(1) << 20,
        intel,
        render: renderer(args.format, zone),
    };
    let bar = Bar::new(!args.input.quiet);
    let report = hunt_found(found, &rules, &opts, &bar);
    bar.finish();

    write_results(&args.input.output, |out| match args.format {
        Format::Jsonl => copy_lines(out, "", &report.lines),
        Format::Csv => copy_lines(out, CSV_HEADER, &report.lines),
        Format::Timesketch => copy_lines(out, TIMESKETCH_HEADER, &report.lines),
        Format::Table => write_table_cells(out, report.lines.iter()?),
        Format::Stix => {
            crate::intel_export_cmd::write_hunt_sightings(out, report.detections.iter()?)
        }
    })?;
    write_errors(&args.input.errors, &report.errors)?;
    if !args.input.quiet {
        let mut err = std::io::stderr().lock();
        write_summary(&mut err, &report, 10)?;
    }
    // The process ends next: freeing the rule set's thousands of automata one by one would
    // only add to the wait (about 40 ms with all SigmaHQ rules).
    std::mem::forget(rules);
    Ok(ExitCode::SUCCESS)
}
