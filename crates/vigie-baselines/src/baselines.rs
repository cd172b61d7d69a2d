//! The per-entity baselines and the detectors that read them, one observation at a time in
//! time order. The state is plain data (sorted maps, so that output and saved state are
//! deterministic), saved as JSON between runs.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use chrono::{DateTime, TimeZone, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::anomaly::{Anomaly, Detector};
use crate::config::Config;
use crate::observation::{Observation, Observed};

/// Version of the saved state's layout.
const STATE_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{file}: not a saved baseline state: {reason}")]
    BadState { file: String, reason: String },
    #[error("{file}: baseline state version {found}, this Vigie reads version {STATE_VERSION}")]
    Version { file: String, found: u32 },
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct HostState {
    first_day: i64,
    processes: BTreeSet<String>,
    /// Bytes out per closed day (day number, bytes), oldest first.
    bytes_days: VecDeque<(i64, u64)>,
    /// The day being counted.
    today: Option<(i64, u64)>,
    spike_reported: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct UserState {
    first_day: i64,
    logons: u64,
    hosts: BTreeSet<String>,
    sources: BTreeSet<String>,
    /// (day, minute of the day) of recent successful logons, oldest first.
    times: VecDeque<(i64, i64)>,
    /// Unusual logon times not learnt yet: one becomes usual when another day has a logon
    /// within the margin of it.
    #[serde(default)]
    pending: Vec<(i64, i64)>,
    /// Unix seconds of recent failed logons.
    failures: VecDeque<i64>,
    burst_quiet_until: i64,
}

/// Everything learnt so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baselines {
    version: u32,
    hosts: BTreeMap<String, HostState>,
    users: BTreeMap<String, UserState>,
    /// Per process: the hosts that ran it.
    process_hosts: BTreeMap<String, BTreeSet<String>>,
    #[serde(skip)]
    shown: BTreeMap<(Detector, i64), usize>,
    #[serde(skip)]
    suppressed: BTreeMap<Detector, usize>,
}

impl Default for Baselines {
    fn default() -> Baselines {
        Baselines {
            version: STATE_VERSION,
            hosts: BTreeMap::new(),
            users: BTreeMap::new(),
            process_hosts: BTreeMap::new(),
            shown: BTreeMap::new(),
            suppressed: BTreeMap::new(),
        }
    }
}

fn day_of(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(86_400)
}

fn date(day: i64) -> String {
    Utc.timestamp_opt(day * 86_400, 0)
        .single()
        .map_or_else(|| day.to_string(), |t| t.format("%Y-%m-%d").to_string())
}

/// Minutes between two times of day, round the clock (23:50 and 00:10 are 20 apart).
fn clock_distance(a: i64, b: i64) -> i64 {
    let d = (a - b).rem_euclid(MINUTES_A_DAY);
    d.min(MINUTES_A_DAY - d)
}

const MINUTES_A_DAY: i64 = 24 * 60;

/// The times of day `minutes` cover, as ranges (`08:40-12:10`): times at most `join` apart
/// are one range, across midnight too.
fn usual_ranges(minutes: impl Iterator<Item = i64>, join: i64) -> Vec<String> {
    let mut sorted: Vec<i64> = minutes.collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut ranges: Vec<(i64, i64)> = Vec::new();
    for m in sorted {
        match ranges.last_mut() {
            Some((_, end)) if m - *end <= join => *end = m,
            _ => ranges.push((m, m)),
        }
    }
    if ranges.len() > 1 {
        let (first, last) = (ranges[0], ranges[ranges.len() - 1]);
        if first.0 + MINUTES_A_DAY - last.1 <= join {
            ranges.pop();
            ranges[0] = (last.0, first.1);
            ranges.rotate_left(1);
        }
    }
    ranges
        .into_iter()
        .map(|(a, b)| {
            if a == b {
                hhmm(a)
            } else {
                format!("{}-{}", hhmm(a), hhmm(b))
            }
        })
        .collect()
}

