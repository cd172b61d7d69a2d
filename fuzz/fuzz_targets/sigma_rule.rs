//! Fuzzes the rule path: any text through the Sigma parser and the rule compiler.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_engine::{Mapping, Placeholders, RuleSetBuilder};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let mut b = RuleSetBuilder::new(Mapping::builtin(), Placeholders::new());
        b.add_text("fuzz.yml", text);
        let _ = b.build();
    }
});
