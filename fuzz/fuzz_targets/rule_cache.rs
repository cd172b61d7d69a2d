//! Fuzzes reading the cache of parsed rule files: any bytes as a whole cache file, and as
//! contents past its digest check (postcard entries, each a parsed rule file), which must
//! be refused or read back, never followed into a crash. What reads back compiles.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_engine::{Mapping, Placeholders, RuleSetBuilder};
use vigie_hunt::{decode_cache_file, decode_cache_payload};

fuzz_target!(|data: &[u8]| {
    let _ = decode_cache_file(data, "fuzz");
    if let Some(entries) = decode_cache_payload(data) {
        let mut b = RuleSetBuilder::new(Mapping::builtin(), Placeholders::new());
        for (path, _, parsed) in entries {
            b.add_parsed(&path, parsed);
        }
        let _ = b.build();
    }
});
