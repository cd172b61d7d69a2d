//! No input makes a reader panic: the fixtures of `tests/fixtures/inventory/` truncated at
//! every character, with lines dropped or repeated, and with bytes replaced (a fixed
//! pseudo-random sequence) go through every reader; each error names the file.

use std::path::{Path, PathBuf};

use vigie_inventory::{apk, dpkg, lockfile_kind, parse_lockfile, InventoryError, OsRelease};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/inventory");
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("fixture folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    assert!(out.len() >= 10, "fixtures: {out:?}");
    out
}

/// Runs the reader the file's name calls for; `None` when no reader takes it.
fn read_as(path: &Path, text: &str) -> Option<Result<usize, InventoryError>> {
    let os = OsRelease::parse("ID=debian\nVERSION_ID=12\n");
    let name = path.file_name()?.to_str()?;
    let r = match name {
        "status" => dpkg::parse(text, path, &os),
        "installed" => apk::parse(text, path, &os),
        _ => parse_lockfile(lockfile_kind(name)?, text, path),
    };
    Some(r.map(|p| p.len()))
}

fn check(path: &Path, text: &str) {
    if let Some(Err(e)) = read_as(path, text) {
        let msg = e.to_string();
        assert!(msg.starts_with(&path.display().to_string()), "{msg}");
        assert_eq!(e.path(), path);
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut runs = 0usize;
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).expect("fixture text");
        if read_as(&path, &text).is_none() {
            continue;
        }
        for (i, _) in text.char_indices() {
            check(&path, &text[..i]);
            runs += 1;
        }
        let lines: Vec<&str> = text.lines().collect();
        for k in 0..lines.len() {
            let mut dropped = lines.clone();
            dropped.remove(k);
            check(&path, &dropped.join("\n"));
            let mut doubled = lines.clone();
            doubled.insert(k, lines[k]);
            check(&path, &doubled.join("\n"));
            runs += 2;
        }
        let alphabet = b"\"'[]{}(),:=#@ \n\t-_.v0~\\";
        for _ in 0..300 {
            let mut bytes = text.clone().into_bytes();
            for _ in 0..1 + next() % 4 {
                let at = (next() % bytes.len().max(1) as u64) as usize;
                if at < bytes.len() {
                    bytes[at] = alphabet[(next() % alphabet.len() as u64) as usize];
                }
            }
            check(&path, &String::from_utf8_lossy(&bytes));
            runs += 1;
        }
    }
    assert!(runs > 1000, "{runs}");
}
