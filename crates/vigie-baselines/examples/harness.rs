//! The baselines measured, not asserted: a deterministic, seeded injection harness over the
//! corpus `security-datasets/` Windows recordings. Run:
//! `cargo run --release -p vigie-baselines --example harness` (`VIGIE_CORPUS`; `--seed N`,
//! `--days N`).
//!
//! Benign history: the recordings last minutes, so weeks are built by replaying their
//! *background* over simulated days. An observation is background when it is ordinary across
//! the lab: a program that at least `COMMON` recordings run, or a logon of an account that at
//! least `COMMON` recordings log on. Each simulated day replays the background of a seeded
//! random half of the recordings, each recording moved to that day (time of day kept), plus
//! a seeded daily outbound volume per host. Injections (the labels), from day `LEARN` on:
//! per detector `PER_KIND` anomalies of its kind, built from the lab's own hosts and users.
//! The lab's accounts log on at all sorts of hours (the recordings were made at different
//! times of day), so each injected logon is placed against the chosen user's own background
//! logons: the unusual-hour one in the middle of the longest stretch of the day in which the
//! user never logs on, the other logons (first host, new source) at the user's busiest time,
//! so that they are unusual only in what they are injected for. An unusual-hour injection
//! is observed by a copy of the baselines, so that the injections at one user's quiet hour
//! do not teach each other (the detector learns an odd time once it recurs on another day).
//! Reported per detector at the default budget: precision, recall, F1 and the delay from
//! the injected event to the alert.
//!
//! ATT&CK recordings: after the same benign history, each recording is replayed whole on the
//! next day against a copy of the baselines. Its technique's own events are its observations
//! that are not background (the tool's programs and their logons). Reported: the share of
//! recordings in which at least one anomaly points at one of them, and the anomalies on
//! background observations per 10,000 events (the false-alarm rate).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::{DateTime, Duration, TimeZone, Timelike, Utc};
use vigie_baselines::{observe, Anomaly, Baselines, Config, Detector, Observation, Observed};
use vigie_hunt::{project, SearchOptions};

/// A program or account is background when this many recordings have it.
const COMMON: usize = 3;
/// Days of history before injections.
const LEARN: i64 = 14;
/// Injections per detector.
const PER_KIND: usize = 20;

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

struct Recording {
    events: u64,
    obs: Vec<Observation>,
}

fn corpus() -> PathBuf {
    std::env::var_os("VIGIE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"))
}

fn key(o: &Observation) -> Option<(u8, String)> {
    match &o.what {
        Observed::Process { image, .. } => Some((0, image.clone())),
        Observed::Logon { user, .. } => Some((1, user.clone())),
        Observed::Outbound { .. } => None,
    }
}

fn on_day(o: &Observation, day: i64, base: DateTime<Utc>) -> Observation {
    let mut x = o.clone();
    let secs = i64::from(o.time.num_seconds_from_midnight());
    x.time = base + Duration::days(day) + Duration::seconds(secs);
    x
}

/// The time of day most of `minutes` are near (the first of the busiest hour); 11:00 if none.
fn busiest(minutes: &[i64]) -> i64 {
    let mut per_hour = [0usize; 24];
    for m in minutes {
        per_hour[(m.rem_euclid(1440) / 60) as usize] += 1;
    }
    let hour = (0..24).max_by_key(|&h| (per_hour[h], std::cmp::Reverse(h)));
    match hour {
        Some(h) if per_hour[h] > 0 => minutes
            .iter()
            .copied()
            .filter(|m| m.rem_euclid(1440) / 60 == h as i64)
            .min()
            .unwrap_or(660),
        _ => 660,
    }
}

