//! An anomaly: which detector, about what, when, and the sentence that explains it with the
//! baseline's figures.

use chrono::{DateTime, Utc};

/// The detectors, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Detector {
    /// A process no watched host ever ran.
    RareProcess,
    /// A process known elsewhere, new on this host.
    NewProcessOnHost,
    /// A user's first logon to a host.
    FirstLogonToHost,
    /// A user's first logon from a source address.
    NewSourceForUser,
    /// A logon outside the user's usual times of day.
    UnusualHour,
    /// Many failed logons for one account in a short time.
    FailedLogonBurst,
    /// A host sending far more out than on its usual days.
    OutboundSpike,
}

impl Detector {
    pub const ALL: [Detector; 7] = [
        Detector::RareProcess,
        Detector::NewProcessOnHost,
        Detector::FirstLogonToHost,
        Detector::NewSourceForUser,
        Detector::UnusualHour,
        Detector::FailedLogonBurst,
        Detector::OutboundSpike,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Detector::RareProcess => "rare_process",
            Detector::NewProcessOnHost => "new_process_on_host",
            Detector::FirstLogonToHost => "first_logon_to_host",
            Detector::NewSourceForUser => "new_source_for_user",
            Detector::UnusualHour => "unusual_hour",
            Detector::FailedLogonBurst => "failed_logon_burst",
            Detector::OutboundSpike => "outbound_spike",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Anomaly {
    pub time: DateTime<Utc>,
    pub detector: Detector,
    pub host: String,
    pub user: Option<String>,
    /// What is new or unusual (a process, a source address, a number of bytes...).
    pub subject: String,
    /// What was seen, against which baseline, with the figures.
    pub explanation: String,
    pub source: String,
    pub record_id: u64,
}
