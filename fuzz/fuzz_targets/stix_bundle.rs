//! Fuzzes the STIX import: any bytes as a JSON document through the STIX reader (bundles,
//! envelopes, lists, TAXII data files); whatever it reads must be in canonical form already
//! (normalising a stored value again gives the same value), and every problem names a place.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(parsed) = vigie_intel::parse_stix(&json, "fuzz.json") {
        for r in &parsed.records {
            let again = vigie_intel::normalize(r.kind, &r.value).expect("stored values normalise");
            assert_eq!(again, (r.kind, r.value.clone()));
        }
        for p in &parsed.problems {
            assert!(!p.place.is_empty() && !p.reason.is_empty());
        }
    }
});
