//! Fuzzes the CVSS path: any text through the vector parser and, for a vector that parses, the
//! scoring of its version; scores stay within 0.0-10.0 and the canonical form parses back to the
//! same vector with the same scores.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(vector) = vigie_cvss::Vector::parse(text) {
            let scores = vector.scores();
            assert!(scores.base.tenths() <= 100);
            let again = vigie_cvss::Vector::parse(&vector.to_string()).expect("canonical form parses");
            assert_eq!(again, vector);
            assert_eq!(again.scores(), scores);
        }
    }
});
