//! `vigie dump`: events as Vigie reads them, for writing rules and checking mappings; with
//! `--count`, a streaming decode that keeps nothing (the parse-only benchmark).

use std::process::ExitCode;

use anyhow::Result;
use vigie_engine::EventFilter;
use vigie_hunt::{count_events, search, SearchOptions};
use vigie_output::{write_events_csv, write_events_jsonl, write_events_table, DisplayZone};

use crate::cli::{DumpArgs, SearchFormat};
use crate::output::{write_errors, write_results};
use crate::ui::Bar;

pub fn run(args: DumpArgs) -> Result<ExitCode> {
    let zone = DisplayZone::parse(&args.input.timezone).map_err(anyhow::Error::msg)?;
    let opts = SearchOptions {
        threads: args.input.threads,
        window: args.input.window()?,
        read: Default::default(),
    };
    let bar = Bar::new(!args.input.quiet);
    let report = if args.count {
        count_events(&args.input.paths, &opts, &bar)
    } else {
        let all = EventFilter::new(&[]).map_err(anyhow::Error::msg)?;
        search(&args.input.paths, &all, &opts, &bar)
    };
    bar.finish();
    write_results(&args.input.output, |out| {
        if args.count {
            let line = serde_json::json!({"files": report.files, "events": report.events, "errors": report.errors.len()});
            return writeln!(out, "{line}");
        }
        match args.format {
            SearchFormat::Table => write_events_table(out, &report.found, zone),
            SearchFormat::Jsonl => write_events_jsonl(out, &report.found),
            SearchFormat::Csv => write_events_csv(out, &report.found),
        }
    })?;
    write_errors(&args.input.errors, &report.errors)?;
    if !args.input.quiet && !report.errors.is_empty() {
        eprintln!("{} input errors (see --errors FILE)", report.errors.len());
    }
    Ok(ExitCode::SUCCESS)
}
