//! Shared helpers of the integration tests: indicator views and events built by hand.

#![allow(dead_code)]

use vigie_event::{Event, Value};
use vigie_intel::{IndicatorType, IndicatorView, Status, Tlp};

pub fn view(id: i64, kind: IndicatorType, value: &str) -> IndicatorView {
    IndicatorView {
        id,
        kind,
        value: value.into(),
        tlp: Tlp::Green,
        confidence: None,
        to_ids: true,
        status: Status::Active,
        valid_from: None,
        valid_until: None,
        first_seen: String::new(),
        last_seen: String::new(),
        sources: vec!["fixture".into()],
    }
}

pub fn event(fields: &[(&str, &str)]) -> Event {
    let mut e = Event::default();
    for (name, value) in fields {
        e.push(*name, Value::str(*value));
    }
    e
}
