//! The `interface` probe: network interfaces of the running system from `/sys/class/net`
//! (name, type, hardware address, flags).

use crate::item::{Item, Spec};

/// `IFF_*` flags as OVAL names them.
const FLAGS: &[(u32, &str)] = &[
    (0x1, "UP"),
    (0x2, "BROADCAST"),
    (0x4, "DEBUG"),
    (0x8, "LOOPBACK"),
    (0x10, "POINTOPOINT"),
    (0x20, "NOTRAILERS"),
    (0x40, "RUNNING"),
    (0x80, "NOARP"),
    (0x100, "PROMISC"),
    (0x200, "ALLMULTI"),
    (0x400, "MASTER"),
    (0x800, "SLAVE"),
    (0x1000, "MULTICAST"),
];

fn hardware_type(code: &str) -> String {
    match code {
        "1" => "ARPHRD_ETHER".to_owned(),
        "772" => "ARPHRD_LOOPBACK".to_owned(),
        "512" => "ARPHRD_PPP".to_owned(),
        "801" => "ARPHRD_IEEE80211".to_owned(),
        other => other.to_owned(),
    }
}

/// The interfaces whose name the spec accepts.
pub fn interfaces(name: &Spec) -> Vec<Item> {
    let base = std::path::Path::new("/sys/class/net");
    let mut names: Vec<String> = std::fs::read_dir(base)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let read = |n: &str, f: &str| {
        std::fs::read_to_string(base.join(n).join(f))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for n in names {
        if !name.matches(&n) {
            continue;
        }
        let flags =
            u32::from_str_radix(read(&n, "flags").trim_start_matches("0x"), 16).unwrap_or(0);
        let mut it = Item::default()
            .with("name", n.clone())
            .with("type", hardware_type(&read(&n, "type")))
            .with("hardware_addr", read(&n, "address"));
        for (bit, f) in FLAGS {
            if flags & bit != 0 {
                it.push("flag", *f);
            }
        }
        out.push(it);
    }
    out
}
