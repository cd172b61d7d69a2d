//! The matching benchmark: 1,000,000 generated indicators of mixed types compiled into an
//! `IntelIndex` (build time, memory), then generated JSON-lines events decoded and matched,
//! against the same loop without intel (events/s). Run:
//! `cargo run --release -p vigie-intel-match --example intel_bench`
//! (`VIGIE_BENCH_INDICATORS=N`, `VIGIE_BENCH_EVENTS=N`, `VIGIE_BENCH_ROUNDS=N` to change the
//! sizes; defaults 1,000,000, 200,000 and 7).

use std::hint::black_box;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use vigie_event::{flatten_json_bytes, Event};
use vigie_intel::{IndicatorType as T, IndicatorView, Tlp};
use vigie_intel_match::IntelIndex;

/// The allocator the `vigie` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WORDS: [&str; 8] = [
    "update", "cdn", "login", "secure", "files", "mail", "api", "static",
];
const TLDS: [&str; 6] = ["com", "net", "org", "info", "top", "xyz"];

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn word(r: u64) -> &'static str {
    WORDS[(r % WORDS.len() as u64) as usize]
}

fn tld(r: u64) -> &'static str {
    TLDS[((r >> 8) % TLDS.len() as u64) as usize]
}

fn hex(seed: u64, digits: usize) -> String {
    let mut out = String::with_capacity(digits);
    let mut k = seed;
    while out.len() < digits {
        k = mix(k);
        out.push_str(&format!("{k:016x}"));
    }
    out.truncate(digits);
    out
}

/// Public-looking IPv4 (never 10/8, which the events use for misses).
fn ipv4(r: u64) -> Ipv4Addr {
    let mut a = Ipv4Addr::from((r >> 16) as u32).octets();
    if a[0] == 10 || a[0] == 0 {
        a[0] = 45;
    }
    Ipv4Addr::from(a)
}

/// The i-th indicator: 30% IPv4, 5% IPv6, 5% networks, 25% domains, 10% URLs, 15% hashes
/// (MD5, SHA-1, SHA-256), 5% e-mail addresses, 5% file names.
fn indicator(i: u64) -> (T, String) {
    let r = mix(i);
    match i % 20 {
        0..=5 => (T::Ipv4, ipv4(r).to_string()),
        6 => (
            T::Ipv6,
            Ipv6Addr::from((0x2001_0db8u128 << 96) | u128::from(r)).to_string(),
        ),
        7 if r.is_multiple_of(2) => {
            let len = 20 + (r >> 40) % 11;
            let base = u32::from(ipv4(r)) & !((1u32 << (32 - len)) - 1);
            (T::Cidr, format!("{}/{len}", Ipv4Addr::from(base)))
        }
        7 => {
            let len = 32 + (r >> 40) % 33;
            let addr = (0x2001_0db8u128 << 96) | (u128::from(r) << 32);
            let base = addr & !((1u128 << (128 - len)) - 1);
            (T::Cidr, format!("{}/{len}", Ipv6Addr::from(base)))
        }
        8..=12 => (T::Domain, format!("{}{i:x}.{}", word(r), tld(r))),
        13 | 14 => (
            T::Url,
            format!(
                "http://{}{i:x}.example.{}/gate{}.php",
                word(r),
                tld(r),
                r % 1000
            ),
        ),
        15 => (T::Md5, hex(r, 32)),
        16 => (T::Sha1, hex(r, 40)),
        17 => (T::Sha256, hex(r, 64)),
        18 => (T::Email, format!("user{i:x}@{}.example", word(r))),
        _ => (T::Filename, format!("{}{i:x}.exe", word(r))),
    }
}

fn view(i: u64) -> IndicatorView {
    let (kind, value) = indicator(i);
    IndicatorView::active(
        i as i64 + 1,
        kind,
        value,
        Tlp::ALL[(i % 5) as usize],
        vec![format!("feed-{}", i % 7)],
    )
}

/// An indicator of one of the given `i % 20` buckets, to plant in an event.
fn planted(r: u64, n: u64, buckets: &[u64]) -> String {
    let bucket = buckets[(r % buckets.len() as u64) as usize];
    let i = (r >> 8) % (n / 20).max(1) * 20 + bucket;
    indicator(i).1
}

