//! One test per indicator type: what matches, in which fields, and what does not.

mod common;

use common::{event, view};
use vigie_event::{Event, Value};
use vigie_intel::IndicatorType as T;
use vigie_intel_match::{IntelIndex, Observables};

/// (indicator id, field, matched text) of every hit.
fn hits(index: &IntelIndex, e: &Event) -> Vec<(i64, String, String)> {
    let mut out = Vec::new();
    index.matches(e, &mut out);
    out.iter()
        .map(|h| (h.indicator_id, h.field.to_owned(), h.value.to_owned()))
        .collect()
}

fn ids(index: &IntelIndex, fields: &[(&str, &str)]) -> Vec<i64> {
    hits(index, &event(fields))
        .into_iter()
        .map(|h| h.0)
        .collect()
}

#[test]
fn ipv4_ipv6_and_mapped_addresses() {
    let index = IntelIndex::build([
        view(1, T::Ipv4, "198.51.100.7"),
        view(2, T::Ipv6, "2001:db8::7"),
    ]);
    assert_eq!(ids(&index, &[("DestinationIp", "198.51.100.7")]), [1]);
    assert_eq!(ids(&index, &[("SourceIp", "::ffff:198.51.100.7")]), [1]);
    assert_eq!(ids(&index, &[("IpAddress", "2001:DB8:0::7")]), [2]);
    assert_eq!(ids(&index, &[("source.ip", "[2001:db8::7]")]), [2]);
    assert_eq!(ids(&index, &[("destinationip", "198.51.100.7")]), [1]);
    assert!(ids(&index, &[("DestinationIp", "198.51.100.8")]).is_empty());
    // Not an observable field.
    assert!(ids(&index, &[("CommandLine", "198.51.100.7")]).is_empty());
    assert!(ids(&index, &[("IpAddress", "-")]).is_empty());
}

#[test]
fn networks_every_holder_longest_first() {
    let index = IntelIndex::build([
        view(1, T::Cidr, "203.0.113.0/24"),
        view(2, T::Cidr, "203.0.0.0/16"),
        view(3, T::Cidr, "2001:db8::/32"),
        view(4, T::Ipv4, "203.0.113.9"),
    ]);
    assert_eq!(ids(&index, &[("DestinationIp", "203.0.113.9")]), [4, 1, 2]);
    assert_eq!(ids(&index, &[("DestinationIp", "203.0.7.1")]), [2]);
    assert_eq!(ids(&index, &[("destination.ip", "2001:db8:1::5")]), [3]);
    assert!(ids(&index, &[("destination.ip", "2001:db9::5")]).is_empty());
    assert_eq!(index.stats().networks, 3);
}

#[test]
fn domains_and_subdomains_not_lookalikes() {
    let index = IntelIndex::build([view(1, T::Domain, "evil.com")]);
    assert_eq!(ids(&index, &[("QueryName", "evil.com")]), [1]);
    assert_eq!(ids(&index, &[("QueryName", "A.B.Evil.COM.")]), [1]);
    assert_eq!(ids(&index, &[("dns.question.name", "x.evil.com")]), [1]);
    assert!(ids(&index, &[("QueryName", "notevil.com")]).is_empty());
    assert!(ids(&index, &[("QueryName", "evil.com.example")]).is_empty());
    let h = hits(&index, &event(&[("DestinationHostname", "WWW.evil.com")]));
    assert_eq!(
        h,
        [(1, "DestinationHostname".into(), "WWW.evil.com".into())]
    );
}

#[test]
fn host_fields_holding_addresses() {
    let index = IntelIndex::build([view(1, T::Ipv4, "192.0.2.1")]);
    assert_eq!(ids(&index, &[("DestinationHostname", "192.0.2.1")]), [1]);
}

