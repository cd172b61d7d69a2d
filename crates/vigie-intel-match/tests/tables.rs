//! The prefix and suffix tables agree with a naive linear scan over random inputs.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;
use proptest::prelude::*;
use vigie_intel_match::{PrefixTable, SuffixTable};

/// Addresses in a small space so that networks and addresses often meet.
fn v4() -> impl Strategy<Value = IpAddr> {
    (0u8..4, 0u8..4, any::<u8>(), any::<u8>())
        .prop_map(|(a, b, c, d)| IpAddr::V4(Ipv4Addr::new(10 + a, b, c, d)))
}

fn v6() -> impl Strategy<Value = IpAddr> {
    (0u16..3, 0u16..3, any::<u16>(), any::<u16>())
        .prop_map(|(a, b, c, d)| IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8 + a, b, 0, 0, 0, c, d)))
}

fn net() -> impl Strategy<Value = IpNet> {
    prop_oneof![
        (v4(), 0u8..=32).prop_map(|(a, l)| IpNet::new(a, l).expect("v4 length").trunc()),
        (v6(), 0u8..=128).prop_map(|(a, l)| IpNet::new(a, l).expect("v6 length").trunc()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn prefix_table_is_a_linear_scan(nets in prop::collection::vec(net(), 0..40),
                                     probes in prop::collection::vec(prop_oneof![v4(), v6()], 1..40)) {
        let mut table = PrefixTable::default();
        let mut kept: Vec<(IpNet, u32)> = Vec::new();
        for (i, n) in nets.iter().enumerate() {
            let i = u32::try_from(i).expect("small");
            if !kept.iter().any(|(k, _)| k == n) {
                kept.push((*n, i));
            }
            table.insert(n.addr(), n.prefix_len(), i);
        }
        for p in probes {
            let mut got = Vec::new();
            table.each(p, |l, v| got.push((l, v)));
            // The table keeps the last value given for a network; so does this scan.
            let mut want: Vec<(u8, u32)> = kept
                .iter()
                .filter(|(n, _)| n.contains(&p))
                .map(|(n, _)| {
                    let last = nets.iter().rposition(|m| m == n).expect("present");
                    (n.prefix_len(), u32::try_from(last).expect("small"))
                })
                .collect();
            want.sort_by_key(|w| std::cmp::Reverse(w.0));
            prop_assert_eq!(&got, &want);
            prop_assert_eq!(table.longest(p), want.first().map(|w| w.1));
        }
    }

    #[test]
    fn suffix_table_is_a_linear_scan(domains in prop::collection::vec("[ab]{1,2}(\\.[ab]{1,2}){0,3}", 0..30),
                                     probes in prop::collection::vec("[ab]{1,2}(\\.[ab]{1,2}){0,4}", 1..30)) {
        let mut table = SuffixTable::default();
        let mut kept: Vec<&str> = Vec::new();
        for (i, d) in domains.iter().enumerate() {
            if !kept.contains(&d.as_str()) {
                kept.push(d);
                table.insert(d, u32::try_from(i).expect("small"));
            }
        }
        for p in &probes {
            let mut got: Vec<&str> = Vec::new();
            table.each(p, |d, _| got.push(d));
            got.sort_unstable();
            let mut want: Vec<&str> = kept
                .iter()
                .copied()
                .filter(|d| p == d || p.ends_with(&format!(".{d}")))
                .collect();
            want.sort_unstable();
            prop_assert_eq!(got, want);
        }
    }
}
