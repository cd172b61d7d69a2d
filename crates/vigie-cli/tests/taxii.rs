//! `vigie intel sync` and `vigie intel push` against medallion (started by
//! `tests/taxii/run.sh`, which sets `VIGIE_TAXII_URL`; without it each test says SKIPPED and
//! passes): a first sync takes the collection, a second takes nothing new, a push is read
//! back by the next sync (its broken object reported by id, the rest imported), and the errors (no credentials, unknown or closed collection,
//! missing password variable) say why with a hint. Reports and errors are snapshots, the
//! server's address written `http://TAXII`.

use std::path::PathBuf;
use std::process::Command;

const NOW: &str = "2026-03-02T08:00:00Z";
const FOR_ADDING: &str = "365fed99-08fa-fdcd-a1b3-fb247eb41d01";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The discovery address, or None (and a loud SKIPPED) when no server was started.
fn server(test: &str) -> Option<String> {
    let url = std::env::var("VIGIE_TAXII_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!(
            "SKIPPED {test}: VIGIE_TAXII_URL is not set (tests/taxii/run.sh starts medallion and sets it)"
        );
    }
    url
}

/// A fresh store folder for one test, relative to the repository root.
fn store(test: &str) -> String {
    let rel = format!("target/intel-cli-tests/{test}");
    let _ = std::fs::remove_dir_all(root().join(&rel));
    rel
}

/// Runs vigie (the medallion password in `TAXII_PW`) and writes the command, exit code,
/// stdout and stderr into `report` with the server's address replaced; returns stdout and
/// the exit code.
fn run(report: &mut String, url: &str, args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("TAXII_PW", "Password0")
        .env_remove("NO_SUCH_VARIABLE")
        .output()
        .expect("run vigie");
    let base = url.trim_end_matches('/').trim_end_matches("/taxii2");
    let hide = |s: &[u8]| String::from_utf8_lossy(s).replace(base, "http://TAXII");
    let (stdout, stderr) = (hide(&out.stdout), hide(&out.stderr));
    let code = out.status.code().unwrap_or(-1);
    report.push_str(&format!(
        "$ vigie {}\n[exit {code}]\n{stdout}{}\n",
        args.join(" ").replace(base, "http://TAXII"),
        if stderr.is_empty() {
            String::new()
        } else {
            format!("[stderr]\n{stderr}")
        }
    ));
    (stdout, code)
}

/// `vigie intel sync URL --collection C` (or `push`) as admin, then `rest` split at spaces.
fn as_admin<'a>(
    command: &'a str,
    url: &'a str,
    collection: &'a str,
    rest: &'a str,
) -> Vec<&'a str> {
    let mut args = vec!["intel", command, url, "--collection", collection];
    args.extend(["--user", "admin", "--password-env", "TAXII_PW"]);
    args.extend(rest.split_whitespace());
    args
}

#[test]
fn intel_sync_takes_only_what_is_new() {
    let Some(url) = server("intel_sync_takes_only_what_is_new") else {
        return;
    };
    let s = store("taxii_sync");
    let rest = format!("--source-name medallion --tlp green --limit 2 --store {s} --now {NOW}");
    let sync = as_admin("sync", &url, "High Value Indicator Collection", &rest);
    let mut report = String::new();
    let (first, code) = run(&mut report, &url, &sync);
    assert_eq!(code, 0);
    assert!(first.contains("5 objects added since the start (first sync), in 3 pages"));
    let (second, code) = run(&mut report, &url, &sync);
    assert_eq!(code, 0);
    assert!(second.contains("0 objects added since 2017-12-31T13:49:53.935000Z"));
    run(
        &mut report,
        &url,
        &["intel", "list", "--store", &s, "--now", NOW],
    );
    run(
        &mut report,
        &url,
        &["intel", "stats", "--store", &s, "--now", NOW],
    );
    insta::assert_snapshot!("taxii_sync_twice", report);
}

