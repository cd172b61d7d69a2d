//! `vigie intel import | list | stats` end to end on the fixtures of `tests/fixtures/intel/`:
//! reports, listings in every format, counts, and the messages for bad input, pinned as
//! snapshots. Each test has its own store under `target/intel-cli-tests/`.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const NOW: &str = "2026-03-02T08:00:00Z";

/// A fresh store folder for one test, relative to the repository root.
fn store(test: &str) -> String {
    let rel = format!("target/intel-cli-tests/{test}");
    let _ = std::fs::remove_dir_all(root().join(&rel));
    rel
}

fn vigie(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", root().join("target/no-such-vigie-data"))
        .env("VIGIE_CACHE_DIR", root().join("target/vigie-test-cache"))
        .output()
        .expect("run vigie");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Runs and writes the command, its exit code, stdout and stderr into `report`.
fn run(report: &mut String, args: &[&str]) -> (String, i32) {
    let (out, err, code) = vigie(args);
    report.push_str(&format!(
        "$ vigie {}\n[exit {code}]\n{out}{}",
        args.join(" "),
        if err.is_empty() {
            String::new()
        } else {
            format!("[stderr]\n{err}")
        }
    ));
    report.push('\n');
    (out, code)
}

#[test]
fn intel_import_list_and_stats() {
    let s = store("import_list_stats");
    let mut report = String::new();
    let (_, code) = run(
        &mut report,
        &[
            "intel",
            "import",
            "tests/fixtures/intel/bundle.json",
            "tests/fixtures/intel/misp-event.json",
            "--store",
            &s,
            "--now",
            NOW,
        ],
    );
    assert_eq!(code, 1, "problems reported: exit 1");
    let (_, code) = run(
        &mut report,
        &[
            "intel",
            "import",
            "tests/fixtures/intel/feed",
            "--source-name",
            "partner-feed",
            "--tlp",
            "green",
            "--store",
            &s,
            "--now",
            NOW,
        ],
    );
    assert_eq!(code, 1);
    let (_, code) = run(
        &mut report,
        &[
            "intel",
            "import",
            "tests/fixtures/intel/blocklist.txt",
            "--tlp",
            "clear",
            "--confidence",
            "60",
            "--store",
            &s,
            "--now",
            NOW,
        ],
    );
    assert_eq!(code, 1);
    let (_, code) = run(
        &mut report,
        &[
            "intel",
            "import",
            "tests/fixtures/intel/iocs.csv",
            "--column",
            "indicator",
            "--store",
            &s,
            "--now",
            NOW,
        ],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!("intel_import", report);

    let mut listing = String::new();
    run(
        &mut listing,
        &["intel", "list", "--store", &s, "--now", NOW],
    );
    run(
        &mut listing,
        &["intel", "list", "--all", "--store", &s, "--now", NOW],
    );
    run(
        &mut listing,
        &[
            "intel", "list", "--type", "ipv4", "-f", "csv", "--all", "--store", &s, "--now", NOW,
        ],
    );
    insta::assert_snapshot!("intel_list", listing);

    let (jsonl, _, code) = vigie(&[
        "intel", "list", "--type", "ipv4", "-f", "jsonl", "--store", &s, "--now", NOW,
    ]);
    assert_eq!(code, 0);
    for line in jsonl.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        for key in [
            "type",
            "value",
            "tlp",
            "confidence",
            "to_ids",
            "status",
            "sources",
            "provenance",
        ] {
            assert!(v.get(key).is_some(), "{key} missing in {line}");
        }
    }
    insta::assert_snapshot!("intel_list_jsonl", jsonl);

    let mut stats = String::new();
    run(&mut stats, &["intel", "stats", "--store", &s, "--now", NOW]);
    insta::assert_snapshot!("intel_stats", stats);
}

#[test]
fn intel_reimport_is_idempotent_and_feeds_incremental() {
    let s = store("reimport");
    let mut report = String::new();
    for now in [NOW, "2026-03-03T08:00:00Z"] {
        run(
            &mut report,
            &[
                "intel",
                "import",
                "tests/fixtures/intel/bundle.json",
                "--store",
                &s,
                "--now",
                now,
            ],
        );
        run(
            &mut report,
            &[
                "intel",
                "import",
                "tests/fixtures/intel/feed",
                "--store",
                &s,
                "--now",
                now,
            ],
        );
    }
    run(
        &mut report,
        &[
            "intel",
            "stats",
            "--store",
            &s,
            "--now",
            "2026-03-03T08:00:00Z",
        ],
    );
    insta::assert_snapshot!("intel_reimport", report);
}

#[test]
fn intel_errors_say_why_with_a_hint() {
    let s = store("errors");
    let mut report = String::new();
    let cases: &[&[&str]] = &[
        &["intel", "list", "--store", &s],
        &[
            "intel",
            "import",
            "tests/fixtures/intel/broken.json",
            "--store",
            &s,
            "--now",
            NOW,
        ],
        &[
            "intel",
            "import",
            "tests/fixtures/intel/bundle.json",
            "--max-size",
            "0",
            "--store",
            &s,
            "--now",
            NOW,
        ],
        &[
            "intel",
            "import",
            "tests/fixtures/intel/iocs.csv",
            "--column",
            "ioc",
            "--store",
            &s,
            "--now",
            NOW,
        ],
        &[
            "intel",
            "import",
            "tests/fixtures/intel/bundle.json",
            "--format",
            "misp-event",
            "--store",
            &s,
            "--now",
            NOW,
        ],
        &[
            "intel",
            "import",
            "tests/fixtures/intel/bundle.json",
            "--format",
            "misp-feed",
            "--store",
            &s,
            "--now",
            NOW,
        ],
        &[
            "intel",
            "import",
            "tests/fixtures/intel/no-such-file.json",
            "--store",
            &s,
            "--now",
            NOW,
        ],
        &[
            "intel",
            "import",
            "tests/fixtures/intel/blocklist.txt",
            "--type",
            "domain",
            "--store",
            &s,
            "--now",
            NOW,
        ],
        &[
            "intel",
            "import",
            "tests/fixtures/intel/blocklist.txt",
            "--tlp",
            "purple",
            "--store",
            &s,
        ],
        &[
            "intel",
            "import",
            "tests/fixtures/intel/blocklist.txt",
            "--type",
            "hash",
            "--store",
            &s,
        ],
    ];
    for args in cases {
        let (_, code) = run(&mut report, args);
        assert!(code == 1 || code == 2, "{args:?}: exit {code}");
    }
    insta::assert_snapshot!("intel_errors", report);
}

/// The `intel` detections of a hunt's jsonl output, and the intel line of its stderr.
fn intel_hits(args: &[&str]) -> (String, String) {
    let (out, err, code) = vigie(args);
    assert_eq!(code, 0, "hunt failed: {err}");
    let hits: String = out
        .lines()
        .filter(|l| l.contains("\"kind\":\"intel\""))
        .map(|l| format!("{l}\n"))
        .collect();
    let talk: String = err
        .lines()
        .filter(|l| l.starts_with("intel:") || l.starts_with("warning:"))
        .map(|l| format!("{l}\n"))
        .collect();
    (hits, talk)
}

#[test]
fn hunt_matches_a_store_with_warninglists_to_ids_and_validity() {
    let s = store("hunt_intel_store");
    for (file, tlp) in [
        ("tests/fixtures/intel/bundle.json", "amber"),
        ("tests/fixtures/intel/misp-event.json", "amber"),
        ("tests/fixtures/intel/blocklist.txt", "green"),
    ] {
        let (_, err, code) = vigie(&[
            "intel", "import", file, "--tlp", tlp, "--store", &s, "--now", NOW,
        ]);
        assert!(code <= 1, "import {file}: {err}");
    }
    let args = |threads: &'static str| {
        vec![
            "hunt",
            "tests/fixtures/intel/events.jsonl",
            "--intel",
            &s,
            "--warninglist",
            "tests/fixtures/intel/warninglist-test.json",
            "--format",
            "jsonl",
            "--threads",
            threads,
        ]
    };
    let (one, talk) = intel_hits(&args("1"));
    let (two, _) = intel_hits(&args("2"));
    assert_eq!(one, two, "intel detections depend on the thread count");
    // Matched: the subdomain, the address in the network, the TLP:RED hash and file name.
    // Not matched: the expired indicator, the to_ids=false hostname, the warninglisted address.
    for absent in ["192.0.2.77", "update.partner-cdn.example", "203.0.113.45"] {
        assert!(!one.contains(absent), "{absent} should not match:\n{one}");
    }
    insta::assert_snapshot!(format!("{talk}\n{one}"));
}

#[test]
fn hunt_reads_intel_files_directly() {
    let (hits, talk) = intel_hits(&[
        "hunt",
        "tests/fixtures/intel/events.jsonl",
        "--intel",
        "tests/fixtures/intel/blocklist.txt",
        "--intel-tlp",
        "clear",
        "--format",
        "jsonl",
    ]);
    insta::assert_snapshot!(format!("{talk}\n{hits}"));
}

#[test]
fn hunt_names_a_bad_warninglist() {
    std::fs::create_dir_all(root().join("target/intel-cli-tests")).expect("mkdir");
    let bad = "target/intel-cli-tests/bad-warninglist.json";
    std::fs::write(
        root().join(bad),
        r#"{"type": "cidr", "list": ["10.0.0.0/99"]}"#,
    )
    .expect("write");
    let (out, err, code) = vigie(&[
        "hunt",
        "tests/fixtures/intel/events.jsonl",
        "--intel",
        "tests/fixtures/intel/blocklist.txt",
        "--warninglist",
        bad,
    ]);
    assert_eq!((out.as_str(), code), ("", 2));
    insta::assert_snapshot!(err);
}
