//! Fuzzes the STIX pattern path: any text through the parser, the validator and the compiler;
//! a pattern that parses must print as text that parses to the same printed form.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(pattern) = vigie_stix_pattern::parse(text) {
            let _ = pattern.validate();
            let _ = pattern.compile();
            let printed = pattern.to_string();
            let again = vigie_stix_pattern::parse(&printed).expect("printed pattern parses");
            assert_eq!(printed, again.to_string());
        }
    }
});