#[test]
fn intel_push_is_read_back_by_the_next_sync() {
    let Some(url) = server("intel_push_is_read_back_by_the_next_sync") else {
        return;
    };
    let s = store("taxii_push");
    let rest = format!("--store {s} --now {NOW}");
    let sync = as_admin("sync", &url, FOR_ADDING, &rest);
    let mut log = String::new();
    let (_, code) = run(&mut log, &url, &sync);
    assert_ne!(
        code, 2,
        "what is there already (broken objects of earlier runs too): {log}"
    );

    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let hex = format!("{stamp:012x}");
    let tail = &hex[hex.len() - 12..];
    let bundle = serde_json::json!({
        "type": "bundle",
        "id": format!("bundle--00000000-0000-4000-8000-{tail}"),
        "objects": [
            {"type": "indicator", "spec_version": "2.1",
             "id": format!("indicator--11111111-0000-4000-8000-{tail}"),
             "created": "2026-03-01T10:00:00.000Z", "modified": "2026-03-01T10:00:00.000Z",
             "pattern": format!("[domain-name:value = 'c2-{tail}.example']"), "pattern_type": "stix",
             "valid_from": "2026-03-01T10:00:00Z"},
            {"type": "domain-name", "spec_version": "2.1",
             "id": format!("domain-name--22222222-0000-4000-8000-{tail}"),
             "value": format!("exfil-{tail}.example")},
            {"type": "indicator", "spec_version": "2.1",
             "id": format!("indicator--33333333-0000-4000-8000-{tail}"),
             "created": "2026-03-01T10:00:00.000Z", "modified": "2026-03-01T10:00:00.000Z",
             "pattern": "[ipv4-addr:value = ", "pattern_type": "stix",
             "valid_from": "2026-03-01T10:00:00Z"}
        ]
    });
    let file = root().join(&s).join("push.json");
    std::fs::write(&file, bundle.to_string()).expect("write the bundle");
    let file = file.display().to_string();
    let mut push = as_admin("push", &url, FOR_ADDING, "");
    push.push(&file);
    let (pushed, code) = run(&mut log, &url, &push);
    assert_eq!(code, 0, "{log}");
    assert!(
        pushed.contains("complete: 3 objects, 3 succeeded, 0 failed, 0 pending"),
        "{log}"
    );
    let (again, code) = run(&mut log, &url, &push);
    assert_eq!(code, 1, "the same versions again fail: {log}");
    assert!(again.contains("3 failed") && again.contains("  failed: indicator--"));

    let (synced, code) = run(&mut log, &url, &sync);
    assert_eq!(code, 1, "the broken pattern is reported: {log}");
    assert!(synced.contains("  3 objects added since"), "{log}");
    assert!(synced.contains("  2 new indicators"), "{log}");
    assert!(synced.contains("  1 problem reported on stderr"), "{log}");
    let broken = format!("indicator--33333333-0000-4000-8000-{tail}: invalid pattern");
    assert!(log.contains(&broken), "the problem names the object: {log}");
    let (nothing, _) = run(&mut log, &url, &sync);
    assert!(nothing.contains("  0 objects added since"), "{log}");
}

#[test]
fn intel_sync_and_push_errors_say_why() {
    let Some(url) = server("intel_sync_and_push_errors_say_why") else {
        return;
    };
    let s = store("taxii_errors");
    let mut report = String::new();
    let basic = "--user admin --password-env TAXII_PW";
    let cases = [
        ("High Value Indicator Collection", ""),
        ("Secret Indicators", basic),
        ("nope", basic),
        ("nope", "--user admin --password-env NO_SUCH_VARIABLE"),
        ("x", "--api-root /api1/ --token-env TAXII_PW"),
    ];
    for (collection, rest) in cases {
        let mut refs = vec!["intel", "sync", &url, "--collection", collection];
        refs.extend(rest.split_whitespace());
        refs.extend(["--store", &s]);
        let (_, code) = run(&mut report, &url, &refs);
        assert_eq!(code, 2, "{report}");
    }
    let mut push = as_admin("push", &url, "Indicators from the past 24-hours", "");
    push.push("tests/fixtures/intel/bundle.json");
    let (_, code) = run(&mut report, &url, &push);
    assert_eq!(code, 2);
    insta::assert_snapshot!("taxii_errors", report);
}
