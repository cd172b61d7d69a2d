//! The miner on hostile and repeated input: random text (control characters, multi-byte
//! characters, wildcard look-alikes, very long tokens) never panics, and the store written
//! after it loses nothing: the miner read back from it has the same templates and answers a
//! second pass over the same lines exactly as the miner that wrote it does.

use vigie_templates::{Config, Miner};

/// A deterministic generator of awkward lines.
fn lines(n: usize) -> Vec<String> {
    const PIECES: [&str; 16] = [
        "user",
        "=",
        "0",
        "<*>",
        "é",
        "日本",
        "\t",
        "  ",
        "/var/log/x",
        "0x1F",
        "::",
        "a1b2c3d4e5",
        "GET",
        "POST",
        "\u{0}",
        "10.0.0.1:80",
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    };
    (0..n)
        .map(|i| {
            let words = next(12);
            let mut s = String::new();
            for _ in 0..words {
                s.push_str(PIECES[next(PIECES.len())]);
                if next(3) > 0 {
                    s.push(' ');
                }
            }
            if i % 97 == 0 {
                s.push_str(&"x9".repeat(5000));
            }
            s
        })
        .collect()
}

#[test]
fn awkward_lines_never_panic_and_replay_the_same() {
    let input = lines(5000);
    let mut miner = Miner::default();
    let first: Vec<_> = input.iter().map(|l| miner.feed(l)).collect();
    for f in &first {
        assert!(miner.template(f.id).is_some(), "every id has a template");
    }
    let json = miner.to_store_json();
    let mut again = Miner::from_store_json(&json, "t.json", Config::default()).expect("reads");
    assert_eq!(
        miner.templates().collect::<Vec<_>>(),
        again.templates().collect::<Vec<_>>()
    );
    let mut new = 0;
    for line in &input {
        let (a, b) = (miner.feed(line), again.feed(line));
        assert_eq!(a, b, "{line:?}");
        new += usize::from(a.is_new);
    }
    assert_eq!(miner.to_store_json(), again.to_store_json());
    eprintln!(
        "second pass: {new} of {} lines founded a group",
        input.len()
    );
}
