//! Ten ordinary days of a small office, then a day with one injected anomaly of each kind:
//! every detector finds its own and nothing else, the sentences say why (snapshot), and a run
//! split in two through the saved state finds the same.

use chrono::{DateTime, Duration, TimeZone, Utc};
use vigie_baselines::{Anomaly, Baselines, Config, Detector, Observation, Observed};

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, h, m, 0)
        .single()
        .expect("valid time")
}

fn o(time: DateTime<Utc>, host: &str, what: Observed) -> Observation {
    Observation {
        time,
        host: host.into(),
        what,
        source: "test".into(),
        record_id: 0,
    }
}

fn process(time: DateTime<Utc>, host: &str, image: &str) -> Observation {
    o(
        time,
        host,
        Observed::Process {
            image: image.into(),
            user: None,
        },
    )
}

fn logon(time: DateTime<Utc>, host: &str, user: &str, ip: &str, success: bool) -> Observation {
    o(
        time,
        host,
        Observed::Logon {
            user: user.into(),
            source_ip: Some(ip.into()),
            success,
        },
    )
}

fn outbound(time: DateTime<Utc>, host: &str, bytes: u64) -> Observation {
    o(time, host, Observed::Outbound { bytes })
}

/// Days 1-10: four workstations, their programs, two users at office hours, steady traffic.
fn ordinary_days() -> Vec<Observation> {
    let mut v = Vec::new();
    for day in 1..=10 {
        for (i, host) in ["ws1", "ws2", "ws3", "ws4"].iter().enumerate() {
            for image in ["explorer.exe", "chrome.exe", "outlook.exe"] {
                v.push(process(at(day, 8, 5 + i as u32), host, image));
            }
            if *host == "ws1" {
                v.push(process(at(day, 9, 0), host, "excel.exe"));
            }
            let jitter = (day as u64 * 7 + i as u64 * 13) % 20;
            v.push(outbound(at(day, 12, 0), host, (90 + jitter) * 1_000_000));
        }
        v.push(logon(
            at(day, 7, 40 + day % 3),
            "ws1",
            "alice",
            "10.0.0.1",
            true,
        ));
        v.push(logon(
            at(day, 18, 50 + day % 5),
            "ws1",
            "alice",
            "10.0.0.1",
            true,
        ));
        v.push(logon(at(day, 8, 30), "ws2", "bob", "10.0.0.2", true));
        v.push(logon(at(day, 17, 10), "ws2", "bob", "10.0.0.2", true));
        // Someone mistypes a password now and then.
        v.push(logon(at(day, 9, 15), "ws2", "bob", "10.0.0.2", false));
    }
    v
}

/// Day 11: one of each.
fn odd_day() -> Vec<Observation> {
    let mut v = vec![
        process(at(11, 8, 5), "ws1", "explorer.exe"),
        process(at(11, 10, 0), "ws2", "excel.exe"),
        process(at(11, 10, 30), "ws3", "mimikatz.exe"),
        logon(at(11, 8, 0), "ws4", "alice", "10.0.0.1", true),
        logon(at(11, 9, 0), "ws1", "alice", "203.0.113.5", true),
        logon(at(11, 3, 12), "ws2", "bob", "10.0.0.2", true),
        outbound(at(11, 12, 0), "ws1", 95_000_000),
        outbound(at(11, 14, 0), "ws3", 3_200_000_000),
    ];
    let t0 = at(11, 2, 10);
    for k in 0..12 {
        v.push(logon(
            t0 + Duration::seconds(k * 9),
            "dc1",
            "admin",
            "198.51.100.9",
            false,
        ));
    }
    v.sort_by_key(|x| x.time);
    v
}

fn run(b: &mut Baselines, obs: &[Observation]) -> Vec<Anomaly> {
    let config = Config::default();
    let mut out = Vec::new();
    for x in obs {
        b.observe(x, &config, &mut out);
    }
    out
}