/// The middle of the longest stretch of the day without any of `minutes` (round the clock);
/// 03:00 if none.
fn quietest(minutes: &[i64]) -> i64 {
    let mut sorted: Vec<i64> = minutes.iter().map(|m| m.rem_euclid(1440)).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let Some((&first, &last)) = sorted.first().zip(sorted.last()) else {
        return 180;
    };
    // The stretch across midnight, then those between consecutive times.
    let mut best = (first + 1440 - last, last);
    for w in sorted.windows(2) {
        if w[1] - w[0] > best.0 {
            best = (w[1] - w[0], w[0]);
        }
    }
    (best.1 + best.0 / 2).rem_euclid(1440)
}

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let seed = arg("--seed", 20261129);
    let days = arg("--days", 21) as i64;
    let root = corpus().join("security-datasets/datasets/atomic/windows");
    if !root.is_dir() {
        eprintln!(
            "SKIPPED: no corpus at {} (set VIGIE_CORPUS)",
            root.display()
        );
        return;
    }
    let mut zips: Vec<PathBuf> = walk(&root);
    zips.sort();
    let opts = SearchOptions::default();
    let recordings: Vec<Recording> = zips
        .iter()
        .map(|z| {
            let p = project(std::slice::from_ref(z), &opts, &(), observe);
            Recording {
                events: p.events,
                obs: p.items,
            }
        })
        .collect();
    // Background: what at least COMMON recordings have.
    let mut seen_in: BTreeMap<(u8, String), BTreeSet<usize>> = BTreeMap::new();
    for (i, r) in recordings.iter().enumerate() {
        for o in &r.obs {
            if let Some(k) = key(o) {
                seen_in.entry(k).or_default().insert(i);
            }
        }
    }
    let background = |o: &Observation| {
        key(o).is_some_and(|k| seen_in.get(&k).is_some_and(|s| s.len() >= COMMON))
    };
    let hosts: Vec<String> = recordings
        .iter()
        .flat_map(|r| {
            r.obs
                .iter()
                .filter(|o| background(o))
                .map(|o| o.host.clone())
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let users: Vec<String> = seen_in
        .iter()
        .filter(|((kind, _), s)| *kind == 1 && s.len() >= COMMON)
        .map(|((_, u), _)| u.clone())
        .collect();
    let programs: Vec<String> = seen_in
        .iter()
        .filter(|((kind, _), s)| *kind == 0 && s.len() >= COMMON)
        .map(|((_, p), _)| p.clone())
        .collect();
    // Each user's background logon times (minutes after midnight) and hosts.
    let mut logon_minutes: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    let mut logon_hosts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &recordings {
        for o in r.obs.iter().filter(|o| background(o)) {
            if let Observed::Logon {
                user,
                success: true,
                ..
            } = &o.what
            {
                let m = i64::from(o.time.hour()) * 60 + i64::from(o.time.minute());
                logon_minutes.entry(user.clone()).or_default().push(m);
                let hosts = logon_hosts.entry(user.clone()).or_default();
                if !hosts.contains(&o.host) {
                    hosts.push(o.host.clone());
                }
            }
        }
    }
    let base = Utc
        .with_ymd_and_hms(2026, 1, 5, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let mut rng = Rng(seed);

    // Benign history and the daily volumes.
    let mut stream: Vec<(Observation, Option<usize>)> = Vec::new();
    let mut benign_events = 0u64;
    for day in 0..days {
        for r in &recordings {
            if rng.below(2) == 0 {
                continue;
            }
            benign_events += r.events;
            for o in r.obs.iter().filter(|o| background(o)) {
                stream.push((on_day(o, day, base), None));
            }
        }
        for h in &hosts {
            let bytes = 80_000_000 + rng.below(60_000_000) as u64;
            let t = base + Duration::days(day) + Duration::hours(12);
            stream.push((obs(t, h, Observed::Outbound { bytes }), None));
        }
    }
    // Injections.
    let mut injected: Vec<(Detector, DateTime<Utc>)> = Vec::new();
    // The rest of each burst: part of its injection.
    let mut extra: Vec<(Observation, usize)> = Vec::new();
    for n in 0..PER_KIND {
        let day = LEARN + rng.below((days - LEARN).max(1) as usize) as i64;
        let t =
            |h: i64, m: i64| base + Duration::days(day) + Duration::hours(h) + Duration::minutes(m);
        let host = rng.pick(&hosts).clone();
        let user = if users.is_empty() {
            "nobody".to_owned()
        } else {
            rng.pick(&users).clone()
        };
        // Logons injected for another reason than a first logon go to a host the user
        // already logs on to.
        let own_host = logon_hosts
            .get(&user)
            .filter(|h| !h.is_empty())
            .map_or_else(|| host.clone(), |h| rng.pick(h).clone());
        let minutes = logon_minutes.get(&user).map(Vec::as_slice).unwrap_or(&[]);
        let (busy, quiet) = (busiest(minutes), quietest(minutes));
        let at = |minute: i64| t(minute / 60, minute % 60);
        let mut add = |d: Detector, o: Observation| -> usize {
            injected.push((d, o.time));
            stream.push((o, Some(injected.len() - 1)));
            injected.len() - 1
        };
        add(
            Detector::RareProcess,
            obs(
                t(10, 7),
                &host,
                Observed::Process {
                    image: format!("tool{n}-{}.exe", rng.next() % 10_000),
                    user: None,
                },
            ),
        );
        let fresh_host = format!("newhost{n}");
        add(
            Detector::FirstLogonToHost,
            obs(
                at(busy),
                &fresh_host,
                Observed::Logon {
                    user: user.clone(),
                    source_ip: None,
                    success: true,
                },
            ),
        );
        add(
            Detector::NewSourceForUser,
            obs(
                at(busy + 2),
                &own_host,
                Observed::Logon {
                    user: user.clone(),
                    source_ip: Some(format!("203.0.113.{}", 1 + n)),
                    success: true,
                },
            ),
        );
        add(
            Detector::UnusualHour,
            obs(
                at(quiet),
                &own_host,
                Observed::Logon {
                    user: user.clone(),
                    source_ip: None,
                    success: true,
                },
            ),
        );
        let mut burst = None;
        for k in 0..12 {
            let o = obs(
                t(2, 0) + Duration::seconds(k * 7),
                &host,
                Observed::Logon {
                    user: format!("target{n}"),
                    source_ip: Some("198.51.100.7".into()),
                    success: false,
                },
            );
            match burst {
                None => burst = Some(add(Detector::FailedLogonBurst, o)),
                Some(i) => extra.push((o, i)),
            }
        }
        add(
            Detector::OutboundSpike,
            obs(
                t(13, 0),
                &host,
                Observed::Outbound {
                    bytes: 2_000_000_000 + rng.below(1_000_000_000) as u64,
                },
            ),
        );
    }
    stream.extend(extra.into_iter().map(|(o, i)| (o, Some(i))));
    stream.sort_by_key(|(o, _)| o.time);

    let config = Config::default();
    let mut b = Baselines::default();
    let mut found: Vec<(Anomaly, Option<usize>)> = Vec::new();
    for (o, label) in &stream {
        let mut out = Vec::new();
        let kind = label.and_then(|i| injected.get(i)).map(|(k, _)| *k);
        if kind == Some(Detector::UnusualHour) {
            // Seen by a copy: the injections at one user's quiet hour must not teach each
            // other (an odd time that recurs on another day is learnt, by design).
            b.clone().observe(o, &config, &mut out);
        } else {
            b.observe(o, &config, &mut out);
        }
        found.extend(out.into_iter().map(|a| (a, *label)));
    }
    println!("seed {seed}; {} recordings; {days} simulated days ({LEARN} of history before injections), {benign_events} benign events replayed, {} observations; hosts {}, users {}, background programs {}", recordings.len(), stream.len(), hosts.len(), users.len(), programs.len());
    println!("\n| detector | injected | alerts | precision | recall | F1 | median delay |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for d in Detector::ALL {
        let want = injected.iter().filter(|(k, _)| *k == d).count();
        if want == 0 {
            continue;
        }
        let alerts: Vec<&(Anomaly, Option<usize>)> =
            found.iter().filter(|(a, _)| a.detector == d).collect();
        // An alert is true when the observation it came on belongs to an injection of its
        // own kind; its delay runs from the injection's first event.
        let mut hit: BTreeMap<usize, i64> = BTreeMap::new();
        let mut fp = 0;
        for (a, label) in &alerts {
            match label.and_then(|i| injected.get(i).map(|x| (i, x))) {
                Some((i, (k, t))) if *k == d => {
                    hit.entry(i).or_insert((a.time - *t).num_seconds());
                }
                _ => fp += 1,
            }
        }
        let tp = hit.len();
        let p = if alerts.is_empty() {
            0.0
        } else {
            (alerts.len() - fp) as f64 / alerts.len() as f64
        };
        let r = tp as f64 / want as f64;
        let f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        let mut delays: Vec<i64> = hit.values().copied().collect();
        delays.sort();
        let delay = delays
            .get(delays.len() / 2)
            .map_or("-".to_owned(), |d| format!("{d} s"));
        println!(
            "| {} | {want} | {} | {p:.3} | {r:.3} | {f1:.3} | {delay} |",
            d.as_str(),
            alerts.len()
        );
    }
    let unlabelled = found.iter().filter(|(_, l)| l.is_none()).count();
    println!(
        "\nanomalies on benign (not injected) observations: {unlabelled} over {days} days, {:.2} per 10,000 benign events replayed",
        10_000.0 * unlabelled as f64 / benign_events.max(1) as f64
    );
    let suppressed: usize = b.suppressed().values().sum();
    println!(
        "\n(budget {} per detector per day; {suppressed} alerts over it, not shown)",
        config.budget_per_detector_per_day
    );

    // ATT&CK recordings replayed on the day after the history.
    let mut history = Baselines::default();
    let mut sink = Vec::new();
    for (o, label) in &stream {
        if label.is_none() && o.time < base + Duration::days(LEARN) {
            history.observe(o, &config, &mut sink);
        }
    }
    let mut pointed = 0;
    let mut with_own = 0;
    let mut false_alarms = 0usize;
    let mut events = 0u64;
    for r in &recordings {
        let mut b = history.clone();
        let mut out = Vec::new();
        let own: Vec<bool> = r.obs.iter().map(|o| !background(o)).collect();
        if own.iter().any(|x| *x) {
            with_own += 1;
        }
        let mut on_own = false;
        for (o, is_own) in r.obs.iter().zip(&own) {
            let before = out.len();
            b.observe(&on_day(o, LEARN, base), &config, &mut out);
            if out.len() > before {
                if *is_own {
                    on_own = true;
                } else {
                    false_alarms += out.len() - before;
                }
            }
        }
        events += r.events;
        if on_own {
            pointed += 1;
        }
    }
    println!(
        "\nATT&CK recordings: {pointed} of {with_own} recordings with technique events ({:.1}%) have an anomaly on them; {} recordings in all; anomalies on background observations: {false_alarms} in {events} events = {:.2} per 10,000 events",
        100.0 * pointed as f64 / with_own.max(1) as f64,
        recordings.len(),
        10_000.0 * false_alarms as f64 / events.max(1) as f64
    );
}

fn obs(time: DateTime<Utc>, host: &str, what: Observed) -> Observation {
    Observation {
        time,
        host: host.to_owned(),
        what,
        source: "harness".into(),
        record_id: 0,
    }
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else if p.extension().is_some_and(|x| x == "zip") {
                out.push(p);
            }
        }
    }
    out
}
