//! The index benchmark: build time for every corpus advisory (RustSec, Go, PyPA), the time to
//! re-import them unchanged, the index size, and lookups of 3,000 (ecosystem, package) pairs
//! once the index is open (advisories only, and advisories plus range evaluation at one
//! version each), with the process's memory. Run:
//! `cargo run --release -p vigie-vulndb --example vulndb_bench` (corpus at $VIGIE_CORPUS, default
//! ../shared/corpus).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use vigie_osv::{affects, matching_entries, Event};
use vigie_vulndb::{VulnDb, DB_FILE};

/// The allocator the `vigie` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SOURCES: &[&str] = &[
    "vuln/rustsec-advisory-db/osv",
    "vuln/go-vulndb/osv",
    "vuln/pypa-advisory-database/vulns",
];

const PAIRS: usize = 3000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let corpus = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    if !corpus.join("vuln").is_dir() {
        return Err(format!(
            "corpus not found at {} (set VIGIE_CORPUS)",
            corpus.display()
        )
        .into());
    }
    let tmp = std::env::temp_dir().join(format!("vigie-vulndb-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);

    // Build.
    let start = Instant::now();
    let mut db = VulnDb::open(&tmp)?;
    let mut records = 0;
    for s in SOURCES {
        let r = db.import(&corpus.join(s))?;
        records += r.records();
        if !r.errors.is_empty() {
            return Err(format!("{s}: {} records not read", r.errors.len()).into());
        }
    }
    let build = start.elapsed();
    let start = Instant::now();
    for s in SOURCES {
        db.import(&corpus.join(s))?;
    }
    let reimport = start.elapsed();
    drop(db);

    // The pairs: every (ecosystem, package) of the index, then absent names up to 3,000.
    let conn = rusqlite::Connection::open(tmp.join(DB_FILE))?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    let mut stmt = conn.prepare(
        "SELECT DISTINCT e.name, f.package FROM affected f JOIN ecosystems e ON e.key = f.ecosystem
         ORDER BY 1, 2",
    )?;
    let mut pairs: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    drop(stmt);
    drop(conn);
    let present = pairs.len().min(PAIRS);
    pairs.truncate(PAIRS);
    let mut i = 0;
    while pairs.len() < PAIRS {
        pairs.push(("PyPI".into(), format!("no-such-package-{i}")));
        i += 1;
    }
    let size = std::fs::metadata(tmp.join(DB_FILE))?.len();

    let rss_before = memory("VmRSS");
    let start = Instant::now();
    let db = VulnDb::open(&tmp)?;
    let open = start.elapsed();

    // One version per pair to evaluate: the first fixed version the index names for it.
    let mut versions = Vec::with_capacity(pairs.len());
    for (eco, pkg) in &pairs {
        let v = db
            .advisories_for(eco, pkg)?
            .iter()
            .flat_map(|r| matching_entries(r, eco, pkg).collect::<Vec<_>>())
            .flat_map(|a| a.ranges.iter().flat_map(|r| r.events.iter()))
            .find_map(|e| match e {
                Event::Fixed(v) => Some(v.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "0.0.1".into());
        versions.push(v);
    }

    let rounds: usize = std::env::var("VIGIE_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7);
    let mut lookups = Vec::new();
    let mut found = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        found = 0;
        for (eco, pkg) in &pairs {
            found += db.advisories_for(eco, pkg)?.len();
        }
        lookups.push(start.elapsed());
    }
    let mut audits = Vec::new();
    let mut affected = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        affected = 0;
        for ((eco, pkg), v) in pairs.iter().zip(&versions) {
            for r in db.advisories_for(eco, pkg)? {
                if affects(&r, eco, pkg, v).is_affected() {
                    affected += 1;
                }
            }
        }
        audits.push(start.elapsed());
    }
    let rss_after = memory("VmRSS");
    let hwm = memory("VmHWM");
    drop(db);
    let _ = std::fs::remove_dir_all(&tmp);

    println!("records imported: {records} (RustSec, Go, PyPA)");
    println!("index build (3 folders, fresh index): {}", ms(build));
    println!("re-import, all unchanged: {}", ms(reimport));
    println!("index size: {:.1} MB", size as f64 / 1e6);
    println!("open: {}", ms(open));
    println!(
        "lookup of {PAIRS} (ecosystem, package) pairs ({present} in the index), {found} advisories: median {}, first {}",
        ms(median(&mut lookups.clone())),
        ms(lookups[0])
    );
    println!(
        "lookup + range evaluation at one version each ({affected} affected): median {}, first {}",
        ms(median(&mut audits.clone())),
        ms(audits[0])
    );
    println!(
        "memory: RSS {:.1} MB before open, {:.1} MB after the lookups; peak {:.1} MB (the whole run)",
        rss_before / 1024.0,
        rss_after / 1024.0,
        hwm / 1024.0
    );
    Ok(())
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// A memory figure of this process from /proc/self/status, in kB (0 elsewhere).
fn memory(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0.0)
}
