//! Command-line arguments.

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
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

/// Reads an optional time argument (`--from`, `--to`): RFC 3339, or `YYYY-MM-DD[ HH:MM:SS]` in UTC.
pub fn time_arg(arg: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    let Some(s) = arg else { return Ok(None) };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(Some(t.with_timezone(&Utc)));
    }
    for fmt in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(Some(Utc.from_utc_datetime(&t)));
        }
    }
    if let Some(t) = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        return Ok(Some(Utc.from_utc_datetime(&t)));
    }
    Err(anyhow::anyhow!("cannot read the time {s:?}")).context(Hint(
        "write times as RFC 3339 (2026-03-02T08:00:00Z) or YYYY-MM-DD[ HH:MM:SS] in UTC".into(),
    ))
}

impl InputArgs {
    /// The `--from` / `--to` window.
    pub fn window(&self) -> Result<vigie_hunt::Window> {
        Ok(vigie_hunt::Window {
            from: time_arg(self.from.as_deref())?,
            to: time_arg(self.to.as_deref())?,
        })
    }
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
    /// Find events without rules: by text, regular expression or field value.
    Search(SearchArgs),
    /// Print events as Vigie reads them (the field names rules see), or only count them.
    Dump(DumpArgs),
    /// Check, list and manage rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Version ordering per package ecosystem (dpkg, RPM, apk, PEP 440, Maven, SemVer, ...).
    Version {
        #[command(subcommand)]
        command: VersionCommand,
    },
    /// STIX 2.1 patterns.
    Stix {
        #[command(subcommand)]
        command: StixCommand,
    },
    /// Score a CVSS v2, v3.0, v3.1 or v4.0 vector: scores, severity and metrics.
    Cvss(CvssArgs),
    /// The advisory index: import OSV advisories, download osv.dev's exports, show what it holds.
    Vulndb {
        #[command(subcommand)]
        command: VulndbCommand,
    },
    /// The threat-intel store: import indicators (STIX, MISP, lists, CSV), sync TAXII 2.1
    /// collections, push to them, list and count indicators.
    Intel {
        #[command(subcommand)]
        command: crate::intel_cmd::IntelCommand,
    },
    /// List installed software: OS packages under a root folder (dpkg, apk, rpm) and the packages
    /// pinned by lockfiles and SBOMs (Cargo.lock, package-lock.json, yarn.lock, pnpm-lock.yaml,
    /// pom.xml, requirements.txt,
    /// poetry.lock, Pipfile.lock, uv.lock, go.mod, Gemfile.lock, composer.lock, CycloneDX and
    /// SPDX JSON), with OSV ecosystems.
    Inventory(crate::inventory_cmd::InventoryArgs),
    /// Behaviour baselines: never-seen programs, first logons, new sources, unusual hours,
    /// failed-logon bursts, outbound spikes, each with the figures that explain it.
    Anomalies(crate::anomalies_cmd::AnomaliesArgs),
    /// The posture score per host: record audit results, show the score, its history and
    /// what changed (table, JSON lines, standalone HTML report).
    Posture {
        #[command(subcommand)]
        command: crate::posture_cmd::PostureCommand,
    },
    /// Serve collections of STIX objects over TAXII 2.1 to authenticated partners.
    Serve(crate::serve_cmd::ServeArgs),
    /// Hash a password read from stdin for the server configuration (argon2id).
    HashPassword(crate::serve_cmd::HashPasswordArgs),
    /// Mine log templates: per line, the template of its group (variable parts `<*>`), its
    /// id, and whether it is new to the store.
    Templates(crate::templates_cmd::TemplatesArgs),
    /// Audit a system: `vulns` (vulnerable packages, from the advisory index), `oval` (OVAL
    /// definitions of SCAP content against a root folder).
    Audit {
        #[command(subcommand)]
        command: crate::audit_cmd::AuditCommand,
    },
    /// Sequence anomalies: learn invariants among the event counts of sessions (`train`, no
    /// labels), then flag the sessions that break one, with the reason (`detect`).
    Sequences {
        #[command(subcommand)]
        command: crate::sequences_cmd::SequencesCommand,
    },
}

