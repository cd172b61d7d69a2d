//! Fuzzes the MISP import: any bytes as a JSON document through the MISP event reader (events,
//! REST responses, lists of events), and as text through the plain-list and CSV readers; what
//! they read must be in canonical form already, and every problem names a place.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_intel::{Column, Parsed};

fn check(parsed: &Parsed) {
    for r in &parsed.records {
        let again = vigie_intel::normalize(r.kind, &r.value).expect("stored values normalise");
        assert_eq!(again, (r.kind, r.value.clone()));
    }
    for p in &parsed.problems {
        assert!(!p.place.is_empty() && !p.reason.is_empty());
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Ok(events) = vigie_intel::misp_events(&json) {
            let mut parsed = Parsed::default();
            for e in events {
                let _ = vigie_intel::event_id(e);
                vigie_intel::parse_misp_event(e, "fuzz.json", &mut parsed);
            }
            check(&parsed);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        check(&vigie_intel::parse_list(text, "fuzz.txt", None));
    }
    if let Ok(parsed) = vigie_intel::parse_csv(data, "fuzz.csv", &Column::Number(2), None) {
        check(&parsed);
    }
});
