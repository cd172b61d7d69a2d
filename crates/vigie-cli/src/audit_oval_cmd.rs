//! `vigie audit oval FILE [--root DIR]`: every OVAL definition of FILE evaluated against a root
//! folder (`vigie-oval`), one line per definition on stdout (table or JSON lines); malformed
//! content and what could not be evaluated on stderr, with file and id.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use vigie_oval::DefinitionResult;

use crate::cli::ListFormat;
use crate::ui::{paint, Hint};

#[derive(Args, Debug)]
pub struct AuditOvalArgs {
    /// An OVAL 5.11 definitions file (ssg-debian11-oval.xml) or a SCAP 1.2 / 1.3 source data
    /// stream (ssg-debian11-ds.xml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The folder the audited system is installed in (an image, a mounted disk); `/` for this
    /// host. On any other folder, as oscap under OSCAP_PROBE_ROOT, the running kernel's values
    /// (uname, sysctl) and network interfaces are "not applicable" and no process environment
    /// exists.
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// An OVAL variables document giving values to external variables (as `oscap oval eval
    /// --variables`); without it, definitions using them give "error".
    #[arg(long, value_name = "FILE")]
    pub variables: Option<PathBuf>,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: ListFormat,
}

pub fn run(args: AuditOvalArgs) -> Result<ExitCode> {
    if !args.root.is_dir() {
        return Err(anyhow::anyhow!("{}: not a folder", args.root.display())).context(Hint(
            "--root takes the folder the audited system is installed in (/ for this host)".into(),
        ));
    }
    let name = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {name}"))
        .context(Hint(
            "give an OVAL definitions file or a SCAP source data stream".into(),
        ))?;
    let loaded = vigie_oval::parse(&text, &name)?;
    for p in &loaded.problems {
        eprintln!("{} {p}", paint("error:", "1;31"));
    }
    let externals = match &args.variables {
        Some(path) => {
            let vname = path.display().to_string();
            let vtext = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {vname}"))
                .context(Hint("--variables takes an OVAL variables document".into()))?;
            vigie_oval::parse_variables(&vtext, &vname)?
        }
        None => Default::default(),
    };
    let (results, notes) = vigie_oval::evaluate_with(&loaded.document, &args.root, &externals);
    for n in &notes {
        eprintln!("{} {n}", paint("note:", "1;33"));
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Table => table(&mut out, &results)?,
        ListFormat::Jsonl => {
            for r in &results {
                serde_json::to_writer(&mut out, r)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &results {
        *counts.entry(r.result.as_str()).or_default() += 1;
    }
    let by: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    eprintln!(
        "{} definitions: {}; {} malformed elements",
        results.len(),
        by.join(", "),
        loaded.problems.len()
    );
    Ok(if loaded.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Aligned columns: result, class, definition id, title.
fn table(out: &mut impl Write, results: &[DefinitionResult]) -> Result<()> {
    let w_res = results
        .iter()
        .map(|r| r.result.len())
        .max()
        .unwrap_or(0)
        .max(6);
    let w_class = results
        .iter()
        .map(|r| r.class.len())
        .max()
        .unwrap_or(0)
        .max(5);
    let w_id = results
        .iter()
        .map(|r| r.definition_id.len())
        .max()
        .unwrap_or(0)
        .max(10);
    writeln!(
        out,
        "{:w_res$}  {:w_class$}  {:w_id$}  TITLE",
        "RESULT", "CLASS", "DEFINITION"
    )?;
    for r in results {
        writeln!(
            out,
            "{:w_res$}  {:w_class$}  {:w_id$}  {}",
            r.result, r.class, r.definition_id, r.title
        )?;
    }
    Ok(())
}
