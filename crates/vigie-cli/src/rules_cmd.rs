//! `vigie rules check` and `vigie rules list`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::json;
use vigie_engine::{LoadIssue, Mapping, Placeholders, RuleKind, RuleSet};
use vigie_hunt::{load_rules_cached, parse_placeholders, RuleCache, RuleSources};
use vigie_sigma::Level;

use crate::cli::{CheckFormat, ListFormat, RuleArgs, RulesCommand};
use crate::ui::{paint, Hint};

/// Reads the mapping files, or the built-in mapping when none is given.
pub fn mapping(files: &[PathBuf]) -> Result<Mapping> {
    if files.is_empty() {
        return Ok(Mapping::builtin());
    }
    let mut m = Mapping::default();
    for f in files {
        let text = std::fs::read_to_string(f)
            .with_context(|| format!("cannot read mapping file {}", f.display()))?;
        let part = Mapping::from_yaml(&f.display().to_string(), &text)
            .map_err(anyhow::Error::new)
            .context(Hint(
                "fix the mapping file; see crates/vigie-engine/mappings/ for the format".into(),
            ))?;
        m.routes.extend(part.routes);
    }
    Ok(m)
}

pub fn placeholders(file: &Option<PathBuf>) -> Result<Placeholders> {
    let Some(f) = file else {
        return Ok(Placeholders::new());
    };
    let text = std::fs::read_to_string(f)
        .with_context(|| format!("cannot read placeholders file {}", f.display()))?;
    parse_placeholders(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", f.display()))
        .context(Hint(
            "the file must be a YAML map of placeholder names to lists of values".into(),
        ))
}

/// Loads the rules a command asked for; without `--rules`, Vigie's built-in pack and the
/// SigmaHQ pack installed by `vigie rules update`, if any.
pub fn load(args: &RuleArgs) -> Result<(RuleSet, Vec<LoadIssue>)> {
    let sources = if args.rules.is_empty() {
        let installed = vigie_rulepack::data_dir().and_then(|d| vigie_rulepack::installed_pack(&d));
        if let Some((dir, info)) = &installed {
            let when = info.as_ref().map_or(String::new(), |i| {
                format!(" on {} from {}", i.installed_at, i.url)
            });
            eprintln!(
                "using the rules installed{when} ({}) and the built-in pack",
                dir.display()
            );
        }
        RuleSources {
            paths: installed.map(|(dir, _)| dir).into_iter().collect(),
            texts: crate::builtin::rule_texts(),
        }
    } else {
        RuleSources {
            paths: args.rules.clone(),
            texts: Vec::new(),
        }
    };
    let cache = if args.no_rule_cache {
        None
    } else {
        vigie_rulepack::cache_dir().and_then(RuleCache::new)
    };
    let loaded = load_rules_cached(
        &sources,
        mapping(&args.mapping)?,
        placeholders(&args.placeholders)?,
        cache.as_ref(),
    );
    for p in &loaded.cache.problems {
        eprintln!("{} {p}", paint("warning:", "1;33"));
        eprintln!(
            "{} the rules were parsed as usual; set VIGIE_CACHE_DIR to a writable folder, or give --no-rule-cache",
            paint("hint:", "1;36")
        );
    }
    Ok((loaded.set, loaded.issues))
}

fn update(url: &str) -> Result<ExitCode> {
    let data = vigie_rulepack::data_dir()
        .ok_or_else(|| {
            anyhow::anyhow!("no data folder: neither VIGIE_DATA_DIR, XDG_DATA_HOME nor HOME is set")
        })
        .context(Hint(
            "set VIGIE_DATA_DIR to the folder where Vigie may keep its rules".into(),
        ))?;
    eprintln!("downloading {url}");
    let report = vigie_rulepack::update(url, &data)
        .map_err(anyhow::Error::new)
        .context(Hint("the rules installed before, if any, are still in use; check the address and the network, or give --url".into()))?;
    let i = &report.info;
    for e in &report.sample_errors {
        eprintln!("rule error: {e}");
    }
    println!(
        "installed {} rules ({} files, {} with errors) from {} in {}",
        i.rules_loaded,
        i.files,
        i.errors,
        i.url,
        report.dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run(cmd: RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::Update { url } => update(&url),
        RulesCommand::Check {
            paths,
            format,
            mapping: maps,
            placeholders: ph,
        } => {
            // A check parses every file afresh.
            let (set, issues) = load(&RuleArgs {
                rules: paths,
                mapping: maps,
                placeholders: ph,
                no_rule_cache: true,
            })?;
            let errors: Vec<&LoadIssue> = issues.iter().filter(|i| i.is_error()).collect();
            let warnings: Vec<&LoadIssue> = issues.iter().filter(|i| !i.is_error()).collect();
            let mut out = std::io::stdout().lock();
            match format {
                CheckFormat::Json => {
                    let list = |v: &[&LoadIssue]| -> Vec<serde_json::Value> {
                        v.iter()
                            .map(|i| json!({"file": i.source, "line": i.line, "rule": i.rule, "message": i.message}))
                            .collect()
                    };
                    let doc = json!({
                        "loaded": set.detection_count(),
                        "correlations": set.correlations().len(),
                        "errors": list(&errors),
                        "warnings": list(&warnings),
                    });
                    writeln!(out, "{doc}")?;
                }
                CheckFormat::Text => {
                    for i in &errors {
                        writeln!(out, "error: {i}")?;
                    }
                    for i in &warnings {
                        writeln!(out, "warning: {i}")?;
                    }
                    writeln!(
                        out,
                        "{} detection rules and {} correlations loaded; {} errors, {} warnings",
                        set.detection_count(),
                        set.correlations().len(),
                        errors.len(),
                        warnings.len()
                    )?;
                }
            }
            Ok(if errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        RulesCommand::List {
            rules,
            level,
            status,
            tag,
            logsource,
            format,
        } => {
            let (set, issues) = load(&rules)?;
            for i in issues.iter().filter(|i| i.is_error()) {
                eprintln!("error: {i}");
            }
            let min = crate::cli::level_arg(level.as_deref())?;
            let mut out = std::io::stdout().lock();
            for r in set.rules() {
                let m = &r.meta;
                if min.is_some_and(|min| m.level.is_none_or(|l| l < min))
                    || status
                        .as_ref()
                        .is_some_and(|s| m.status.as_deref() != Some(s.as_str()))
                    || tag.as_ref().is_some_and(|t| {
                        !m.tags
                            .iter()
                            .any(|x| x.to_lowercase().starts_with(&t.to_lowercase()))
                    })
                    || logsource.as_ref().is_some_and(|l| {
                        let l = l.to_lowercase();
                        ![
                            &r.logsource.product,
                            &r.logsource.category,
                            &r.logsource.service,
                        ]
                        .iter()
                        .any(|v| v.as_deref() == Some(l.as_str()))
                    })
                {
                    continue;
                }
                let kind = if r.kind == RuleKind::Correlation {
                    "correlation"
                } else {
                    "detection"
                };
                match format {
                    ListFormat::Jsonl => writeln!(
                        out,
                        "{}",
                        json!({"id": r.id(), "title": m.title, "level": m.level.map(Level::as_str), "status": m.status,
                               "kind": kind, "tags": m.tags, "logsource": r.logsource.to_string(), "file": r.source})
                    )?,
                    ListFormat::Table => writeln!(
                        out,
                        "{:<13} {:<12} {:<40} {}",
                        m.level.map_or("-", Level::as_str),
                        m.status.as_deref().unwrap_or("-"),
                        r.logsource.to_string(),
                        m.title
                    )?,
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
