//! Command-line arguments.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use vigie_sigma::Level;

use crate::ui::Hint;

/// Reads an optional level argument (`--min-level`, `--level`).
pub fn level_arg(arg: Option<&str>) -> Result<Option<Level>> {
    arg.map(|l| {
        Level::parse(l)
            .ok_or_else(|| anyhow::anyhow!("unknown level {l:?}"))
            .context(Hint(
                "use informational, low, medium, high or critical".into(),
            ))
    })
    .transpose()
}

#[derive(Parser, Debug)]
#[command(
    name = "vigie",
    version,
    about = "Vigie: Sigma detection over EVTX and JSON logs, for incident response"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run Sigma rules over log files and print the detections as a timeline.
    Hunt(HuntArgs),
    /// Check, list and manage rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Jsonl,
    Csv,
    Timesketch,
}

#[derive(Args, Debug, Clone)]
pub struct RuleArgs {
    /// Rule file or folder (repeatable). Without it, Vigie's built-in rule pack is used.
    #[arg(long = "rules", short = 'r', value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Logsource mapping file replacing the built-in ones (repeatable).
    #[arg(long = "mapping", value_name = "FILE")]
    pub mapping: Vec<PathBuf>,
    /// Values for `expand` placeholders: a YAML map `name: [values]`.
    #[arg(long, value_name = "FILE")]
    pub placeholders: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct HuntArgs {
    /// Log files or folders (EVTX, JSON; .gz/.zst/.zip read transparently); `-` for stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: Format,
    /// Write detections to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only detections at this level or above (informational, low, medium, high, critical).
    #[arg(long, value_name = "LEVEL")]
    pub min_level: Option<String>,
    /// Only events at or after this time (RFC 3339, or YYYY-MM-DD[ HH:MM:SS] in UTC).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Only events at or before this time.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Time zone for displayed times in the table (IANA name such as Europe/Paris).
    #[arg(long, value_name = "TZ", default_value = "UTC")]
    pub timezone: String,
    /// Exclusions file: rules (or rules on a field value) to silence, each with a reason.
    #[arg(long, value_name = "FILE")]
    pub exclusions: Option<PathBuf>,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Write every input error as JSON lines to this file.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Most correlation groups kept per correlation rule.
    #[arg(long, default_value_t = 100_000)]
    pub correlation_max_groups: usize,
    /// Do not print the summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Load rules and report every problem with file and line.
    Check {
        /// Rule files or folders.
        #[arg(required = true, value_name = "DIR")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
        /// Logsource mapping file replacing the built-in ones (repeatable).
        #[arg(long = "mapping", value_name = "FILE")]
        mapping: Vec<PathBuf>,
        /// Values for `expand` placeholders.
        #[arg(long, value_name = "FILE")]
        placeholders: Option<PathBuf>,
    },
    /// List rules, filtered by level, status, tag or logsource.
    List {
        #[command(flatten)]
        rules: RuleArgs,
        /// Minimum level.
        #[arg(long)]
        level: Option<String>,
        /// Status (stable, test, experimental, ...).
        #[arg(long)]
        status: Option<String>,
        /// Tag, e.g. attack.t1059 (prefix match).
        #[arg(long)]
        tag: Option<String>,
        /// Logsource value (product, category or service).
        #[arg(long)]
        logsource: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Jsonl,
}
