//! A small store built from this test's own fixtures, compiled and matched as the hunt would.

use chrono::Utc;
use vigie_intel::{import_path, ImportOptions, SourceSpec, Store, Tlp};
use vigie_intel_match::IntelIndex;

mod common;
use common::event;

#[test]
fn store_indicators_match_events() {
    let dir = tempfile::tempdir().expect("temp dir");
    let c2 = dir.path().join("c2.txt");
    std::fs::write(
        &c2,
        "# fixture C2 list\n198.51.100.7\n203.0.113.0/24\nevil[.]example\n\
         hxxp://bad.example/gate.php\n0123456789abcdef0123456789abcdef\neve@evil.example\n",
    )
    .expect("write c2");
    let more = dir.path().join("more.txt");
    std::fs::write(&more, "evil.example\n2001:db8::66\n").expect("write more");
    let mut store = Store::open(&dir.path().join("intel")).expect("store");
    let now = Utc::now();
    let opts = ImportOptions::new(now);
    let green = SourceSpec {
        name: "green-feed".into(),
        default_tlp: Some(Tlp::Green),
        default_confidence: None,
    };
    let amber = SourceSpec {
        name: "amber-feed".into(),
        default_tlp: Some(Tlp::Amber),
        default_confidence: None,
    };
    import_path(&mut store, &green, &c2, &opts).expect("import c2");
    import_path(&mut store, &amber, &more, &opts).expect("import more");
    let active = store.active_indicators(now).expect("active");
    assert_eq!(active.len(), 7);
    let index = IntelIndex::build(active);
    assert_eq!(index.len(), 7);

    let events = [
        event(&[
            ("EventID", "3"),
            ("DestinationIp", "203.0.113.50"),
            ("SourceIp", "10.0.0.2"),
        ]),
        event(&[("EventID", "22"), ("QueryName", "cdn.evil.example")]),
        event(&[
            ("url.full", "http://BAD.example/gate.php"),
            ("source.ip", "2001:db8::66"),
        ]),
        event(&[("Hashes", "MD5=0123456789ABCDEF0123456789ABCDEF,IMPHASH=00")]),
        event(&[("email.from.address", "eve@evil.example")]),
        event(&[("EventID", "1"), ("Image", r"C:\Windows\notepad.exe")]),
    ];
    let mut found = Vec::new();
    let mut hits = Vec::new();
    for e in &events {
        hits.clear();
        index.matches(e, &mut hits);
        found.push(
            hits.iter()
                .map(|h| {
                    format!(
                        "{}={} {} {} {}",
                        h.field, h.value, h.indicator, h.source, h.tlp
                    )
                })
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(
        found,
        [
            vec!["DestinationIp=203.0.113.50 203.0.113.0/24 green-feed green".to_owned()],
            vec!["QueryName=cdn.evil.example evil.example amber-feed,green-feed amber".to_owned()],
            vec![
                "url.full=http://BAD.example/gate.php http://bad.example/gate.php green-feed green"
                    .to_owned(),
                "source.ip=2001:db8::66 2001:db8::66 amber-feed amber".to_owned(),
            ],
            vec!["Hashes=0123456789ABCDEF0123456789ABCDEF 0123456789abcdef0123456789abcdef green-feed green".to_owned()],
            vec!["email.from.address=eve@evil.example eve@evil.example green-feed green".to_owned()],
            Vec::<String>::new(),
        ]
    );
}
