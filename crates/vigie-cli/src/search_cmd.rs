//! `vigie search`: events matching text, a regular expression or field values, without rules.

use std::process::ExitCode;

use anyhow::{Context, Result};
use vigie_engine::EventFilter;
use vigie_hunt::{search, SearchOptions};
use vigie_output::{write_events_csv, write_events_jsonl, write_events_table, DisplayZone};
use vigie_sigma::{FieldItem, Modifier, SigmaValue};

use crate::cli::{SearchArgs, SearchFormat};
use crate::output::{write_errors, write_results};
use crate::ui::{Bar, Hint};

/// Text written so that Sigma reads it literally (no wildcards).
fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn item(field: Option<String>, modifiers: Vec<Modifier>, value: String) -> FieldItem {
    FieldItem {
        field,
        modifiers,
        values: vec![SigmaValue::Str(value)],
        line: 0,
    }
}

/// The conditions asked for, as Sigma field items (AND-ed).
fn conditions(args: &SearchArgs) -> Result<Vec<FieldItem>> {
    let mut items = Vec::new();
    let cased = if args.cased {
        vec![Modifier::Cased]
    } else {
        Vec::new()
    };
    for s in &args.strings {
        items.push(item(None, cased.clone(), literal(s)));
    }
    for r in &args.regexes {
        items.push(item(None, vec![Modifier::Re], r.clone()));
    }
    for f in &args.fields {
        let (name, value) = f
            .split_once('=')
            .ok_or_else(|| anyhow::anyhow!("--field {f:?} has no `=`"))
            .context(Hint("write --field NAME=VALUE, e.g. --field EventID=4624 or --field 'Image|endswith=\\cmd.exe'".into()))?;
        let mut parts = name.split('|');
        let field = parts.next().unwrap_or_default().trim().to_owned();
        let mut modifiers = Vec::new();
        for m in parts {
            let after_re = modifiers.contains(&Modifier::Re);
            modifiers.push(
                Modifier::parse(m, after_re)
                    .ok_or_else(|| anyhow::anyhow!("unknown modifier `{m}` in --field {f:?}"))
                    .context(Hint(
                        "use Sigma modifiers such as contains, startswith, endswith, re, cidr, gt"
                            .into(),
                    ))?,
            );
        }
        items.push(item(Some(field), modifiers, value.to_owned()));
    }
    if items.is_empty() {
        return Err(anyhow::anyhow!("nothing to search for")).context(Hint(
            "give --string TEXT, --regex REGEX or --field NAME=VALUE".into(),
        ));
    }
    Ok(items)
}

pub fn run(args: SearchArgs) -> Result<ExitCode> {
    let zone = DisplayZone::parse(&args.input.timezone).map_err(anyhow::Error::msg)?;
    let filter = EventFilter::new(&conditions(&args)?)
        .map_err(anyhow::Error::msg)
        .context(Hint(
            "check the regular expression or the field condition".into(),
        ))?;
    let opts = SearchOptions {
        threads: args.input.threads,
        window: args.input.window()?,
        read: Default::default(),
    };
    let bar = Bar::new(!args.input.quiet);
    let report = search(&args.input.paths, &filter, &opts, &bar);
    bar.finish();
    write_results(&args.input.output, |out| match args.format {
        SearchFormat::Table => write_events_table(out, &report.found, zone),
        SearchFormat::Jsonl => write_events_jsonl(out, &report.found),
        SearchFormat::Csv => write_events_csv(out, &report.found),
    })?;
    write_errors(&args.input.errors, &report.errors)?;
    if !args.input.quiet {
        eprintln!(
            "{} events matched, of {} read in {} files; {} errors",
            report.found.len(),
            report.events,
            report.files,
            report.errors.len()
        );
        for e in report.errors.iter().take(20) {
            eprintln!("  {e}");
            if let Some(h) = &e.hint {
                eprintln!("    hint: {h}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
