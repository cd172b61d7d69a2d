//! `vigie anomalies` end to end: ten ordinary days of Security and Sysmon events written by
//! the test, learnt into a state folder; then a day with an intruder, whose anomalies come out
//! with their explanations (snapshot), and nothing else.

mod common;

use std::fmt::Write as _;

use common::{root, vigie};

fn logon(out: &mut String, day: u32, hm: &str, host: &str, user: &str, ip: &str, id: u32) {
    let _ = writeln!(
        out,
        r#"{{"TimeCreated":"2026-03-{day:02}T{hm}:00.000Z","Channel":"Security","EventID":{id},"Computer":"{host}.corp.local","TargetUserName":"{user}","IpAddress":"{ip}","LogonType":3}}"#
    );
}

fn process(out: &mut String, day: u32, hm: &str, host: &str, image: &str) {
    let _ = writeln!(
        out,
        r#"{{"TimeCreated":"2026-03-{day:02}T{hm}:00.000Z","Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,"Computer":"{host}.corp.local","Image":"C:\\Program Files\\{image}","User":"CORP\\svc"}}"#
    );
}

#[test]
fn anomalies_learnt_then_found_with_explanations() {
    let dir = root().join("target/anomalies-cli-test");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("mkdir");
    let mut ordinary = String::new();
    for day in 1..=10 {
        for host in ["ws1", "ws2", "ws3"] {
            for image in ["explorer.exe", "chrome.exe"] {
                process(&mut ordinary, day, "08:05", host, image);
            }
        }
        logon(
            &mut ordinary,
            day,
            "08:40",
            "fs1",
            "alice",
            "10.0.0.1",
            4624,
        );
        logon(
            &mut ordinary,
            day,
            "17:55",
            "fs1",
            "alice",
            "10.0.0.1",
            4624,
        );
    }
    let mut odd = String::new();
    process(&mut odd, 11, "02:59", "ws2", "procdump64.exe");
    logon(&mut odd, 11, "03:12", "fs1", "alice", "10.0.0.1", 4624);
    logon(&mut odd, 11, "03:20", "fs2", "alice", "198.51.100.23", 4624);
    std::fs::write(dir.join("days-01-10.jsonl"), ordinary).expect("write");
    std::fs::write(dir.join("day-11.jsonl"), odd).expect("write");
    let state = "target/anomalies-cli-test/state";
    let (out, err, code) = vigie(&[
        "anomalies",
        "target/anomalies-cli-test/days-01-10.jsonl",
        "--state",
        state,
        "-f",
        "jsonl",
    ]);
    assert_eq!((out.as_str(), code), ("", 0), "{err}");
    let (out, err, code) = vigie(&[
        "anomalies",
        "target/anomalies-cli-test/day-11.jsonl",
        "--state",
        state,
        "-f",
        "jsonl",
    ]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!(format!("{out}\n[stderr]\n{err}"));
}

#[test]
fn a_bad_state_says_what_to_do() {
    let dir = root().join("target/anomalies-cli-bad-state");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("baselines.json"), "not json").expect("write");
    let (out, err, code) = vigie(&[
        "anomalies",
        "examples/incident",
        "--state",
        "target/anomalies-cli-bad-state",
    ]);
    assert_eq!((out.as_str(), code), ("", 2));
    insta::assert_snapshot!(err);
}
