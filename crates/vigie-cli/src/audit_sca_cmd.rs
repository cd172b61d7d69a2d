//! `vigie audit sca POLICY... [--root DIR]`: Wazuh SCA policies evaluated against a root
//! folder (`vigie-sca`), one line per check (table or JSON lines); unreadable checks and unmet
//! requirements on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use vigie_sca::{evaluate, Options, Outcome, Policy};

use crate::cli::ListFormat;
use crate::output::write_results;
use crate::ui::{paint, Hint};

#[derive(Args, Debug)]
pub struct AuditScaArgs {
    /// Wazuh SCA policy files (YAML).
    #[arg(required = true, value_name = "POLICY")]
    pub policies: Vec<PathBuf>,
    /// The folder the audited system is installed in; `/` for this host.
    #[arg(long, value_name = "DIR", default_value = "/")]
    pub root: PathBuf,
    /// Run the policies' command rules (`c:`), as the Wazuh agent does; only with --root /.
    /// Without it they are "not applicable".
    #[arg(long)]
    pub run_commands: bool,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: ListFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: AuditScaArgs) -> Result<ExitCode> {
    if !args.root.is_dir() {
        return Err(anyhow::anyhow!("{}: not a folder", args.root.display())).context(Hint(
            "--root takes the folder the audited system is installed in (/ for this host)".into(),
        ));
    }
    let opts = Options {
        root: args.root.clone(),
        run_commands: args.run_commands,
    };
    let mut problems = 0;
    let mut rows = Vec::new();
    for path in &args.policies {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let policy = match Policy::parse(&text, &path.display().to_string()) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{} {e}", paint("error:", "1;31"));
                problems += 1;
                continue;
            }
        };
        for (check, reason) in &policy.problems {
            eprintln!(
                "{} {}: {check}: {reason} (check skipped)",
                paint("warning:", "1;33"),
                path.display()
            );
            problems += 1;
        }
        match evaluate(&policy, &opts) {
            Ok(results) => {
                for r in results {
                    rows.push(serde_json::json!({
                        "policy_id": policy.id,
                        "check_id": r.check.id,
                        "title": r.check.title,
                        "result": r.outcome.as_str(),
                        "reason": match &r.outcome { Outcome::NotApplicable(why) => Some(why.clone()), _ => None },
                        "remediation": (r.outcome == Outcome::Failed && !r.check.remediation.is_empty()).then(|| r.check.remediation.clone()),
                        "compliance": r.check.compliance,
                    }));
                }
            }
            Err(why) => {
                eprintln!("{} {}: {why}", paint("warning:", "1;33"), path.display());
                problems += 1;
            }
        }
    }
    write_results(&args.output, |out| match args.format {
        ListFormat::Jsonl => rows.iter().try_for_each(|r| writeln!(out, "{r}")),
        _ => {
            writeln!(
                out,
                "{:<24} {:>6}  {:<15} title",
                "policy", "check", "result"
            )?;
            for r in &rows {
                writeln!(
                    out,
                    "{:<24} {:>6}  {:<15} {}",
                    r["policy_id"].as_str().unwrap_or(""),
                    r["check_id"].as_i64().unwrap_or_default(),
                    r["result"].as_str().unwrap_or(""),
                    r["title"].as_str().unwrap_or("")
                )?;
            }
            Ok(())
        }
    })?;
    Ok(if problems > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
