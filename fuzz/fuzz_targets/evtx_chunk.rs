//! Fuzzes one EVTX chunk: Vigie's record walk, template plans and value decoding, and the
//! `evtx` crate behind them for what the plans leave. Seed with chunks cut from real files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_decode::{read_evtx_chunk_bytes, Item};

fuzz_target!(|data: &[u8]| {
    read_evtx_chunk_bytes("fuzz", data.to_vec(), &mut |item| {
        if let Item::Error(e) = item {
            assert!(!e.message.is_empty());
        }
    });
});
