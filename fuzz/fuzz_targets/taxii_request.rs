//! Fuzzes what a TAXII client controls before authentication matters: query strings through
//! the parameter parser of each endpoint, and configuration text through its checker.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_taxii_server::{Allowed, Filter, ServerConfig};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for allowed in [Allowed::Objects, Allowed::Object, Allowed::Versions] {
        if let Ok(mut f) = Filter::parse(Some(text), allowed) {
            f.default_to_all_versions();
            let _ = f.page(&[], 10);
        }
    }
    let _ = ServerConfig::parse(text, "fuzz.toml", std::path::Path::new("."));
});
