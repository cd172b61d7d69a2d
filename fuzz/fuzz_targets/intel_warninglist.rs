//! Fuzzes MISP warninglists: any bytes as a warninglist file, and, when it reads, every
//! indicator type against it with values made from the same bytes; nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_intel::IndicatorType;
use vigie_intel_match::Warninglist;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(list) = Warninglist::parse(text, "fuzz.json") {
        let _ = list.len();
        for kind in IndicatorType::ALL {
            for value in text.split(['\n', '"', ',']).take(64) {
                let _ = list.covers(kind, value);
            }
        }
    }
});
