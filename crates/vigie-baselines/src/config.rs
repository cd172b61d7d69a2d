//! The detectors' settings: learning period, thresholds and the alert budget. One global
//! configuration (JSON or TOML in the CLI); every field has a default.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Days an entity (host, user) must have been watched before its novelties are anomalies.
    pub learning_days: i64,
    /// Rare process: it has run on no other host, and at least this many hosts are watched.
    pub rare_min_hosts: usize,
    /// Unusual hour: the user's logons of the last `hour_window_days` days (at least
    /// `hour_min_logons` of them) are the user's time-of-day profile; a logon more than
    /// `hour_margin_minutes` from every one of them (round the clock) is unusual.
    pub hour_window_days: i64,
    pub hour_min_logons: usize,
    pub hour_margin_minutes: i64,
    /// Failed-logon burst: this many failures for one account within the window.
    pub failed_burst: usize,
    pub failed_window_seconds: i64,
    /// Outbound spike: a host's bytes out in a day above median + k × MAD (scaled to a
    /// standard deviation) of its previous days, and above the floor; needs this many days.
    pub bytes_min_days: usize,
    pub bytes_history_days: usize,
    pub bytes_mad_k: f64,
    pub bytes_floor: u64,
    /// Most anomalies per detector per day; the rest are counted, not shown.
    pub budget_per_detector_per_day: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            learning_days: 7,
            rare_min_hosts: 3,
            hour_window_days: 30,
            hour_min_logons: 10,
            hour_margin_minutes: 60,
            failed_burst: 10,
            failed_window_seconds: 300,
            bytes_min_days: 7,
            bytes_history_days: 30,
            bytes_mad_k: 6.0,
            bytes_floor: 500_000_000,
            budget_per_detector_per_day: 20,
        }
    }
}