#[test]
fn each_injected_anomaly_and_nothing_else() {
    let mut b = Baselines::default();
    let quiet = run(&mut b, &ordinary_days());
    assert!(quiet.is_empty(), "ordinary days raised: {quiet:#?}");
    let found = run(&mut b, &odd_day());
    let mut got: Vec<(Detector, String, String)> = found
        .iter()
        .map(|a| (a.detector, a.host.clone(), a.subject.clone()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            (Detector::RareProcess, "ws3".into(), "mimikatz.exe".into()),
            (Detector::NewProcessOnHost, "ws2".into(), "excel.exe".into()),
            (Detector::FirstLogonToHost, "ws4".into(), "ws4".into()),
            (
                Detector::NewSourceForUser,
                "ws1".into(),
                "203.0.113.5".into()
            ),
            (Detector::UnusualHour, "ws2".into(), "03:12".into()),
            (
                Detector::FailedLogonBurst,
                "dc1".into(),
                "10 failures".into()
            ),
            (Detector::OutboundSpike, "ws3".into(), "3.2 GB".into()),
        ]
    );
    let text: Vec<String> = found
        .iter()
        .map(|a| {
            format!(
                "{} {}: {}",
                a.time.format("%H:%M:%S"),
                a.detector.as_str(),
                a.explanation
            )
        })
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}

#[test]
fn a_run_split_through_the_saved_state_finds_the_same() {
    let mut whole = Baselines::default();
    run(&mut whole, &ordinary_days());
    let expected = run(&mut whole, &odd_day());

    let mut first = Baselines::default();
    run(&mut first, &ordinary_days());
    let saved = first.to_json();
    let mut second = Baselines::from_json(&saved, "state.json").expect("reads back");
    assert_eq!(second.entities(), (4, 2));
    assert_eq!(run(&mut second, &odd_day()), expected);
}

#[test]
fn nothing_is_new_while_learning() {
    // The odd day alone: everything is new, but no entity has been watched long enough.
    let mut b = Baselines::default();
    let found = run(&mut b, &odd_day());
    assert_eq!(
        found.iter().map(|a| a.detector).collect::<Vec<_>>(),
        vec![Detector::FailedLogonBurst],
        "only the burst needs no history"
    );
}

#[test]
fn the_budget_caps_each_detector_per_day() {
    let mut b = Baselines::default();
    run(&mut b, &ordinary_days());
    let config = Config {
        budget_per_detector_per_day: 2,
        ..Config::default()
    };
    let mut out = Vec::new();
    for k in 0..5 {
        b.observe(
            &process(at(11, 10, k), "ws1", &format!("tool{k}.exe")),
            &config,
            &mut out,
        );
    }
    assert_eq!(out.len(), 2);
    assert_eq!(b.suppressed().get(&Detector::RareProcess), Some(&3));
}

#[test]
fn bad_state_is_named() {
    let e = Baselines::from_json("{\"version\": 1}", "state.json").expect_err("refused");
    assert!(
        e.to_string()
            .starts_with("state.json: not a saved baseline state: "),
        "{e}"
    );
    let e = Baselines::from_json(
        "{\"version\": 9, \"hosts\": {}, \"users\": {}, \"process_hosts\": {}}",
        "state.json",
    )
    .expect_err("refused");
    assert_eq!(
        e.to_string(),
        "state.json: baseline state version 9, this Vigie reads version 1"
    );
}

#[test]
fn an_odd_hour_becomes_usual_only_when_it_recurs_on_another_day() {
    let mut b = Baselines::default();
    run(&mut b, &ordinary_days());
    let night = |day, m| logon(at(day, 3, m), "ws2", "bob", "10.0.0.2", true);
    // Twice the same night: both unusual (the first is not learnt at once).
    let first = run(&mut b, &[night(11, 10), night(11, 40)]);
    assert_eq!(
        first
            .iter()
            .filter(|a| a.detector == Detector::UnusualHour)
            .count(),
        2
    );
    // The next night it recurs: still reported, and from then on learnt.
    let second = run(&mut b, &[night(12, 15)]);
    assert_eq!(second.len(), 1);
    let third = run(&mut b, &[night(13, 20)]);
    assert!(third.is_empty(), "{third:#?}");
}

#[test]
fn the_profile_is_the_times_seen_not_their_span() {
    // bob logs on at 08:30 and at 17:10: noon lies inside their span, yet he never logs on
    // then; 08:55 is within the margin of his usual 08:30.
    let mut b = Baselines::default();
    run(&mut b, &ordinary_days());
    let midday = run(
        &mut b,
        &[logon(at(11, 12, 30), "ws2", "bob", "10.0.0.2", true)],
    );
    assert_eq!(
        midday
            .iter()
            .map(|a| (a.detector, a.subject.as_str()))
            .collect::<Vec<_>>(),
        [(Detector::UnusualHour, "12:30")]
    );
    let usual = run(
        &mut b,
        &[logon(at(12, 8, 55), "ws2", "bob", "10.0.0.2", true)],
    );
    assert!(usual.is_empty(), "{usual:#?}");
}
