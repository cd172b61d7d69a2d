//! What the detectors read of an event: a logon (success or failure), a process start, or
//! outbound traffic, projected from Windows Security / Sysmon, Linux auth and ECS / Zeek
//! field names. Everything else is ignored.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use regex::Regex;
use vigie_event::{Event, Value};

/// One event as the baselines see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub time: DateTime<Utc>,
    /// Host names are compared in lower case.
    pub host: String,
    pub what: Observed,
    /// Where it came from: file and record, for the analyst.
    pub source: String,
    pub record_id: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    Logon {
        user: String,
        source_ip: Option<String>,
        success: bool,
    },
    Process {
        /// The executable's file name, lower case.
        image: String,
        user: Option<String>,
    },
    /// Bytes the host sent out.
    Outbound { bytes: u64 },
}

fn text(event: &Event, names: &[&str]) -> Option<String> {
    let v = event.get_any(names)?;
    let t = v.to_text()?;
    let t = t.trim();
    (!t.is_empty() && t != "-").then(|| t.to_owned())
}

fn number(event: &Event, names: &[&str]) -> Option<u64> {
    names.iter().find_map(|n| match event.get(n)? {
        Value::Int(i) => u64::try_from(*i).ok(),
        Value::Float(f) if *f >= 0.0 => Some(*f as u64),
        v => v.to_text()?.trim().parse().ok(),
    })
}

fn host(event: &Event) -> Option<String> {
    let h = text(
        event,
        &["Computer", "host.name", "hostname", "host", "ComputerName"],
    )?;
    // A fully qualified Windows name is known by its first label.
    let short = h.split('.').next().unwrap_or(&h);
    Some(short.to_lowercase())
}

fn event_id(event: &Event) -> Option<i64> {
    event
        .get_any(&["EventID", "winlog.event_id", "event.code"])
        .and_then(Value::as_f64)
        .map(|f| f as i64)
}

fn basename(path: &str) -> String {
    path.rsplit(['\\', '/'])
        .next()
        .unwrap_or(path)
        .to_lowercase()
}

/// Accounts that are not people: machine accounts and Windows' own.
fn is_service_account(user: &str) -> bool {
    let u = user.to_ascii_lowercase();
    u.ends_with('$')
        || matches!(
            u.as_str(),
            "system" | "local service" | "network service" | "anonymous logon" | "dwm-1" | "umfd-0"
        )
        || u.starts_with("dwm-")
        || u.starts_with("umfd-")
}

fn sshd() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(Accepted|Failed) (?:password|publickey|keyboard-interactive/pam) for (?:invalid user )?(\S+) from (\S+)",
        )
        .ok()
    })
    .as_ref()
}

/// The observation an event makes, if it is one the detectors read.
pub fn observe(source: &str, event: &Event) -> Option<Observation> {
    let time = event.timestamp?;
    let host = host(event)?;
    let what = match event_id(event) {
        Some(4624) | Some(4625) => {
            let user = text(event, &["TargetUserName"])?;
            if is_service_account(&user) {
                return None;
            }
            Observed::Logon {
                user: user.to_lowercase(),
                source_ip: text(event, &["IpAddress"])
                    .filter(|ip| ip != "127.0.0.1" && ip != "::1"),
                success: event_id(event) == Some(4624),
            }
        }
        Some(1) | Some(4688) => {
            let image = text(event, &["Image", "NewProcessName"])?;
            Observed::Process {
                image: basename(&image),
                user: text(event, &["User", "SubjectUserName"]).map(|u| u.to_lowercase()),
            }
        }
        _ => {
            if let Some(bytes) = number(
                event,
                &[
                    "source.bytes",
                    "client.bytes",
                    "orig_bytes",
                    "bytes_out",
                    "SentBytes",
                    "sent_bytes",
                    "BytesSent",
                ],
            ) {
                Observed::Outbound { bytes }
            } else if let Some(m) = text(event, &["message"])
                .filter(|_| text(event, &["program"]).as_deref() == Some("sshd"))
            {
                let c = sshd()?.captures(&m)?;
                Observed::Logon {
                    user: c[2].to_lowercase(),
                    source_ip: Some(c[3].to_owned()),
                    success: &c[1] == "Accepted",
                }
            } else {
                return None;
            }
        }
    };
    Some(Observation {
        time,
        host,
        what,
        source: source.to_owned(),
        record_id: event.record_id,
    })
}
