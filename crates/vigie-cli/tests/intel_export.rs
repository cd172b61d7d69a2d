//! `vigie intel export | sightings` end to end: what each format prints and writes, the TLP
//! ceiling's defaults, and the messages for bad input, pinned as snapshots. Each test has its
//! own store under `target/intel-export-cli-tests/`.

use std::path::PathBuf;
use std::process::Command;

const NOW: &str = "2026-03-02T08:00:00Z";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs vigie from the repository root; returns the transcript entry, stdout and exit code.
fn run(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", root().join("target/no-such-vigie-data"))
        .env("VIGIE_CACHE_DIR", root().join("target/vigie-test-cache"))
        .output()
        .expect("run vigie");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().unwrap_or(-1);
    let entry = format!(
        "$ vigie {}\n[exit {code}]\n[stderr]\n{stderr}\n",
        args.join(" ")
    );
    (entry, stdout, code)
}

/// A store of the export fixtures, fresh for the test; returns its folder (relative).
fn store(test: &str) -> String {
    let dir = format!("target/intel-export-cli-tests/{test}");
    let _ = std::fs::remove_dir_all(root().join(&dir));
    let store = format!("{dir}/store");
    let (_, _, code) = run(&[
        "intel",
        "import",
        "tests/fixtures/intel-export/partner-bundle.json",
        "tests/fixtures/intel-export/cert-event.json",
        "--store",
        &store,
        "--now",
        NOW,
    ]);
    assert_eq!(code, 0, "the fixtures import cleanly");
    dir
}

/// The patterns of a STIX bundle's indicators, one a line.
fn patterns(bundle: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(bundle).expect("a JSON bundle");
    let mut lines: Vec<String> = v["objects"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| o["type"] == "indicator")
        .map(|o| {
            format!(
                "{}  {}",
                o["object_marking_refs"][0].as_str().unwrap_or("-"),
                o["pattern"].as_str().unwrap_or("-")
            )
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

/// `vigie intel export --store STORE --now NOW ARGS...`, which must succeed; its transcript
/// entry goes into `report`, its stdout is returned.
fn export(report: &mut String, store: &str, args: &[&str]) -> String {
    let mut all = vec!["intel", "export", "--store", store, "--now", NOW];
    all.extend_from_slice(args);
    let (entry, out, code) = run(&all);
    assert_eq!(code, 0, "{all:?}");
    report.push_str(&entry);
    out
}

/// The attributes of a MISP event: type, value, to_ids.
fn attributes(event: &str) -> String {
    let event: serde_json::Value = serde_json::from_str(event).expect("MISP event JSON");
    event["Event"]["Attribute"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| format!("{} {} to_ids={}", a["type"], a["value"], a["to_ids"]))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn export_formats_and_tlp_defaults() {
    let dir = store("formats");
    let s = format!("{dir}/store");
    let mut r = String::new();
    let out = export(&mut r, &s, &["--format", "stix"]);
    r.push_str(&format!(
        "[indicators: marking, pattern]\n{}\n\n",
        patterns(&out)
    ));
    let red = [
        "--format",
        "stix",
        "--tlp-max",
        "red",
        "--type",
        "domain,ipv4",
    ];
    let out = export(&mut r, &s, &red);
    r.push_str(&format!(
        "[indicators: marking, pattern]\n{}\n\n",
        patterns(&out)
    ));
    let out = export(&mut r, &s, &["--format", "misp-event"]);
    r.push_str(&format!("[attributes]\n{}\n\n", attributes(&out)));
    let feed = format!("{dir}/feed");
    export(&mut r, &s, &["--format", "misp-feed", "--out", &feed]);
    let edl = format!("{dir}/edl");
    export(&mut r, &s, &["--format", "blocklist", "--out", &edl]);
    let url = std::fs::read_to_string(root().join(&edl).join("url.txt")).expect("url.txt");
    r.push_str(&format!("[url.txt]\n{url}"));
    insta::assert_snapshot!("intel_export", r);
}

#[test]
fn export_and_sightings_errors() {
    let dir = store("errors");
    let s = format!("{dir}/store");
    let mut report = String::new();
    for args in [
        vec!["intel", "export", "--store", &s, "--format", "misp-feed"],
        vec![
            "intel",
            "export",
            "--store",
            "target/intel-export-cli-tests/none",
            "--format",
            "stix",
        ],
        vec![
            "intel",
            "export",
            "--store",
            &s,
            "--format",
            "stix",
            "--tlp-max",
            "purple",
        ],
        vec![
            "intel",
            "sightings",
            "--from",
            "tests/fixtures/intel-export/missing.jsonl",
        ],
        vec![
            "intel",
            "sightings",
            "--from",
            "tests/fixtures/intel-export/detections.jsonl",
            "--store",
            "target/intel-export-cli-tests/none",
        ],
    ] {
        let (entry, _, code) = run(&args);
        assert_ne!(code, 0, "{args:?} fails");
        report.push_str(&entry);
    }
    let out = format!("{dir}/sightings.json");
    let (entry, _, code) = run(&[
        "intel",
        "sightings",
        "--from",
        "tests/fixtures/intel-export/detections.jsonl",
        "--out",
        &out,
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1, "bad lines are reported: exit 1, the rest written");
    report.push_str(&entry);
    let bundle = std::fs::read_to_string(root().join(&out)).expect("bundle written");
    assert!(bundle.contains("\"type\": \"sighting\""));
    insta::assert_snapshot!("intel_export_errors", report);
}
