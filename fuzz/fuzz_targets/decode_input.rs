//! Fuzzes the decoders: any bytes as an input file (EVTX, JSON, gz, zst, zip are sniffed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_decode::{read_bytes, Item, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let opts = ReadOptions { max_decompressed: 1 << 24 };
    read_bytes("fuzz", data.to_vec(), &opts, &mut |item| {
        if let Item::Error(e) = item {
            assert!(!e.message.is_empty());
        }
    });
});
