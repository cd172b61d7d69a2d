//! What the detectors read of events: Windows logons and failures, Sysmon and Security
//! process starts, Linux sshd lines, and outbound bytes; machine accounts and other events
//! are left out.

use vigie_baselines::{observe, Observed};
use vigie_event::{Event, Value};

fn event(fields: &[(&str, Value)]) -> Event {
    let mut e = Event::default();
    for (k, v) in fields {
        e.push(*k, v.clone());
    }
    e.timestamp = chrono::DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
        .ok()
        .map(|t| t.to_utc());
    e
}

fn s(v: &str) -> Value {
    Value::str(v)
}

#[test]
fn projections() {
    let logon = event(&[
        ("EventID", Value::Int(4624)),
        ("Computer", s("SRV-FICHIERS-01.andp.gouv.local")),
        ("TargetUserName", s("L.Moreau")),
        ("IpAddress", s("10.20.4.55")),
    ]);
    let o = observe("f", &logon).expect("a logon");
    assert_eq!(o.host, "srv-fichiers-01");
    assert_eq!(
        o.what,
        Observed::Logon {
            user: "l.moreau".into(),
            source_ip: Some("10.20.4.55".into()),
            success: true
        }
    );
    let machine = event(&[
        ("EventID", Value::Int(4624)),
        ("Computer", s("DC1")),
        ("TargetUserName", s("WS-07$")),
    ]);
    assert!(observe("f", &machine).is_none());
    let sysmon = event(&[
        ("EventID", Value::Int(1)),
        ("Computer", s("WS-07")),
        (
            "Image",
            s("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.exe"),
        ),
        ("User", s("ANDP\\alice")),
    ]);
    assert_eq!(
        observe("f", &sysmon).expect("a process").what,
        Observed::Process {
            image: "powershell.exe".into(),
            user: Some("andp\\alice".into())
        }
    );
    let ssh = event(&[
        ("host", s("srv-web-02")),
        ("program", s("sshd")),
        (
            "message",
            s("Failed password for invalid user admin from 192.0.2.200 port 40022 ssh2"),
        ),
    ]);
    assert_eq!(
        observe("f", &ssh).expect("an ssh failure").what,
        Observed::Logon {
            user: "admin".into(),
            source_ip: Some("192.0.2.200".into()),
            success: false
        }
    );
    let flow = event(&[
        ("host.name", s("ws-07")),
        ("source.bytes", Value::Int(1234)),
    ]);
    assert_eq!(
        observe("f", &flow).expect("traffic").what,
        Observed::Outbound { bytes: 1234 }
    );
    let other = event(&[("EventID", Value::Int(4672)), ("Computer", s("DC1"))]);
    assert!(observe("f", &other).is_none());
}
