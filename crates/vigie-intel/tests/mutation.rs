//! A stable-toolchain stand-in for the fuzz targets: the fixtures (and, when present, corpus
//! samples) mutated byte by byte many times and fed to every reader. Nothing may panic; every
//! value read must already be canonical; every problem must name its place and reason.

use std::path::PathBuf;

use vigie_intel::{
    misp_events, normalize, parse_csv, parse_list, parse_misp_event, parse_stix, Column, Parsed,
};

/// xorshift64*: deterministic, so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }
}

const INTERESTING: &[&[u8]] = &[
    b"\"",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"|",
    b"'",
    b"\\",
    b"\x00",
    b"\xff",
    b"\n",
    b"null",
    b"true",
    b"1e999",
    b"-1",
    b"\"type\"",
    b"\"bundle\"",
    b"\"indicator\"",
    b"[ipv4-addr:value = '1.2.3.4']",
    b"\"Attribute\"",
    b"\"to_ids\"",
    b"\"ip-dst|port\"",
    b"0.0.0.0/0",
    b"::",
    b"hxxp[.]",
    b"\xc3\x28",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(5) {
            0 if !out.is_empty() => {
                let end = (at + rng.below(16)).min(out.len());
                out.drain(at.min(end)..end);
            }
            1 => {
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                out.splice(at..at, piece.iter().copied());
            }
            2 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            3 => out.truncate(at),
            _ => {
                // Copy a slice of itself elsewhere (duplicates objects and attributes).
                if !out.is_empty() {
                    let from = rng.below(out.len());
                    let len = rng.below(64).min(out.len() - from);
                    let piece: Vec<u8> = out[from..from + len].to_vec();
                    out.splice(at.min(out.len())..at.min(out.len()), piece);
                }
            }
        }
    }
    out
}

fn check(parsed: &Parsed, what: &str) {
    for r in &parsed.records {
        let again = normalize(r.kind, &r.value).unwrap_or_else(|e| {
            panic!(
                "{what}: stored {} {:?} does not normalise: {e}",
                r.kind, r.value
            )
        });
        assert_eq!(again, (r.kind, r.value.clone()), "{what}: not canonical");
    }
    for p in &parsed.problems {
        assert!(!p.place.is_empty() && !p.reason.is_empty(), "{what}: {p:?}");
    }
}

fn run_all(data: &[u8], what: &str) {
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Ok(p) = parse_stix(&json, "m.json") {
            check(&p, what);
        }
        if let Ok(events) = misp_events(&json) {
            let mut p = Parsed::default();
            for e in events {
                parse_misp_event(e, "m.json", &mut p);
            }
            check(&p, what);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        check(&parse_list(text, "m.txt", None), what);
    }
    if let Ok(p) = parse_csv(data, "m.csv", &Column::Number(2), None) {
        check(&p, what);
    }
}

fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = vec![
        root.join("tests/fixtures/intel/bundle.json"),
        root.join("tests/fixtures/intel/misp-event.json"),
        root.join("tests/fixtures/intel/blocklist.txt"),
        root.join("tests/fixtures/intel/iocs.csv"),
        root.join("tests/fixtures/intel/feed/a7d3c2b1-0001-4e5f-8a9b-0c1d2e3f4a5b.json"),
    ];
    let corpus = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    let medallion = corpus.join("intel/medallion/default_data.json");
    let misp = corpus.join("intel/misp-feed-sample/feed/57c4445b-c548-4654-af0b-4be3950d210f.json");
    if medallion.is_file() && misp.is_file() {
        files.push(medallion);
        files.push(misp);
    } else {
        eprintln!(
            "mutation test: corpus samples not found at {}, fixtures only",
            corpus.display()
        );
    }
    files
        .into_iter()
        .map(|f| {
            (
                f.display().to_string(),
                std::fs::read(&f).expect("read seed"),
            )
        })
        .collect()
}

#[test]
fn mutated_inputs_never_panic_and_stay_canonical() {
    let mut rng = Rng(0x5eed_1e55_c0ff_ee01);
    for (name, seed) in seeds() {
        run_all(&seed, &name);
        for i in 0..1500 {
            let m = mutate(&mut rng, &seed);
            run_all(&m, &format!("{name} mutation {i}"));
        }
    }
}
