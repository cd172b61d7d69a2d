//! `vigie inventory --image` and `vigie audit vulns --image` end to end on images the tests
//! build (`docker save` tarball and OCI layout folder): the table pinned as a snapshot, the
//! error of a path that is no image, and an image of the audit fixtures audited exactly as the
//! same files under `--root` and lockfile paths.

mod common;
#[path = "../../vigie-inventory/tests/support/image_builder.rs"]
mod image_builder;

use std::path::PathBuf;

use common::{root, vigie};
use image_builder::{docker_files, gzip, layer, oci_files, write_dir, write_tar, M};

const AUDIT: &str = "tests/fixtures/audit";

/// A fresh folder for `name` under the repository's `target/` (a fixed path, so that
/// snapshots name it), as (absolute, relative to the repository root).
fn scratch(name: &str) -> (PathBuf, String) {
    let rel = format!("target/cli-image-tests/{name}");
    let abs = root().join(&rel);
    let _ = std::fs::remove_dir_all(&abs);
    std::fs::create_dir_all(&abs).expect("mkdir");
    (abs, rel)
}

fn fixture(rel: &str) -> String {
    std::fs::read_to_string(root().join(AUDIT).join(rel)).expect("fixture")
}

#[test]
fn inventory_image_table_and_errors() {
    let (abs, rel) = scratch("inventory");
    let status = fixture("root/var/lib/dpkg/status");
    let os = fixture("root/etc/os-release");
    let cargo = fixture("project/Cargo.lock");
    let lower = layer(&[
        M::File("usr/lib/os-release", &os),
        M::Link("etc/os-release", "../usr/lib/os-release"),
        M::File("var/lib/dpkg/status", &status),
        M::File("app/Cargo.lock", &cargo),
        M::File("old/Cargo.lock", &cargo),
    ]);
    let upper = layer(&[
        M::File("old/.wh.Cargo.lock", ""),
        M::File("../escape/Cargo.lock", &cargo),
    ]);
    write_tar(
        &abs.join("saved.tar"),
        &docker_files(&[gzip(&lower), upper]),
    );
    let image = format!("{rel}/saved.tar");
    let (out, err, code) = vigie(&["inventory", "--image", &image]);
    assert_eq!(code, 1, "the refused member is reported: {err}");
    insta::assert_snapshot!("inventory_image_table", out);
    insta::assert_snapshot!("inventory_image_stderr", err);

    let (out, err, code) = vigie(&["inventory", "--image", &format!("{rel}/nothing")]);
    assert_eq!((code, out.as_str()), (2, ""));
    insta::assert_snapshot!("inventory_image_missing", err);
    std::fs::write(abs.join("plain.txt"), "not an image\n").expect("write");
    let (out, err, code) = vigie(&["inventory", "--image", &format!("{rel}/plain.txt")]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "the header only: {out}");
    insta::assert_snapshot!("inventory_image_not_an_image", err);
}

/// JSON lines of findings with each file named by its path relative to the root, sorted.
fn findings(out: &str, prefixes: &[(&str, &str)]) -> Vec<String> {
    let mut lines: Vec<String> = out
        .lines()
        .map(|l| {
            prefixes
                .iter()
                .fold(l.to_owned(), |l, (from, to)| l.replace(from, to))
        })
        .collect();
    lines.sort();
    lines
}

/// `vigie audit vulns INPUTS --db DB -f jsonl --no-store`'s stdout (exit code 0 asserted).
fn audit_jsonl(inputs: &[&str], db: &str) -> String {
    let mut args = vec!["audit", "vulns"];
    args.extend_from_slice(inputs);
    args.extend(["--db", db, "-f", "jsonl", "--no-store"]);
    let (out, err, code) = vigie(&args);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn audit_image_equals_audit_of_the_same_files() {
    let (abs, rel) = scratch("audit");
    let db = abs.join("db").display().to_string();
    let (_, err, code) = vigie(&[
        "vulndb",
        "import",
        &format!("{AUDIT}/advisories"),
        "--db",
        &db,
    ]);
    assert_eq!(code, 0, "{err}");
    let files = [
        "root/etc/os-release",
        "root/var/lib/dpkg/status",
        "project/Cargo.lock",
        "project/api/go.mod",
        "project/api/requirements.txt",
        "project/web/package-lock.json",
    ];
    let texts: Vec<String> = files.iter().map(|f| fixture(f)).collect();
    let members: Vec<M> = files
        .iter()
        .zip(&texts)
        .map(|(f, t)| M::File(f.strip_prefix("root/").unwrap_or(f), t))
        .collect();
    write_dir(&abs.join("oci"), &oci_files(&[gzip(&layer(&members))]));
    let image = format!("{rel}/oci");
    let img_out = audit_jsonl(&["--image", &image], &db);
    let dir_out = audit_jsonl(
        &[
            "--root",
            &format!("{AUDIT}/root"),
            &format!("{AUDIT}/project/Cargo.lock"),
            &format!("{AUDIT}/project/api"),
            &format!("{AUDIT}/project/web"),
        ],
        &db,
    );
    let img = findings(&img_out, &[(&format!("{image}!"), "")]);
    let dir = findings(
        &dir_out,
        &[(&format!("{AUDIT}/root/"), ""), (&format!("{AUDIT}/"), "")],
    );
    assert!(img.len() > 3, "{img_out}");
    assert_eq!(img, dir);
}
