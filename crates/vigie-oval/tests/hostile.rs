//! Hostile content never panics: the fixtures, cut and mutated deterministically (bytes
//! flipped, attributes and references renamed, elements dropped), are parsed and, when they
//! still parse, evaluated on the fake root.

#[path = "../../../tests/fixtures/oval/fake_root.rs"]
mod fake_root;

use std::path::PathBuf;

/// A small deterministic generator (xorshift), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut s = text.to_owned();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(s.len());
        let at = (0..=at).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
        match rng.below(6) {
            0 => {
                let end = (at + rng.below(200)).min(s.len());
                let end = (end..=s.len())
                    .find(|i| s.is_char_boundary(*i))
                    .unwrap_or(s.len());
                s.replace_range(at..end, "");
            }
            1 => s.insert_str(at, ["(", "[", "\\", "*", "$", "'"][rng.below(6)]),
            2 => s = s.replacen("oval:vigie:ste:", "oval:vigie:ste:9", 1 + rng.below(5)),
            3 => {
                s = s.replacen(
                    "operation=\"pattern match\"",
                    "operation=\"greater than\"",
                    1 + rng.below(5),
                )
            }
            4 => s = s.replacen("datatype=\"int\"", "datatype=\"boolean\"", 1 + rng.below(5)),
            _ => {
                s = s.replacen(
                    "var_ref=\"oval:vigie:var:",
                    "var_ref=\"oval:vigie:var:1",
                    1 + rng.below(5),
                )
            }
        }
    }
    s
}

#[test]
fn mutated_content_never_panics() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/oval");
    let tmp = tempfile::tempdir().expect("tempdir");
    fake_root::build(tmp.path());
    let mut rng = Rng(0x0005_eed0_f0a1);
    let (mut parsed, mut refused) = (0, 0);
    for name in ["checks.xml", "malformed.xml"] {
        let text = std::fs::read_to_string(dir.join(name)).expect("fixture");
        for _ in 0..150 {
            let m = mutate(&text, &mut rng);
            match vigie_oval::parse(&m, name) {
                Ok(l) => {
                    parsed += 1;
                    let (results, _) = vigie_oval::evaluate(&l.document, tmp.path());
                    assert_eq!(results.len(), l.document.definitions.len());
                }
                Err(e) => {
                    refused += 1;
                    assert!(e.to_string().starts_with(name), "{e}");
                }
            }
        }
    }
    assert!(
        parsed > 0 && refused > 0,
        "parsed {parsed}, refused {refused}"
    );
}
