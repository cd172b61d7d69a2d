//! Fuzzes the OSV path: any bytes read as a JSON and as a YAML record; a record that parses must
//! write back as JSON that parses to the same record, and evaluating every package it names,
//! at every version its events and lists name, must answer without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_osv::{affects, parse, range_verdict, Format};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Json, Format::Yaml] {
        let Ok(record) = parse("fuzz", data, format) else {
            continue;
        };
        let json = serde_json::to_string(&record).expect("a record writes as JSON");
        let again = parse("fuzz.json", json.as_bytes(), Format::Json).expect("written JSON reads");
        assert_eq!(record, again);
        for entry in &record.affected {
            let Some(package) = &entry.package else {
                continue;
            };
            let versions = entry
                .ranges
                .iter()
                .flat_map(|r| r.events.iter().map(|e| e.version()))
                .chain(entry.versions.iter().map(String::as_str))
                .chain(["0", "1.0.0", ""]);
            for v in versions.take(64) {
                let _ = affects(&record, &package.ecosystem, &package.name, v);
                for r in &entry.ranges {
                    let _ = range_verdict(r, &package.ecosystem, v);
                }
            }
        }
    }
});
