//! The audit benchmark: a 3,000-package inventory audited against an index of every corpus
//! advisory (RustSec, Go, PyPA), timed once the index is open. The inventory is every
//! (ecosystem, package) pair the index names, each at the first version an advisory names as
//! fixed for it (so most have findings, the heavy case), then absent PyPI names up to 3,000.
//! `vigie audit vulns` uses one thread per core (at most 4); the example times that and one
//! thread. Run: `cargo run --release -p vigie-audit --example audit_bench` (corpus at $VIGIE_CORPUS, default
//! ../shared/corpus; `VIGIE_BENCH_ROUNDS=N` timed rounds, default 7).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use vigie_audit::{audit_on_threads, Status};
use vigie_inventory::Package;
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

const PACKAGES: usize = 3000;

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
    let tmp = std::env::temp_dir().join(format!("vigie-audit-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let mut db = VulnDb::open(&tmp)?;
    for s in SOURCES {
        db.import(&corpus.join(s))?;
    }
    drop(db);
    let packages = inventory(&tmp)?;

    let start = Instant::now();
    let db = VulnDb::open(&tmp)?;
    let open = start.elapsed();
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).ok_or("date")?;
    let rounds: usize = std::env::var("VIGIE_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7);
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut results = Vec::new();
    for threads in [cores.min(4), 1] {
        let mut times = Vec::new();
        let mut counts = (0, 0);
        for _ in 0..rounds.max(1) {
            let start = Instant::now();
            let report = audit_on_threads(&db, &packages, None, today, threads)?;
            times.push(start.elapsed());
            let n = |s: Status| report.findings.iter().filter(|f| f.status == s).count();
            counts = (n(Status::Affected), n(Status::NotEvaluated));
        }
        results.push((threads, times, counts));
    }
    // The same lookups and evaluations without the audit around them (one thread), to
    // tell what building findings costs.
    let mut bare = Vec::new();
    let mut bare_affected = 0;
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        bare_affected = 0;
        for p in &packages {
            for r in db.advisories_for(&p.ecosystem, &p.name)? {
                if !r.is_withdrawn() && affects(&r, &p.ecosystem, &p.name, &p.version).is_affected()
                {
                    bare_affected += 1;
                }
            }
        }
        bare.push(start.elapsed());
    }
    drop(db);
    let _ = std::fs::remove_dir_all(&tmp);
    println!("open: {}", ms(open));
    for (threads, times, (affected, not_evaluated)) in results {
        println!(
            "audit of {} packages on {threads} thread(s): {affected} findings, {not_evaluated} not evaluated; median {} of {}, first {}",
            packages.len(),
            ms(median(&mut times.clone())),
            times.len(),
            ms(times[0])
        );
    }
    println!(
        "lookups + range evaluation only, 1 thread ({bare_affected} affected): median {}",
        ms(median(&mut bare.clone()))
    );
    Ok(())
}

/// Every (ecosystem, package) pair of the index at its first fixed version, then absent
/// names up to [`PACKAGES`].
fn inventory(dir: &Path) -> Result<Vec<Package>, Box<dyn std::error::Error>> {
    let conn = rusqlite::Connection::open(dir.join(DB_FILE))?;
    let mut stmt = conn.prepare(
        "SELECT DISTINCT e.name, f.package FROM affected f JOIN ecosystems e ON e.key = f.ecosystem
         ORDER BY 1, 2",
    )?;
    let pairs: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let db = VulnDb::open(dir)?;
    let source = Path::new("bench.lock");
    let mut packages = Vec::with_capacity(PACKAGES);
    for (eco, name) in pairs.iter().take(PACKAGES) {
        let version = db
            .advisories_for(eco, name)?
            .iter()
            .flat_map(|r| matching_entries(r, eco, name).collect::<Vec<_>>())
            .flat_map(|a| a.ranges.iter().flat_map(|r| r.events.iter()))
            .find_map(|e| match e {
                Event::Fixed(v) => Some(v.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "0.0.1".into());
        packages.push(Package::new(eco, name, &version, source));
    }
    let mut i = 0;
    while packages.len() < PACKAGES {
        packages.push(Package::new(
            "PyPI",
            &format!("no-such-package-{i}"),
            "1.0",
            source,
        ));
        i += 1;
    }
    Ok(packages)
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
