//! Fuzzes the RPM header parser: any bytes as an rpmdb header blob, every tag the inventory
//! reads asked for, and the package built from it; a blob is either refused with a reason or
//! gives strings and numbers found inside it, never a panic or an allocation beyond its size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_inventory::rpm_header::{tag, Header};

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = Header::parse(data) {
        for t in [
            tag::NAME,
            tag::VERSION,
            tag::RELEASE,
            tag::ARCH,
            tag::SOURCERPM,
        ] {
            if let Ok(Some(s)) = h.string(t) {
                assert!(
                    s.len() <= 3 * data.len(),
                    "a string comes from inside the blob"
                );
            }
        }
        let _ = h.int32(tag::EPOCH);
    }
    if let Ok(Some(p)) =
        vigie_inventory::rpmdb::package(data, "Red Hat", std::path::Path::new("db"))
    {
        assert!(p.name != "gpg-pubkey");
        assert!(p.version.contains(':') && p.version.contains('-'));
    }
});