fn hhmm(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn list(items: impl IntoIterator<Item = impl AsRef<str>>, max: usize) -> String {
    let all: Vec<String> = items.into_iter().map(|s| s.as_ref().to_owned()).collect();
    let shown = all.iter().take(max).cloned().collect::<Vec<_>>().join(", ");
    if all.len() > max {
        format!("{shown} and {} more", all.len() - max)
    } else {
        shown
    }
}

/// Bytes as people read them.
pub fn human_bytes(b: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = b;
    let mut u = 0;
    while v >= 1000.0 && u < UNITS.len() - 1 {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{v:.0} {}", UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

/// A host's baseline, started on `day` when it is new.
fn host_state<'a>(
    hosts: &'a mut BTreeMap<String, HostState>,
    host: &str,
    day: i64,
) -> &'a mut HostState {
    hosts.entry(host.to_owned()).or_insert_with(|| HostState {
        first_day: day,
        ..Default::default()
    })
}

impl Baselines {
    /// Reads a saved state; `file` names it in errors.
    pub fn from_json(text: &str, file: &str) -> Result<Baselines, BaselineError> {
        let b: Baselines = serde_json::from_str(text).map_err(|e| BaselineError::BadState {
            file: file.to_owned(),
            reason: e.to_string(),
        })?;
        if b.version != STATE_VERSION {
            return Err(BaselineError::Version {
                file: file.to_owned(),
                found: b.version,
            });
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Hosts and users with a baseline.
    pub fn entities(&self) -> (usize, usize) {
        (self.hosts.len(), self.users.len())
    }

    /// Anomalies left out by the budget, per detector.
    pub fn suppressed(&self) -> &BTreeMap<Detector, usize> {
        &self.suppressed
    }

    fn emit(&mut self, a: Anomaly, config: &Config, out: &mut Vec<Anomaly>) {
        let shown = self.shown.entry((a.detector, day_of(a.time))).or_insert(0);
        if *shown < config.budget_per_detector_per_day {
            *shown += 1;
            out.push(a);
        } else {
            *self.suppressed.entry(a.detector).or_insert(0) += 1;
        }
    }

    /// Reads one observation (in time order): anomalies against what was learnt before it
    /// go to `out`, then it is learnt.
    pub fn observe(&mut self, obs: &Observation, config: &Config, out: &mut Vec<Anomaly>) {
        let anomaly =
            |detector, user: Option<&str>, subject: String, explanation: String| Anomaly {
                time: obs.time,
                detector,
                host: obs.host.clone(),
                user: user.map(str::to_owned),
                subject,
                explanation,
                source: obs.source.clone(),
                record_id: obs.record_id,
            };
        let day = day_of(obs.time);
        match &obs.what {
            Observed::Process { image, user } => {
                let watched = self.hosts.len() + usize::from(!self.hosts.contains_key(&obs.host));
                let host = host_state(&mut self.hosts, &obs.host, day);
                if host.processes.contains(image) {
                    return;
                }
                let learned = day - host.first_day >= config.learning_days;
                let since = date(host.first_day);
                let known_here = host.processes.len();
                host.processes.insert(image.clone());
                let others: Vec<String> = self
                    .process_hosts
                    .get(image)
                    .map(|h| h.iter().filter(|x| **x != obs.host).cloned().collect())
                    .unwrap_or_default();
                self.process_hosts
                    .entry(image.clone())
                    .or_default()
                    .insert(obs.host.clone());
                if !learned {
                    return;
                }
                let by = user
                    .as_deref()
                    .map_or(String::new(), |u| format!(" as {u}"));
                let a = if others.is_empty() && watched >= config.rare_min_hosts {
                    anomaly(
                        Detector::RareProcess,
                        user.as_deref(),
                        image.clone(),
                        format!(
                            "{image} ran on {}{by}; none of the {watched} watched hosts ever ran it \
                             ({} has run {known_here} distinct programs since {since})",
                            obs.host, obs.host
                        ),
                    )
                } else {
                    let elsewhere = if others.is_empty() {
                        format!("no other of the {watched} watched hosts runs it either")
                    } else {
                        format!(
                            "it runs on {} other host{} ({})",
                            others.len(),
                            if others.len() == 1 { "" } else { "s" },
                            list(&others, 3)
                        )
                    };
                    anomaly(
                        Detector::NewProcessOnHost,
                        user.as_deref(),
                        image.clone(),
                        format!(
                            "{image} ran on {}{by} for the first time; {} has run {known_here} \
                             distinct programs since {since}; {elsewhere}",
                            obs.host, obs.host
                        ),
                    )
                };
                self.emit(a, config, out);
            }
            Observed::Logon {
                user,
                source_ip,
                success: true,
            } => {
                let minute = i64::from(obs.time.hour()) * 60 + i64::from(obs.time.minute());
                let u = self.users.entry(user.clone()).or_insert_with(|| UserState {
                    first_day: day,
                    ..Default::default()
                });
                let learned = day - u.first_day >= config.learning_days;
                let since = date(u.first_day);
                let mut found = Vec::new();
                if learned && !u.hosts.contains(&obs.host) {
                    found.push(anomaly(
                        Detector::FirstLogonToHost,
                        Some(user),
                        obs.host.clone(),
                        format!(
                            "{user} logged on to {} for the first time; since {since} {user}'s {} \
                             logons were to {}",
                            obs.host,
                            u.logons,
                            list(&u.hosts, 5)
                        ),
                    ));
                }
                if let Some(ip) = source_ip {
                    if learned && !u.sources.contains(ip) && !u.sources.is_empty() {
                        found.push(anomaly(
                            Detector::NewSourceForUser,
                            Some(user),
                            ip.clone(),
                            format!(
                                "{user} logged on to {} from {ip}, never seen for {user}; since \
                                 {since} {user}'s logons came from {}",
                                obs.host,
                                list(&u.sources, 5)
                            ),
                        ));
                    }
                }
                let cutoff = day - config.hour_window_days;
                while u.times.front().is_some_and(|(d, _)| *d <= cutoff) {
                    u.times.pop_front();
                }
                u.pending.retain(|(d, _)| *d > cutoff);
                let mut usual = true;
                if learned && u.times.len() >= config.hour_min_logons {
                    let margin = config.hour_margin_minutes;
                    let nearest = u
                        .times
                        .iter()
                        .map(|(_, m)| clock_distance(*m, minute))
                        .min()
                        .unwrap_or(0);
                    if nearest > margin {
                        usual = false;
                        let ranges = usual_ranges(u.times.iter().map(|(_, m)| *m), 2 * margin);
                        found.push(anomaly(
                            Detector::UnusualHour,
                            Some(user),
                            hhmm(minute),
                            format!(
                                "{user} logged on to {} at {}; {user}'s {} logons in the last {} \
                                 days were {}",
                                obs.host,
                                hhmm(minute),
                                u.times.len(),
                                config.hour_window_days,
                                list(ranges, 6)
                            ),
                        ));
                    }
                }
                u.logons += 1;
                u.hosts.insert(obs.host.clone());
                if let Some(ip) = source_ip {
                    u.sources.insert(ip.clone());
                }
                // An unusual time is learnt only once it recurs on another day (with the earlier
                // one), so that one odd night does not widen the profile at once.
                let margin = config.hour_margin_minutes;
                let recurs =
                    |(d, m): &(i64, i64)| *d != day && clock_distance(*m, minute) <= margin;
                if usual {
                    u.times.push_back((day, minute));
                } else if u.pending.iter().any(recurs) {
                    let (confirmed, rest): (Vec<_>, Vec<_>) = u.pending.drain(..).partition(recurs);
                    u.pending = rest;
                    u.times.extend(confirmed);
                    u.times.push_back((day, minute));
                    u.times.make_contiguous().sort_unstable();
                } else {
                    u.pending.push((day, minute));
                }
                for a in found {
                    self.emit(a, config, out);
                }
            }
            Observed::Logon {
                user,
                source_ip,
                success: false,
            } => {
                let now = obs.time.timestamp();
                let u = self.users.entry(user.clone()).or_insert_with(|| UserState {
                    first_day: day,
                    ..Default::default()
                });
                u.failures.push_back(now);
                while u
                    .failures
                    .front()
                    .is_some_and(|t| *t <= now - config.failed_window_seconds)
                {
                    u.failures.pop_front();
                }
                if u.failures.len() >= config.failed_burst && now >= u.burst_quiet_until {
                    u.burst_quiet_until = now + config.failed_window_seconds;
                    let first = u.failures.front().copied().unwrap_or(now);
                    let from = source_ip
                        .as_deref()
                        .map_or(String::new(), |ip| format!(", the last from {ip}"));
                    let at = |t: i64| {
                        Utc.timestamp_opt(t, 0)
                            .single()
                            .map_or_else(String::new, |x| x.format("%H:%M:%S").to_string())
                    };
                    let a = anomaly(
                        Detector::FailedLogonBurst,
                        Some(user),
                        format!("{} failures", u.failures.len()),
                        format!(
                            "{} failed logons for {user} on {} between {} and {} (threshold: {} \
                             within {} s){from}",
                            u.failures.len(),
                            obs.host,
                            at(first),
                            at(now),
                            config.failed_burst,
                            config.failed_window_seconds
                        ),
                    );
                    self.emit(a, config, out);
                }
            }
            Observed::Outbound { bytes } => {
                let host = host_state(&mut self.hosts, &obs.host, day);
                match host.today {
                    Some((d, total)) if d != day => {
                        host.bytes_days.push_back((d, total));
                        while host.bytes_days.len() > config.bytes_history_days {
                            host.bytes_days.pop_front();
                        }
                        host.today = Some((day, 0));
                    }
                    None => host.today = Some((day, 0)),
                    _ => {}
                }
                let total = host.today.map_or(0, |(_, t)| t).saturating_add(*bytes);
                host.today = Some((day, total));
                if host.spike_reported == Some(day) || host.bytes_days.len() < config.bytes_min_days
                {
                    return;
                }
                let days = sorted(host.bytes_days.iter().map(|(_, b)| *b as f64).collect());
                let med = median(&days);
                let mad = median(&sorted(days.iter().map(|b| (b - med).abs()).collect()));
                let limit =
                    (med + config.bytes_mad_k * 1.4826 * mad).max(config.bytes_floor as f64);
                if (total as f64) > limit {
                    host.spike_reported = Some(day);
                    let a = anomaly(
                        Detector::OutboundSpike,
                        None,
                        human_bytes(total as f64),
                        format!(
                            "{} sent {} out on {} by {}; over its last {} days its daily total \
                             was {} (median), MAD {}; the limit is {}",
                            obs.host,
                            human_bytes(total as f64),
                            date(day),
                            obs.time.format("%H:%M"),
                            days.len(),
                            human_bytes(med),
                            human_bytes(mad),
                            human_bytes(limit)
                        ),
                    );
                    self.emit(a, config, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{clock_distance, usual_ranges};

    #[test]
    fn times_of_day_round_the_clock() {
        assert_eq!(clock_distance(23 * 60 + 50, 10), 20);
        assert_eq!(clock_distance(10, 23 * 60 + 50), 20);
        assert_eq!(clock_distance(8 * 60, 17 * 60), 9 * 60);
        let r = |m: &[i64]| usual_ranges(m.iter().copied(), 120);
        assert_eq!(r(&[510, 560, 1030]), ["08:30-09:20", "17:10"]);
        // Across midnight: 23:30 and 00:40 are one range, shown where it starts.
        assert_eq!(r(&[40, 600, 1410]), ["10:00", "23:30-00:40"]);
        assert_eq!(r(&[]), Vec::<String>::new());
    }
}