/// One JSON line: Sysmon 1 / 3 / 22, an ECS web event or a Security 4624 logon, with about
/// one observable in fifty taken from the indicators.
fn event_line(e: u64, n: u64) -> String {
    let r = mix(e ^ 0xABCD);
    let hit = |salt: u64| mix(r ^ salt).is_multiple_of(50);
    let miss_ip = |salt: u64| {
        let x = mix(r ^ salt);
        format!("10.{}.{}.{}", x & 255, (x >> 8) & 255, (x >> 16) & 255)
    };
    let ip = |salt: u64| {
        if hit(salt) {
            planted(mix(r ^ salt), n, &[0, 1, 2, 3, 4, 5])
        } else {
            miss_ip(salt)
        }
    };
    let image = if hit(7) {
        format!(r"C:\\Users\\Public\\{}", planted(r, n, &[19]))
    } else {
        r"C:\\Windows\\System32\\svchost.exe".to_owned()
    };
    match e % 5 {
        0 => {
            let sha = if hit(3) {
                planted(r, n, &[17])
            } else {
                hex(r, 64).to_uppercase()
            };
            let md5 = if hit(4) {
                planted(r, n, &[15])
            } else {
                hex(r ^ 1, 32).to_uppercase()
            };
            format!(
                r#"{{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,"Computer":"ws{}.corp.local","UtcTime":"2026-11-29 10:00:00.000","ProcessGuid":"{{{}}}","ProcessId":{},"Image":"{image}","CommandLine":"{image} -k netsvcs -p","CurrentDirectory":"C:\\Windows\\system32\\","User":"CORP\\user{}","IntegrityLevel":"Medium","Hashes":"SHA1={},MD5={md5},SHA256={sha},IMPHASH={}","ParentImage":"C:\\Windows\\explorer.exe","ParentCommandLine":"C:\\Windows\\explorer.exe"}}"#,
                r % 100,
                hex(r, 32),
                r % 65536,
                r % 1000,
                hex(r ^ 2, 40).to_uppercase(),
                hex(r ^ 3, 32).to_uppercase()
            )
        }
        1 => format!(
            r#"{{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":3,"Computer":"ws{}.corp.local","UtcTime":"2026-11-29 10:00:00.000","ProcessId":{},"Image":"{image}","User":"CORP\\user{}","Protocol":"tcp","Initiated":"true","SourceIp":"{}","SourcePort":{},"DestinationIp":"{}","DestinationHostname":"{}","DestinationPort":443}}"#,
            r % 100,
            r % 65536,
            r % 1000,
            miss_ip(1),
            49152 + r % 16000,
            ip(2),
            if hit(5) {
                planted(r, n, &[8, 9, 10, 11, 12])
            } else {
                format!("host{}.corp.local", r % 500)
            }
        ),
        2 => format!(
            r#"{{"Channel":"Microsoft-Windows-Sysmon/Operational","EventID":22,"Computer":"ws{}.corp.local","UtcTime":"2026-11-29 10:00:00.000","ProcessId":{},"Image":"{image}","QueryName":"{}","QueryStatus":"0","QueryResults":"::ffff:{};"}}"#,
            r % 100,
            r % 65536,
            if hit(6) {
                format!("www.{}", planted(r, n, &[8, 9, 10, 11, 12]))
            } else {
                format!("{}.{}.microsoft.com", word(r), r % 900)
            },
            miss_ip(3)
        ),
        3 => format!(
            r#"{{"@timestamp":"2026-11-29T10:00:00Z","event":{{"category":"network","dataset":"proxy"}},"source":{{"ip":"{}","port":{}}},"destination":{{"ip":"{}","port":80,"domain":"{}.example.net"}},"url":{{"full":"{}"}},"user":{{"email":"{}"}},"http":{{"request":{{"method":"GET"}},"response":{{"status_code":200}}}}}}"#,
            miss_ip(4),
            49152 + r % 16000,
            ip(5),
            word(r),
            if hit(8) {
                planted(r, n, &[13, 14])
            } else {
                format!("http://{}.example.net/index{}.html", word(r), r % 100)
            },
            if hit(9) {
                planted(r, n, &[18])
            } else {
                format!("user{}@corp.example", r % 1000)
            }
        ),
        _ => format!(
            r#"{{"Channel":"Security","EventID":4624,"Computer":"dc1.corp.local","SubjectUserSid":"S-1-5-18","TargetUserName":"user{}","TargetDomainName":"CORP","LogonType":3,"LogonProcessName":"NtLmSsp","AuthenticationPackageName":"NTLM","WorkstationName":"WS{}","IpAddress":"{}","IpPort":"{}"}}"#,
            r % 1000,
            r % 100,
            ip(6),
            49152 + r % 16000
        ),
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn memory(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn decode(line: &str) -> Event {
    Event::new(flatten_json_bytes(line.as_bytes()).unwrap_or_default())
}

fn main() {
    let n = env_u64("VIGIE_BENCH_INDICATORS", 1_000_000);
    let events = env_u64("VIGIE_BENCH_EVENTS", 200_000);
    let rounds = env_u64("VIGIE_BENCH_ROUNDS", 7).max(1);

    // Generating the views alone, to tell it apart from the build.
    let t = Instant::now();
    let generated = (0..n).map(view).fold(0usize, |acc, v| acc + v.value.len());
    let generate = t.elapsed();
    black_box(generated);

    let rss_before = memory("VmRSS");
    let t = Instant::now();
    let index = IntelIndex::build((0..n).map(view));
    let build = t.elapsed().saturating_sub(generate);
    let rss_after = memory("VmRSS");
    let s = index.stats();

    let lines: Vec<String> = (0..events).map(|e| event_line(e, n)).collect();
    let bytes: usize = lines.iter().map(String::len).sum();
    let decoded: Vec<Event> = lines.iter().map(|l| decode(l)).collect();

    let mut hits = Vec::new();
    let mut total_hits = 0usize;
    let mut events_hit = 0usize;
    for e in &decoded {
        hits.clear();
        index.matches(e, &mut hits);
        total_hits += hits.len();
        events_hit += usize::from(!hits.is_empty());
    }

    let (mut plain, mut with_intel, mut match_only) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        let mut fields = 0usize;
        for l in &lines {
            let e = decode(l);
            fields += e.fields().len();
            black_box(&e);
        }
        black_box(fields);
        plain.push(t.elapsed());

        let t = Instant::now();
        let mut found = 0usize;
        for l in &lines {
            let e = decode(l);
            index.for_each_match(&e, |hit| {
                found += 1;
                black_box(hit);
            });
        }
        black_box(found);
        with_intel.push(t.elapsed());

        let t = Instant::now();
        let mut found = 0usize;
        for e in &decoded {
            hits.clear();
            index.matches(e, &mut hits);
            found += hits.len();
        }
        black_box(found);
        match_only.push(t.elapsed());
    }
    let (plain, with_intel, match_only) = (median(plain), median(with_intel), median(match_only));
    let rate = |d: Duration| events as f64 / d.as_secs_f64();

    println!(
        "indicators generated      {n} ({} ms to generate, not counted)",
        generate.as_millis()
    );
    println!(
        "indexed                   {} (addresses {}, networks {}, domains {}, urls {}, hashes {}, emails {}, filenames {}; duplicates {}, invalid {})",
        index.len(), s.addresses, s.networks, s.domains, s.urls, s.hashes, s.emails, s.filenames, s.duplicates, s.invalid
    );
    println!("build                     {} ms", build.as_millis());
    println!(
        "memory (RSS after build - before)  {:.0} MB  (RSS {:.0} -> {:.0} MB, peak {:.0} MB)",
        (rss_after - rss_before) / 1024.0,
        rss_before / 1024.0,
        rss_after / 1024.0,
        memory("VmHWM") / 1024.0
    );
    println!(
        "events                    {events} ({:.1} MB of JSON lines; {events_hit} with a hit, {total_hits} hits)",
        bytes as f64 / 1e6
    );
    println!(
        "decode only               {:.0} events/s ({} ms, median of {rounds})",
        rate(plain),
        plain.as_millis()
    );
    println!(
        "decode + intel matching   {:.0} events/s ({} ms; {:+.1}% time)",
        rate(with_intel),
        with_intel.as_millis(),
        (with_intel.as_secs_f64() / plain.as_secs_f64() - 1.0) * 100.0
    );
    println!(
        "matching only (decoded)   {:.0} events/s ({:.0} ns per event)",
        rate(match_only),
        match_only.as_secs_f64() * 1e9 / events as f64
    );
}
