//! Shared helpers of the integration tests: indicator views and events built by hand.

#![allow(dead_code)]

use vigie_event::{Event, Value};
use vigie_intel::{IndicatorType, IndicatorView, Tlp};

pub fn view(id: i64, kind: IndicatorType, value: &str) -> IndicatorView {
    IndicatorView::active(id, kind, value, Tlp::Green, vec!["fixture".into()])
}

pub fn event(fields: &[(&str, &str)]) -> Event {
    let mut e = Event::default();
    for (name, value) in fields {
        e.push(*name, Value::str(*value));
    }
    e
}