#[test]
fn urls_scheme_and_host_case_and_their_host() {
    let index = IntelIndex::build([
        view(1, T::Url, "http://bad.example/Gate.php?id=1"),
        view(2, T::Url, "bad.example/drop"),
        view(3, T::Domain, "bad.example"),
    ]);
    assert_eq!(
        ids(&index, &[("url.full", "HTTP://BAD.example/Gate.php?id=1")]),
        [1, 3]
    );
    // The path keeps its case.
    assert_eq!(
        ids(&index, &[("url.full", "http://bad.example/gate.php?id=1")]),
        [3]
    );
    assert_eq!(
        ids(&index, &[("url.original", "https://bad.example/drop")]),
        [2, 3]
    );
    assert!(ids(&index, &[("url.full", "https://good.example/drop")]).is_empty());
}

#[test]
fn hashes_plain_and_sysmon_lists() {
    let md5 = "0123456789abcdef0123456789abcdef";
    let sha1 = "0123456789abcdef0123456789abcdef01234567";
    let sha256 = "9f7d6e4a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6";
    let index = IntelIndex::build([
        view(1, T::Md5, md5),
        view(2, T::Sha1, sha1),
        view(3, T::Sha256, sha256),
    ]);
    let sysmon = format!(
        "SHA1={},MD5=FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF,SHA256={},IMPHASH={}",
        sha1.to_uppercase(),
        sha256.to_uppercase(),
        md5.to_uppercase()
    );
    let h = hits(&index, &event(&[("Hashes", &sysmon)]));
    assert_eq!(
        h,
        [
            (2, "Hashes".into(), sha1.to_uppercase()),
            (3, "Hashes".into(), sha256.to_uppercase()),
        ]
    );
    assert_eq!(ids(&index, &[("file.hash.md5", md5)]), [1]);
    assert!(ids(&index, &[("Hashes", &format!("IMPHASH={md5}"))]).is_empty());
}

#[test]
fn file_names_from_paths_case_folded() {
    let index = IntelIndex::build([view(1, T::Filename, "Dropper.EXE")]);
    assert_eq!(
        ids(&index, &[("Image", r"C:\Users\Public\dropper.exe")]),
        [1]
    );
    assert_eq!(ids(&index, &[("TargetFilename", "/tmp/DROPPER.exe")]), [1]);
    assert!(ids(&index, &[("Image", r"C:\dropper.exe.bak")]).is_empty());
}

#[test]
fn email_addresses() {
    let index = IntelIndex::build([view(1, T::Email, "eve@evil.example")]);
    assert_eq!(
        ids(&index, &[("email.from.address", "Eve@EVIL.example")]),
        [1]
    );
    assert_eq!(
        ids(&index, &[("email.to.address", "Eve <eve@evil.example>")]),
        [1]
    );
    assert!(ids(&index, &[("email.from.address", "adam@evil.example")]).is_empty());
}

#[test]
fn lists_patterns_and_custom_fields() {
    let index = IntelIndex::build_with(
        [
            view(1, T::Ipv4, "192.0.2.1"),
            view(2, T::StixPattern, "[x:y = 'z']"),
        ],
        Observables::from_yaml("fields: {ip: [peer]}").expect("mapping"),
    );
    assert_eq!(index.len(), 1);
    assert_eq!(index.stats().patterns_skipped, 1);
    let mut e = Event::default();
    e.push(
        "peer",
        Value::List(
            [
                Value::str("10.0.0.1"),
                Value::str("192.0.2.1"),
                Value::Int(3),
            ]
            .into(),
        ),
    );
    assert_eq!(hits(&index, &e), [(1, "peer".into(), "192.0.2.1".into())]);
    assert!(ids(&index, &[("DestinationIp", "192.0.2.1")]).is_empty());
}

#[test]
fn hit_carries_source_and_tlp() {
    let mut v = view(9, T::Domain, "evil.example");
    v.sources = vec!["a".into(), "b".into()];
    v.tlp = vigie_intel::Tlp::Red;
    let index = IntelIndex::build([v]);
    let e = event(&[("QueryName", "evil.example")]);
    let mut out = Vec::new();
    index.matches(&e, &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].source, "a,b");
    assert_eq!(out[0].tlp, vigie_intel::Tlp::Red);
    assert_eq!(out[0].indicator, "evil.example");
    assert_eq!(out[0].kind, T::Domain);
}
