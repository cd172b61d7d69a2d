//! The `vigie` command end to end: every output format on the shipped example incident,
//! and the messages for broken rules and damaged input, pinned as snapshots.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs vigie with no installed rule pack (a data folder that does not exist).
fn vigie(args: &[&str]) -> (String, String, i32) {
    vigie_with_data(args, &root().join("target/no-such-vigie-data"))
}

fn vigie_with_data(args: &[&str], data: &std::path::Path) -> (String, String, i32) {
    vigie_with(args, data, &root().join("target/vigie-test-cache"))
}

fn vigie_with(
    args: &[&str],
    data: &std::path::Path,
    cache: &std::path::Path,
) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", data)
        .env("VIGIE_CACHE_DIR", cache)
        .output()
        .expect("run vigie");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn hunt_examples_table() {
    let (out, err, code) = vigie(&["hunt", "examples/incident", "--threads", "2"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("hunt_examples_table", out);
    insta::assert_snapshot!("hunt_examples_summary", err);
}

#[test]
fn hunt_examples_jsonl() {
    let (out, err, code) = vigie(&["hunt", "examples/incident", "-f", "jsonl", "-q"]);
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        for key in [
            "rule_id",
            "rule_title",
            "level",
            "status",
            "author",
            "tags",
            "timestamp",
            "computer",
            "channel",
            "event_id",
            "record_id",
            "source",
            "matched",
        ] {
            assert!(v.get(key).is_some(), "{key} missing in {line}");
        }
    }
    insta::assert_snapshot!("hunt_examples_jsonl", out);
}

#[test]
fn hunt_examples_csv_and_timesketch() {
    let (csv, err, code) = vigie(&["hunt", "examples/incident", "-f", "csv", "-q"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("hunt_examples_csv", csv);
    let (ts, err, code) = vigie(&[
        "hunt",
        "examples/incident",
        "-f",
        "timesketch",
        "-q",
        "--min-level",
        "high",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(ts.starts_with("message,datetime,timestamp_desc,"));
    insta::assert_snapshot!("hunt_examples_timesketch_high", ts);
}

#[test]
fn hunt_time_window_and_zone() {
    let (out, err, code) = vigie(&[
        "hunt",
        "examples/incident",
        "--from",
        "2026-03-04T01:58:00Z",
        "--to",
        "2026-03-04 02:05:00",
        "--timezone",
        "Europe/Paris",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("hunt_window_paris", out);
}

#[test]
fn broken_rule_and_damaged_input_are_reported_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("mkdir");
    std::fs::write(
        rules.join("good.yml"),
        "title: Whoami\nlogsource: {product: windows, category: process_creation}\ndetection:\n  sel:\n    CommandLine|contains: whoami\n  condition: sel\nlevel: low\n",
    )
    .expect("write");
    std::fs::write(
        rules.join("broken.yml"),
        "title: Broken\nid: 11111111-2222-4333-8444-555555555555\nlogsource: {product: windows}\ndetection:\n  sel:\n    CommandLine|contians: x\n  condition: sel\n",
    )
    .expect("write");
    let logs = dir.path().join("logs.jsonl");
    std::fs::write(
        &logs,
        "{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":\"whoami\"}\n{not json\n{\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"EventID\":1,\"CommandLine\":\"whoami /all\"}\n",
    )
    .expect("write");
    let rules_s = rules.display().to_string();
    let (out, err, code) = vigie(&["rules", "check", &rules_s, "--format", "json"]);
    assert_eq!(code, 1);
    let out = out.replace(&rules_s, "RULES");
    insta::assert_snapshot!("rules_check_broken_json", out);
    let (out, _, _) = vigie(&["rules", "check", &rules_s]);
    insta::assert_snapshot!("rules_check_broken_text", out.replace(&rules_s, "RULES"));
    let logs_s = logs.display().to_string();
    let (out, err2, code) = vigie(&["hunt", &logs_s, "-r", &rules_s, "-f", "csv"]);
    assert_eq!(code, 0, "{err}{err2}");
    assert_eq!(out.lines().count(), 3, "header and two detections: {out}");
    let err2 = err2.replace(&rules_s, "RULES").replace(&logs_s, "LOGS");
    insta::assert_snapshot!("hunt_broken_inputs_stderr", err2);
}

#[test]
fn hunt_keeps_parsed_rules_in_the_cache_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let cache = dir.path().join("cache");
    let args = [
        "hunt",
        "examples/incident",
        "-r",
        "rules",
        "-f",
        "jsonl",
        "-q",
    ];
    let cache_files = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&cache)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let (plain, err, code) = vigie_with(&[&args[..], &["--no-rule-cache"]].concat(), &data, &cache);
    assert_eq!(code, 0, "{err}");
    assert!(plain.lines().count() > 10, "{plain}");
    assert_eq!(
        cache_files(),
        Vec::<String>::new(),
        "--no-rule-cache writes nothing"
    );
    let (first, err, code) = vigie_with(&args, &data, &cache);
    assert_eq!((code, err.as_str()), (0, ""));
    let files = cache_files();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(
        files[0].starts_with("rules-") && files[0].ends_with(".bin"),
        "{files:?}"
    );
    let (second, err, code) = vigie_with(&args, &data, &cache);
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(first, plain);
    assert_eq!(second, plain);

    // A cache folder that cannot be made: said, with what to do, and the hunt goes on.
    std::fs::remove_dir_all(&cache).expect("remove cache");
    std::fs::write(&cache, "in the way").expect("block the cache folder");
    let (out, err, code) = vigie_with(&args, &data, &cache);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, plain);
    let cache_s = cache.display().to_string();
    let err = err.replace(&cache_s, "CACHE");
    let hex = err
        .split("CACHE/rules-")
        .nth(1)
        .and_then(|rest| rest.split(".bin").next())
        .expect("the cache file is named");
    insta::assert_snapshot!("hunt_rule_cache_unwritable", err.replace(hex, "HEX"));
}

#[test]
fn errors_end_with_a_hint() {
    let (_, err, code) = vigie(&["hunt", "examples/incident", "--min-level", "severe"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("error_unknown_level", err);
}

#[test]
fn rules_list_filters() {
    let (out, err, code) = vigie(&["rules", "list", "--level", "critical", "--format", "jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.is_empty());
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        assert_eq!(v["level"], "critical");
    }
}

#[test]
fn search_by_string_regex_and_field() {
    let (out, err, code) = vigie(&["search", "examples/incident", "--string", "mega:", "-q"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("search_string_table", out);
    let (out, err, code) = vigie(&[
        "search",
        "examples/incident",
        "-F",
        "CommandLine|contains=vssadmin",
        "-F",
        "EventID=1",
        "-f",
        "jsonl",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("search_field_jsonl", out);
    let (out, err, code) = vigie(&[
        "search",
        "examples/incident",
        "--regex",
        r"LISEZ-MOI_\w+\.txt",
        "-f",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().count(),
        21,
        "a header and the 20 events naming the ransom note file: {out}"
    );
    insta::assert_snapshot!("search_regex_summary", err);
    // A literal star in --string is not a wildcard.
    let (out, _, _) = vigie(&[
        "search",
        "examples/incident",
        "--string",
        "LISEZ*",
        "-q",
        "-f",
        "jsonl",
    ]);
    assert!(out.is_empty(), "{out}");
}

#[test]
fn search_needs_a_condition() {
    let (_, err, code) = vigie(&["search", "examples/incident"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("search_without_condition", err);
}

/// Serves `body` at `/sigma_all_rules.zip` (404 elsewhere) on a loopback port, for `requests`
/// requests; returns the base address.
fn serve(body: Vec<u8>, requests: usize) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let _ = reader.read_line(&mut line);
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let found = line.starts_with("GET /sigma_all_rules.zip ");
            let (status, body) = if found {
                ("200 OK", body.as_slice())
            } else {
                ("404 Not Found", &b"no"[..])
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(body);
        }
    });
    format!("http://{addr}")
}

/// A zip of every `.yml` under the given folders, named as SigmaHQ's release names them.
fn zip_rules(dirs: &[(PathBuf, &str)]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    for (dir, prefix) in dirs {
        let mut stack = vec![dir.clone()];
        let mut files = Vec::new();
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "yml") {
                    files.push(p);
                }
            }
        }
        files.sort();
        for f in files {
            let name = format!(
                "{prefix}/{}",
                f.strip_prefix(dir).expect("inside").display()
            );
            w.start_file(name, zip::write::SimpleFileOptions::default())
                .expect("start");
            w.write_all(&std::fs::read(&f).expect("read"))
                .expect("write");
        }
    }
    w.finish().expect("finish");
    buf.into_inner()
}

#[test]
fn rules_update_installs_a_pack_that_hunts_then_use() {
    let corpus = std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    let sigmahq = corpus.join("sigmahq");
    let dirs: Vec<(PathBuf, &str)> = if sigmahq.is_dir() {
        [
            "rules",
            "rules-emerging-threats",
            "rules-threat-hunting",
            "rules-placeholder",
            "rules-compliance",
        ]
        .iter()
        .map(|d| (sigmahq.join(d), *d))
        .collect()
    } else {
        eprintln!(
            "SKIPPED part of rules_update test: corpus not found at {}; using Vigie's own rules",
            corpus.display()
        );
        vec![(root().join("rules"), "rules")]
    };
    let base = serve(zip_rules(&dirs), 2);
    let data = tempfile::tempdir().expect("tempdir");
    let url = format!("{base}/sigma_all_rules.zip");
    let (out, err, code) = vigie_with_data(&["rules", "update", "--url", &url], data.path());
    assert_eq!(code, 0, "{err}");
    let expected = if sigmahq.is_dir() {
        "installed 3780 rules"
    } else {
        "installed 39 rules"
    };
    assert!(out.starts_with(expected), "{out}");

    // Hunts without --rules now use the installed pack (and say so).
    if sigmahq.is_dir() {
        let evtx =
            "regression_data/rules/windows/process_creation/proc_creation_win_bitsadmin_download";
        let dir = sigmahq.join(evtx);
        let file = std::fs::read_dir(&dir)
            .expect("regression folder")
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "evtx"))
            .expect("an evtx file");
        let id = file
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let f = file.display().to_string();
        let (out, err, code) = vigie_with_data(&["hunt", &f, "-f", "jsonl"], data.path());
        assert_eq!(code, 0, "{err}");
        assert!(err.starts_with("using the rules installed on "), "{err}");
        assert!(
            out.contains(&format!("\"rule_id\":\"{id}\"")),
            "{id} not in {out}"
        );
    }

    // A failed update says why, hints, and keeps the installed pack.
    let (_, err, code) = vigie_with_data(
        &["rules", "update", "--url", &format!("{base}/missing.zip")],
        data.path(),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("404") && err.contains("hint: the rules installed before"),
        "{err}"
    );
    assert!(data.path().join("rules/sigmahq").is_dir());
}

#[test]
fn expand_placeholders_warn_without_values_and_match_with_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rule = dir.path().join("admins.yml");
    std::fs::write(
        &rule,
        "title: Admin logon from a workstation\nlogsource: {product: windows, service: security}\ndetection:\n  sel:\n    EventID: 4624\n    TargetUserName|expand: '%Administrators%'\n  condition: sel\n",
    )
    .expect("write");
    let ph = dir.path().join("placeholders.yml");
    std::fs::write(&ph, "Administrators:\n  - adm-*\n  - Administrator\n").expect("write");
    let logs = dir.path().join("logs.jsonl");
    std::fs::write(
        &logs,
        "{\"Channel\":\"Security\",\"EventID\":4624,\"TargetUserName\":\"adm-dupont\"}\n{\"Channel\":\"Security\",\"EventID\":4624,\"TargetUserName\":\"c.martin\"}\n{\"Channel\":\"Security\",\"EventID\":4624,\"TargetUserName\":\"%Administrators%\"}\n",
    )
    .expect("write");
    let (r, p, l) = (
        rule.display().to_string(),
        ph.display().to_string(),
        logs.display().to_string(),
    );
    let (out, err, code) = vigie(&["rules", "check", &r, "--format", "json"]);
    assert_eq!(
        code, 0,
        "a missing placeholder is a warning, not an error: {err}"
    );
    insta::assert_snapshot!("rules_check_missing_placeholder", out.replace(&r, "RULE"));
    let (out, _, _) = vigie(&["hunt", &l, "-r", &r, "-f", "csv", "-q"]);
    assert_eq!(
        out.lines().count(),
        1,
        "without values the placeholder matches nothing: {out}"
    );
    let (out, err, code) = vigie(&[
        "hunt",
        &l,
        "-r",
        &r,
        "--placeholders",
        &p,
        "-f",
        "jsonl",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let ids: Vec<u64> = out
        .lines()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).expect("json")["record_id"]
                .as_u64()
                .expect("id")
        })
        .collect();
    assert_eq!(ids, vec![1]);
}

#[test]
fn version_compare_prints_the_order() {
    for (args, want) in [
        (&["Debian", "1.2.3-1~deb7u1", "1.2.3-1"][..], "<\n"),
        (&["debian:12", "1:0.9", "2.0"][..], ">\n"),
        (&["Red Hat", "1.0^git1", "1.0"][..], ">\n"),
        (&["PyPI", "1.0.0a1", "1.0.0.alpha1"][..], "=\n"),
        (&["npm", "v1.2.3", "1.2.3-rc.1"][..], ">\n"),
        (&["Maven", "1.0-SNAPSHOT", "1.0"][..], "<\n"),
        (
            &["PyPI", "--", "-class.-jw.util.version.version-pre", "1.0"][..],
            "<\n",
        ),
        (&["Alpine:v3.18", "--", "1.2_rc1-r0", "1.2-r0"][..], "<\n"),
    ] {
        let mut full = vec!["version", "compare"];
        full.extend_from_slice(args);
        let (out, err, code) = vigie(&full);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(out, want, "{args:?}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

#[test]
fn version_compare_errors_hint_and_exit_2() {
    let (out, err, code) = vigie(&["version", "compare", "Cobol", "1", "2"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    insta::assert_snapshot!("version_unknown_ecosystem", err);
    let (out, err, code) = vigie(&["version", "compare", "npm", "1.2.3", "not-a-version"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    insta::assert_snapshot!("version_invalid_version", err);
}

/// `vigie stix match` on `tests/fixtures/stix/observed.json`: the answer on stdout, the exit code.
fn stix_match(pattern: &str, observed: &str) -> (String, String, i32) {
    vigie(&[
        "stix",
        "match",
        "--pattern",
        pattern,
        "--observed",
        observed,
    ])
}

const STIX_FIXTURE: &str = "tests/fixtures/stix/observed.json";

#[test]
fn stix_match_answers_match_or_nomatch() {
    let patterns = [
        "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
        "[network-traffic:dst_ref.value = '198.51.100.7' AND network-traffic:dst_port = 443] \
         FOLLOWEDBY [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'] \
         WITHIN 600 SECONDS",
        "[file:name LIKE '%.pdf.exe'] FOLLOWEDBY [ipv4-addr:value = '198.51.100.7']",
        "[process:command_line MATCHES '^vssadmin\\\\.exe delete shadows'] REPEATS 3 TIMES",
        "[process:command_line MATCHES '^vssadmin\\\\.exe delete shadows'] REPEATS 4 TIMES",
        "[file:size > 100000 AND file:name NOT LIKE '%.pdf'] START t'2026-03-04T02:00:00Z' STOP t'2026-03-04T03:00:00Z'",
        "[ipv4-addr:value = '198.51.100.7'] AND [ipv4-addr:value = '198.51.100.7']",
    ];
    let mut report = String::new();
    for p in patterns {
        let (out, err, code) = stix_match(p, STIX_FIXTURE);
        assert!(err.is_empty(), "{p}: {err}");
        let expected_code = if out.trim() == "match" { 0 } else { 1 };
        assert_eq!(code, expected_code, "{p}: {out}");
        report.push_str(&format!("{p}\n  -> {} (exit {code})\n", out.trim()));
    }
    insta::assert_snapshot!("stix_match_answers", report);
}

#[test]
fn stix_match_errors_say_why_with_a_hint() {
    let mut report = String::new();
    for p in [
        "[file:size = ]",
        "[file:name = 'a'] within 5 seconds",
        "[file:created = t'2026-02-30T00:00:00Z']",
        "[file:name ISSUBSET '10.0.0.0/8']",
        "[file:size IN (1, 'two')]",
    ] {
        let (out, err, code) = stix_match(p, STIX_FIXTURE);
        assert_eq!(code, 2, "{p}: {out}");
        assert!(out.is_empty(), "{p}: {out}");
        assert!(err.contains("\nhint: "), "{p}: {err}");
        report.push_str(&format!("$ vigie stix match --pattern \"{p}\"\n{err}\n"));
    }
    insta::assert_snapshot!("stix_match_errors", report);
}

#[test]
fn stix_match_reports_bad_observed_files_and_validator_warnings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let not_stix = dir.path().join("numbers.json");
    std::fs::write(&not_stix, "[1, 2]").expect("write");
    let no_count = dir.path().join("no-count.json");
    std::fs::write(
        &no_count,
        r#"[{"type": "observed-data", "id": "observed-data--1", "first_observed": "2026-03-04T01:58:00Z",
            "last_observed": "2026-03-04T01:58:00Z", "object_refs": []}]"#,
    )
    .expect("write");
    let mut report = String::new();
    for (file, name) in [
        (not_stix.display().to_string(), "numbers.json"),
        (no_count.display().to_string(), "no-count.json"),
        (
            "tests/fixtures/stix/missing.json".to_owned(),
            "missing.json",
        ),
    ] {
        let (out, err, code) = stix_match("[ipv4-addr:value = '198.51.100.7']", &file);
        assert_eq!(code, 2, "{name}: {out}");
        report.push_str(&format!(
            "$ vigie stix match --observed {name}\n{}\n",
            err.replace(&file, name)
        ));
    }
    // A pattern the OASIS validator rejects but the matcher evaluates: a warning, then the answer.
    let (out, err, code) = stix_match("[file:hashes.'SHA-256' = 'f00']", STIX_FIXTURE);
    assert_eq!((out.as_str(), code), ("nomatch\n", 1));
    report.push_str(&format!(
        "$ vigie stix match --pattern \"[file:hashes.'SHA-256' = 'f00']\"\n{err}"
    ));
    insta::assert_snapshot!("stix_match_bad_inputs", report);
}

/// `vigie cvss` over one vector of each version, the report headed by the command line.
fn cvss_report(
    vectors: &[&str],
    format: &str,
    stream: fn(&(String, String, i32)) -> &str,
    code: i32,
) -> String {
    let mut report = String::new();
    for v in vectors {
        let run = vigie(&["cvss", v, "--format", format]);
        assert_eq!(run.2, code, "{v}: {}", run.1);
        if code == 0 {
            assert!(run.1.is_empty(), "{v}: {}", run.1);
        } else {
            assert!(run.0.is_empty(), "{v}: {}", run.0);
        }
        report.push_str(&format!(
            "$ vigie cvss '{v}' --format {format}\n{}\n",
            stream(&run)
        ));
    }
    report
}

const CVSS_VECTORS: &[&str] = &[
    "AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H",
    "CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:H/IR:H/AR:H/MS:C",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H/E:P/CR:L/MSI:S/U:Red",
];

#[test]
fn cvss_prints_scores_severity_and_metrics() {
    let report = cvss_report(CVSS_VECTORS, "text", |r| &r.0, 0);
    insta::assert_snapshot!("cvss_text", report);
}

#[test]
fn cvss_json_has_version_scores_severity_and_metrics() {
    for v in CVSS_VECTORS {
        let (out, err, code) = vigie(&["cvss", v, "-f", "json"]);
        assert_eq!(code, 0, "{err}");
        let j: serde_json::Value = serde_json::from_str(&out).expect("json");
        for key in [
            "version",
            "base_score",
            "temporal_score",
            "environmental_score",
            "severity",
            "metrics",
        ] {
            assert!(j.get(key).is_some(), "{key} missing in {out}");
        }
        let v4 = j["version"] == "4.0";
        assert_eq!(j["temporal_score"].is_null(), v4, "{out}");
        assert_eq!(j["environmental_score"].is_null(), v4, "{out}");
    }
    let report = cvss_report(CVSS_VECTORS, "json", |r| &r.0, 0);
    insta::assert_snapshot!("cvss_json", report);
}

#[test]
fn cvss_invalid_vectors_say_why_with_a_hint_and_exit_2() {
    let report = cvss_report(
        &[
            "",
            "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XY:Z",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",
            "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X",
        ],
        "json",
        |r| &r.1,
        2,
    );
    insta::assert_snapshot!("cvss_errors", report);
}
