//! `vigie intel export` and `vigie intel sightings`: the store's indicators out as STIX, MISP
//! event, MISP feed or blocklists under a TLP ceiling, and hunt detections out as STIX
//! sightings. Data to stdout or `--out`; counts and skipped lines to stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{anyhow, Context, Result};
use clap::{Args, ValueEnum};
use vigie_intel::{IndicatorType, Tlp};
use vigie_intel_export::{
    by_source, pretty, read_detections, resolve_store_ids, select, sightings_bundle, withheld,
    write_blocklists, write_feed, write_indicators_bundle, write_misp_event, DetectionRecord,
    EventMeta, Selection, SightingOptions,
};

use crate::intel_cmd::StoreArgs;
use crate::output::write_results;
use crate::ui::{paint, Hint};

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// A STIX 2.1 bundle of indicators (file or stdout).
    Stix,
    /// One MISP event holding every indicator (file or stdout).
    MispEvent,
    /// A MISP feed folder: one event per source, manifest.json, hashes.csv (needs --out DIR).
    MispFeed,
    /// One list per type for firewalls: ip.txt, domain.txt, url.txt, md5/sha1/sha256/sha512.txt
    /// (needs --out DIR).
    Blocklist,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long, short = 'f', value_enum)]
    pub format: ExportFormat,
    /// The file (stix, misp-event; default stdout) or folder (misp-feed, blocklist) to write.
    #[arg(long, short = 'o', value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Export nothing marked above this TLP (clear, green, amber, amber+strict, red). Default:
    /// green for stix, misp-event and misp-feed (meant for partners), amber for blocklist
    /// (meant for your own firewalls). RED leaves only when asked with --tlp-max red.
    #[arg(long, value_name = "LEVEL", value_parser = parse_tlp)]
    pub tlp_max: Option<Tlp>,
    /// Only these types (repeatable, or comma-separated): ipv4, ipv6, cidr, domain, url, md5,
    /// sha1, sha256, sha512, email, filename, stix-pattern.
    #[arg(long = "type", value_name = "TYPE", value_delimiter = ',', value_parser = parse_type)]
    pub types: Vec<IndicatorType>,
    /// The producer named in the documents (STIX identity, MISP Orgc).
    #[arg(long, value_name = "NAME", default_value = "Vigie")]
    pub producer: String,
}

#[derive(Args, Debug)]
pub struct SightingsArgs {
    /// Detections as `vigie hunt --format jsonl` writes them (`-` for stdin).
    #[arg(long, value_name = "DETECTIONS.jsonl")]
    pub from: PathBuf,
    /// The bundle's file (default stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The TLP marking of every object (raised to an intel detection's own TLP if stricter).
    #[arg(long, value_name = "LEVEL", value_parser = parse_tlp, default_value = "amber")]
    pub tlp: Tlp,
    /// Leave out detections from intel marked above this level (their sightings would name the
    /// indicator). AMBER+STRICT and RED intel are sighted only when asked with this option.
    #[arg(long, value_name = "LEVEL", value_parser = parse_tlp, default_value = "amber")]
    pub tlp_max: Tlp,
    /// The identity that sighted (STIX where_sighted_refs, created_by_ref).
    #[arg(long, value_name = "NAME", default_value = "Vigie")]
    pub producer: String,
    /// The intel store the hunt matched against: intel detections that give their indicator's
    /// store id (`indicator_id`) then sight the id `vigie intel export` gives that indicator.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// The time taken as now (RFC 3339); for reproducible runs.
    #[arg(long, value_name = "TIME", hide = true)]
    pub now: Option<String>,
}

fn parse_tlp(s: &str) -> Result<Tlp, String> {
    s.parse()
}

fn parse_type(s: &str) -> Result<IndicatorType, String> {
    s.parse()
}

fn folder(out: &Option<PathBuf>, format: &str) -> Result<PathBuf> {
    out.clone()
        .ok_or_else(|| anyhow!("--format {format} writes a folder: give it with --out DIR"))
        .context(Hint("for example: --out exports/feed".into()))
}