#[derive(Args, Debug)]
pub struct CvssArgs {
    /// The vector: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H, CVSS:4.0/..., CVSS:3.0/...,
    /// or a v2 vector without prefix (AV:N/AC:L/Au:N/C:P/I:P/A:P).
    pub vector: String,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    pub format: CheckFormat,
}

/// Where the advisory index lives.
#[derive(Args, Debug)]
pub struct DbArg {
    /// The index folder (default: `vulndb` in Vigie's data folder, $VIGIE_DATA_DIR, else
    /// $XDG_DATA_HOME/vigie, else ~/.local/share/vigie).
    #[arg(long, value_name = "DIR")]
    pub db: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum VulndbCommand {
    /// Import OSV advisories, offline: folders, zip archives (osv.dev's all.zip) or record
    /// files (.json, .yaml, .yml); a KEV catalogue or EPSS score file is recognised and
    /// imported as `import-kev` / `import-epss` do. Only what changed is rewritten; a malformed advisory is
    /// reported with file and reason and the rest imports.
    Import {
        /// Folders, zip archives or record files.
        #[arg(required = true, value_name = "SOURCE")]
        sources: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Download osv.dev's per-ecosystem exports ({URL}/{ECOSYSTEM}/all.zip) and import them.
    Update {
        /// Where the exports are (http, https, or a file:// folder laid out the same way).
        #[arg(long, default_value = vigie_vulndb::DEFAULT_BASE)]
        url: String,
        /// An OSV ecosystem to fetch (repeatable): PyPI, crates.io, Go, npm, Debian:12, ...
        /// Without it, those fetched before.
        #[arg(long = "ecosystem", value_name = "NAME")]
        ecosystems: Vec<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Import CISA's Known Exploited Vulnerabilities catalogue (its JSON), replacing the
    /// previous one; findings of listed CVEs are marked `kev` and shown first.
    ImportKev {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// Import FIRST's EPSS scores (epss_scores-YYYY-MM-DD.csv, or .csv.gz), replacing the
    /// previous ones; findings show them and are ordered by them.
    ImportEpss {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// What the index holds, per ecosystem, and where and when it was imported from.
    Stats {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
    },
}

#[derive(Subcommand, Debug)]
pub enum VersionCommand {
    /// Compare two versions by an ecosystem's rules: prints <, = or >. Put -- before A and
    /// B when one begins with a dash.
    Compare {
        /// OSV ecosystem name, case-insensitive (Debian, Ubuntu, Red Hat, AlmaLinux, Rocky
        /// Linux, Alpine, PyPI, Maven, RubyGems, npm, crates.io, Go, Hex, Packagist, NuGet,
        /// Pub, CRAN, Hackage; Debian:12 style suffixes allowed).
        ecosystem: String,
        /// The first version.
        #[arg(allow_hyphen_values = true)]
        a: String,
        /// The second version.
        #[arg(allow_hyphen_values = true)]
        b: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum StixCommand {
    /// Match a STIX pattern against observed-data: prints `match` (exit 0) or `nomatch`
    /// (exit 1); an invalid pattern, or one that cannot be evaluated, exits 2.
    Match {
        /// The pattern, e.g. "[ipv4-addr:value ISSUBSET '198.51.100.0/24']".
        #[arg(long, value_name = "PATTERN")]
        pattern: String,
        /// JSON file: a STIX bundle, a list of bundles, or a list of observed-data.
        #[arg(long, value_name = "FILE")]
        observed: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Table,
    Jsonl,
    Csv,
    Timesketch,
    /// A STIX 2.1 bundle of sightings with their observed-data.
    Stix,
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
    /// Parse every rule file, neither reading nor writing the cache of parsed rules
    /// (kept in $VIGIE_CACHE_DIR, else $XDG_CACHE_HOME/vigie, else ~/.cache/vigie).
    #[arg(long)]
    pub no_rule_cache: bool,
}

/// What every command that reads logs takes.
#[derive(Args, Debug)]
pub struct InputArgs {
    /// Log files or folders (EVTX, JSON; .gz/.zst/.zip read transparently); `-` for stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write the results to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Only events at or after this time (RFC 3339, or YYYY-MM-DD[ HH:MM:SS] in UTC).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Only events at or before this time.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Time zone for displayed times in the table (IANA name such as Europe/Paris).
    #[arg(long, value_name = "TZ", default_value = "UTC")]
    pub timezone: String,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Write every input error as JSON lines to this file.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Do not print the summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct HuntArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: Format,
    /// Only detections at this level or above (informational, low, medium, high, critical).
    #[arg(long, value_name = "LEVEL")]
    pub min_level: Option<String>,
    /// Exclusions file: rules (or rules on a field value) to silence, each with a reason.
    #[arg(long, value_name = "FILE")]
    pub exclusions: Option<PathBuf>,
    /// Most correlation groups kept per correlation rule.
    #[arg(long, default_value_t = 100_000)]
    pub correlation_max_groups: usize,
    /// Memory (MB) for detections before they are sorted into temporary files ($TMPDIR).
    #[arg(long, value_name = "MB", default_value_t = 16)]
    pub timeline_memory: usize,
    /// Threat intel matched against every event (repeatable): an intel store folder
    /// (`vigie intel import --store`), a STIX bundle, a MISP feed folder or event, a list or
    /// a CSV file. Each hit is a detection of kind `intel` naming the indicator.
    #[arg(long = "intel", value_name = "SOURCE")]
    pub intel: Vec<PathBuf>,
    /// TLP of --intel files' indicators that carry none (clear, green, amber, amber+strict, red).
    #[arg(long, value_name = "TLP", default_value = "amber", value_parser = crate::intel_cmd::parse_tlp)]
    pub intel_tlp: vigie_intel::Tlp,
    /// MISP warninglist (JSON) of values known to be benign: indicators it covers are not
    /// matched (repeatable).
    #[arg(long = "warninglist", value_name = "FILE")]
    pub warninglists: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum SearchFormat {
    Table,
    Jsonl,
    Csv,
}

/// `vigie search`: conditions are AND-ed; at least one is needed.
#[derive(Args, Debug)]
pub struct SearchArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Text anywhere in any field (case-insensitive unless --cased; no wildcards). Repeatable.
    #[arg(long = "string", short = 's', value_name = "TEXT")]
    pub strings: Vec<String>,
    /// Regular expression searched in every field (case-sensitive; `(?i)` to ignore case). Repeatable.
    #[arg(long = "regex", short = 'e', value_name = "REGEX")]
    pub regexes: Vec<String>,
    /// `NAME=VALUE` with Sigma semantics: `*` / `?` wildcards, case-insensitive, modifiers
    /// allowed (`CommandLine|contains=whoami`). Repeatable.
    #[arg(long = "field", short = 'F', value_name = "NAME=VALUE")]
    pub fields: Vec<String>,
    /// Make --string case-sensitive.
    #[arg(long)]
    pub cased: bool,
    #[arg(long, short = 'f', value_enum, default_value = "table")]
    pub format: SearchFormat,
}

#[derive(Args, Debug)]
pub struct DumpArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, short = 'f', value_enum, default_value = "jsonl")]
    pub format: SearchFormat,
    /// Only decode and count the events (streaming; the parse-only benchmark).
    #[arg(long)]
    pub count: bool,
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
    /// Download the SigmaHQ rule release into Vigie's data folder ($VIGIE_DATA_DIR, else
    /// $XDG_DATA_HOME/vigie, else ~/.local/share/vigie); hunts without --rules then use it.
    Update {
        /// Where to download the archive from (http, https or file://).
        #[arg(long, default_value = vigie_rulepack::DEFAULT_URL)]
        url: String,
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
