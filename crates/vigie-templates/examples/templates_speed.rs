//! Speed of the miner on one core: the `Content` of every line of the 30 Loghub 2k sets of the
//! corpus (14 Loghub-2.0 and 16 original, 60,000 messages) concatenated, repeated `--repeat N`
//! times (default 20), fed to a miner that starts empty; prints lines per second and MB per
//! second, the best of `--runs R` (default 3). `--write FILE` also writes that input, one
//! message a line, so that `vigie templates FILE` can be timed on it.
//! Run: `cargo run --release -p vigie-templates --example templates_speed`.

#[path = "../tests/common/loghub.rs"]
mod loghub;

use std::process::ExitCode;
use std::time::Instant;

use vigie_templates::Miner;

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(default)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (repeat, runs) = (arg(&args, "--repeat", 20), arg(&args, "--runs", 3));
    let root = loghub::corpus().join("anomaly/loghub-2k");
    let sets = match loghub::sets(&root) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}\nhint: set VIGIE_CORPUS to the corpus folder");
            return ExitCode::from(2);
        }
    };
    let messages: Vec<&str> = sets
        .iter()
        .flat_map(|s| s.contents.iter().map(String::as_str))
        .collect();
    if let Some(path) = args
        .iter()
        .position(|a| a == "--write")
        .and_then(|i| args.get(i + 1))
    {
        let mut text = String::new();
        for m in &messages {
            text.push_str(m);
            text.push('\n');
        }
        if let Err(e) = std::fs::write(path, text.repeat(repeat)) {
            eprintln!("error: {path}: {e}");
            return ExitCode::from(2);
        }
    }
    let bytes: usize = messages.iter().map(|m| m.len() + 1).sum::<usize>() * repeat;
    let lines = messages.len() * repeat;
    let mut best = f64::MAX;
    let mut templates = 0;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let mut miner = Miner::default();
        let mut new = 0usize;
        for _ in 0..repeat {
            for m in &messages {
                new += usize::from(miner.feed(m).is_new);
            }
        }
        best = best.min(start.elapsed().as_secs_f64());
        templates = new;
    }
    println!(
        "{lines} lines ({:.1} MB) in {best:.3} s: {:.0} lines/s, {:.1} MB/s; {templates} templates",
        bytes as f64 / 1e6,
        lines as f64 / best,
        bytes as f64 / 1e6 / best
    );
    ExitCode::SUCCESS
}