pub fn run_export(args: ExportArgs) -> Result<ExitCode> {
    let now = args.store.now()?;
    let store = args.store.open_existing()?;
    let tlp_max = args.tlp_max.unwrap_or(match args.format {
        ExportFormat::Blocklist => Tlp::Amber,
        _ => Tlp::Green,
    });
    let sel = Selection {
        tlp_max,
        types: args.types.clone(),
        detection_only: matches!(args.format, ExportFormat::Stix | ExportFormat::Blocklist),
        now,
    };
    let chosen = select(&store, &sel).context("cannot read the indicators")?;
    let n = chosen.indicators.len();
    match args.format {
        ExportFormat::Stix => {
            let (list, producer) = (&chosen.indicators, &args.producer);
            write_results(&args.out, |out| {
                write_indicators_bundle(out, list, producer, now)
            })?;
        }
        ExportFormat::MispEvent => {
            let meta = EventMeta {
                info: format!("{} indicators", args.producer),
                org: args.producer.clone(),
                now,
            };
            let refs: Vec<_> = chosen.indicators.iter().collect();
            write_results(&args.out, |out| write_misp_event(out, &refs, &meta))?;
        }
        ExportFormat::MispFeed => {
            let dir = folder(&args.out, "misp-feed")?;
            let (list, producer) = (&chosen.indicators, &args.producer);
            write_feed(&dir, list, producer, producer, now)?;
            eprintln!(
                "{}: {} events (one per source), manifest.json, hashes.csv",
                dir.display(),
                by_source(list).len()
            );
        }
        ExportFormat::Blocklist => {
            let dir = folder(&args.out, "blocklist")?;
            let report = write_blocklists(&dir, &chosen.indicators)?;
            for (path, lines) in &report.files {
                let plural = if *lines == 1 { "entry" } else { "entries" };
                eprintln!("{}: {lines} {plural}", path.display());
            }
            for (kind, value, reason) in &report.left_out {
                eprintln!(
                    "{} {kind} {value:?} not listed: {reason}",
                    paint("warning:", "1;33")
                );
            }
            if report.other_types > 0 {
                eprintln!("{} indicators of types no blocklist carries (email, filename, stix-pattern) not listed", report.other_types);
            }
        }
    }
    eprintln!(
        "exported {n} indicators; withheld {} above TLP:{}{}{}",
        chosen.withheld_tlp,
        tlp_max.as_str().to_ascii_uppercase(),
        if sel.detection_only {
            format!(
                ", {} not meant for detection",
                chosen.withheld_not_for_detection
            )
        } else {
            String::new()
        },
        if chosen.withheld_tlp > 0 {
            " (a higher ceiling: --tlp-max LEVEL, if the recipients are cleared for it)"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run_sightings(args: SightingsArgs) -> Result<ExitCode> {
    let now = crate::cli::time_arg(args.now.as_deref())?.unwrap_or_else(chrono::Utc::now);
    let store = match &args.store {
        Some(dir) => Some(
            crate::intel_cmd::StoreArgs {
                store: Some(dir.clone()),
                now: None,
            }
            .open_existing()?,
        ),
        None => None,
    };
    let name = args.from.display().to_string();
    let text = if name == "-" {
        std::io::read_to_string(std::io::stdin()).context("cannot read standard input")?
    } else {
        std::fs::read_to_string(&args.from)
            .with_context(|| format!("cannot read {name}"))
            .context(Hint(
                "give the file `vigie hunt --format jsonl --output FILE` wrote".into(),
            ))?
    };
    let (mut detections, problems) = read_detections(&text, &name);
    for p in &problems {
        eprintln!("{} {p} (line skipped)", paint("warning:", "1;33"));
    }
    if let (Some(store), Some(dir)) = (&store, &args.store) {
        let unknown = resolve_store_ids(&mut detections, store, now)
            .context("cannot read the intel store")?;
        if unknown > 0 {
            eprintln!(
                "{} {unknown} detections name indicator ids the store {} does not hold: sighted as their rule",
                paint("warning:", "1;33"),
                dir.display()
            );
        }
    }
    let opts = SightingOptions {
        producer: args.producer,
        tlp: args.tlp,
        tlp_max: args.tlp_max,
        now,
    };
    let held = withheld(&detections, &opts);
    if held > 0 {
        eprintln!(
            "withheld {held} detections from intel above TLP:{} (a higher ceiling: --tlp-max LEVEL, if the recipients are cleared for it)",
            args.tlp_max.as_str().to_ascii_uppercase()
        );
    }
    let bundle = sightings_bundle(&detections, &opts);
    write_results(&args.out, |out| out.write_all(pretty(&bundle).as_bytes()))?;
    let sightings = bundle["objects"]
        .as_array()
        .map_or(0, |o| o.iter().filter(|x| x["type"] == "sighting").count());
    eprintln!(
        "{} detections read, {sightings} sightings written",
        detections.len()
    );
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `vigie hunt --format stix`: the timeline's detections as a bundle of sightings, marked with
/// the strictest TLP among the intel they came from, and at least TLP:AMBER (sightings name
/// the organisation's hosts).
pub fn write_hunt_sightings<D: std::borrow::Borrow<vigie_hunt::Detection>>(
    out: &mut dyn std::io::Write,
    detections: impl IntoIterator<Item = std::io::Result<D>>,
) -> std::io::Result<()> {
    let mut records = Vec::new();
    for d in detections {
        let d = d?;
        match DetectionRecord::from_detection(d.borrow()) {
            Ok(r) => records.push(r),
            Err(e) => eprintln!(
                "{} a detection left out of the STIX bundle: {e}",
                paint("warning:", "1;33")
            ),
        }
    }
    let tlp = records
        .iter()
        .filter_map(|r| r.tlp)
        .fold(vigie_intel::Tlp::Amber, std::cmp::Ord::max);
    // The hunt's own output: nothing is withheld, the bundle is marked with the strictest TLP.
    let opts = SightingOptions {
        producer: "Vigie".into(),
        tlp,
        tlp_max: vigie_intel::Tlp::Red,
        now: chrono::Utc::now(),
    };
    out.write_all(pretty(&sightings_bundle(&records, &opts)).as_bytes())
}
