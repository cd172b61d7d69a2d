//! Container images built here (three layers: a dpkg status with packages, lockfiles and an
//! `os-release` link below; a replaced status, a whiteout, an opaque folder and a hard link in
//! the middle; hostile members on top) read as an OCI layout folder, that layout as a tar, and
//! a `docker save` tarball, gzip and plain layers: the image inventory equals the plain
//! `scan_root` + `scan_path` inventory of a folder holding the final file system, and the
//! hostile members are reported, never followed.

mod support;

use std::path::{Path, PathBuf};

use support::image_builder::{docker_files, gzip, layer, oci_files, write_dir, write_tar, M};
use vigie_inventory::{scan_image, ImageLimits, Inventory, Package};

const OS_RELEASE: &str = "ID=debian\nVERSION_ID=\"12\"\n";
const STATUS_1: &str = "Package: base-files\nStatus: install ok installed\nVersion: 12.4\nArchitecture: amd64\n\n\
Package: libssl3\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nMulti-Arch: same\nSource: openssl\n\n\
Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10+deb12u4\nArchitecture: amd64\n";
const STATUS_2: &str = "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\nArchitecture: amd64\n\n\
Package: libssl3\nStatus: install ok installed\nVersion: 3.0.13-1~deb12u1\nArchitecture: amd64\nMulti-Arch: same\nSource: openssl\n";
const TZDATA: &str = "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n";
const GONE: &str = "Package: gone\nVersion: 1.0\nArchitecture: all\n";
const CARGO: &str = "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.13.2\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
const REQS: &str = "requests==2.31.0\n";
const GO_MOD: &str = "module example.com/x\n\ngo 1.22\n\nrequire golang.org/x/text v0.14.0\n";
const NPM: &str =
    r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/left-pad":{"version":"1.3.0"}}}"#;

fn layers() -> Vec<Vec<u8>> {
    let one = layer(&[
        M::Dir("usr/"),
        M::File("usr/lib/os-release", OS_RELEASE),
        M::Link("etc/os-release", "../usr/lib/os-release"),
        M::File("var/lib/dpkg/status", STATUS_1),
        M::File("var/lib/dpkg/status.d/tzdata", TZDATA),
        M::File("var/lib/dpkg/status.d/gone", GONE),
        M::File("app/Cargo.lock", CARGO),
        M::File("srv/old/package-lock.json", NPM),
        M::File("opt/x/requirements.txt", REQS),
    ]);
    let two = layer(&[
        M::File("var/lib/dpkg/status", STATUS_2),
        M::File("var/lib/dpkg/status.d/.wh.gone", ""),
        M::File("srv/new/go.mod", GO_MOD),
        M::File("srv/.wh..wh..opq", ""),
        M::Hard("app2/Cargo.lock", "app/Cargo.lock"),
    ]);
    let three = layer(&[
        M::File("opt/.wh.x", ""),
        M::File("../evil/Cargo.lock", CARGO),
        M::File("/abs/Cargo.lock", CARGO),
        M::Link("loop1", "loop2"),
        M::Link("loop2", "loop1"),
        M::Link("lib/apk", "../lib/apk"),
        M::Link("app3/Cargo.lock", "/etc/passwd"),
        M::Link("host", "/"),
        M::Hard("app4/Cargo.lock", "../../etc/passwd"),
    ]);
    vec![gzip(&one), two, gzip(&three)]
}

/// The final file system of [`layers`], written as plain files.
fn final_tree(dir: &Path) {
    let files: Vec<(String, Vec<u8>)> = [
        ("usr/lib/os-release", OS_RELEASE),
        ("etc/os-release", OS_RELEASE),
        ("var/lib/dpkg/status", STATUS_2),
        ("var/lib/dpkg/status.d/tzdata", TZDATA),
        ("app/Cargo.lock", CARGO),
        ("app2/Cargo.lock", CARGO),
        ("srv/new/go.mod", GO_MOD),
    ]
    .iter()
    .map(|(n, t)| ((*n).to_owned(), t.as_bytes().to_vec()))
    .collect();
    write_dir(dir, &files);
}

/// Packages with their file made relative: `IMAGE!rel` or `DIR/rel` → `rel`.
fn relative(packages: &[Package], prefix: &str) -> Vec<Package> {
    packages
        .iter()
        .map(|p| {
            let s = p.source.display().to_string();
            let rel = s
                .strip_prefix(prefix)
                .expect("the image's or folder's file");
            Package {
                source: PathBuf::from(rel),
                ..p.clone()
            }
        })
        .collect()
}

fn expected() -> Vec<Package> {
    let dir = tempfile::tempdir().expect("tempdir");
    final_tree(dir.path());
    let mut inv = Inventory::default();
    inv.add_root(dir.path());
    inv.add_path(dir.path());
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    relative(&inv.packages, &format!("{}/", dir.path().display()))
}

fn errors(inv: &Inventory, image: &Path) -> Vec<String> {
    let prefix = image.display().to_string();
    inv.errors
        .iter()
        .map(|e| e.to_string().replace(&prefix, "IMAGE"))
        .collect()
}

fn check(image: &Path) {
    let inv = scan_image(image);
    let got = relative(&inv.packages, &format!("{}!", image.display()));
    assert_eq!(got, expected());
    let names: Vec<&str> = got.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "base-files",
            "libssl3:amd64",
            "tzdata",
            "smallvec",
            "smallvec",
            "golang.org/x/text"
        ]
    );
    assert_eq!(got[0].ecosystem, "Debian:12");
    let errs = errors(&inv, image);
    let layer = errs[0].split(": ").nth(1).expect("a layer").to_owned();
    assert_eq!(
        errs,
        [
            format!("IMAGE: {layer}: ../evil/Cargo.lock: path with `..` refused"),
            format!("IMAGE: {layer}: /abs/Cargo.lock: absolute path refused"),
            format!(
                "IMAGE: {layer}: app4/Cargo.lock: hard link target ../../etc/passwd: path with `..` refused"
            ),
            "IMAGE!lib/apk/db/installed: too many symbolic links (a loop)".to_owned(),
        ]
    );
}

#[test]
fn oci_layout_folder_equals_the_extracted_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_dir(dir.path(), &oci_files(&layers()));
    check(dir.path());
}

#[test]
fn oci_layout_tar_equals_the_extracted_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tar = dir.path().join("image.tar");
    write_tar(&tar, &oci_files(&layers()));
    check(&tar);
}

#[test]
fn docker_save_tar_equals_the_extracted_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tar = dir.path().join("saved.tar");
    write_tar(&tar, &docker_files(&layers()));
    check(&tar);
}

#[test]
fn member_over_the_limit_is_skipped_and_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tar = dir.path().join("saved.tar");
    let l = layer(&[
        M::File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
        M::Sized("lib/apk/db/installed", 5000),
        M::File("app/Cargo.lock", CARGO),
    ]);
    write_tar(&tar, &docker_files(&[l]));
    let mut inv = Inventory::default();
    inv.add_image(&tar, ImageLimits { max_member: 4096 });
    let names: Vec<&str> = inv.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["smallvec"]);
    let errs = errors(&inv, &tar);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].ends_with("lib/apk/db/installed: 5000 bytes, over the 4096-byte limit: skipped"),
        "{errs:?}"
    );
}

#[test]
fn not_an_image_and_truncated_layer_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let inv = scan_image(&empty);
    assert!(inv.packages.is_empty());
    assert_eq!(
        errors(&inv, &empty),
        ["IMAGE: neither an OCI image layout (index.json) nor a `docker save` tarball (manifest.json)"]
    );

    // The lower layer is cut in the middle of a member; the upper layer still applies.
    let mut cut = layer(&[M::Sized("var/lib/dpkg/status", 3000)]);
    cut.truncate(1024);
    let upper = layer(&[M::File("app/Cargo.lock", CARGO)]);
    let tar = dir.path().join("cut.tar");
    write_tar(&tar, &docker_files(&[cut, upper]));
    let inv = scan_image(&tar);
    let names: Vec<&str> = inv.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["smallvec"]);
    let errs = errors(&inv, &tar);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("/layer.tar: "), "{errs:?}");
}

#[test]
fn zstd_layer_and_links_to_folders_inside_the_image() {
    // Alpine with its apk database reached through a folder link, and `os-release` through an
    // absolute link (the image's `/`, not the host's); the upper layer is zstd-compressed.
    let installed = "C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\no:musl\n\n\
C:Q1def=\nP:busybox\nV:1.36.1-r15\no:busybox\n";
    let lower = layer(&[
        M::File("usr/lib/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
        M::Link("etc/os-release", "/usr/lib/os-release"),
        M::File("usr/share/apk-db/db/installed", installed),
        M::Link("lib/apk", "../usr/share/apk-db"),
    ]);
    let upper = layer(&[M::File("srv/app/requirements.txt", REQS)]);
    let upper = zstd::encode_all(upper.as_slice(), 3).expect("zstd");
    let dir = tempfile::tempdir().expect("tempdir");
    let tar = dir.path().join("saved.tar");
    write_tar(&tar, &docker_files(&[lower, upper]));
    let inv = scan_image(&tar);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let got: Vec<String> = inv
        .packages
        .iter()
        .map(|p| {
            let file = p.source.display().to_string();
            let file = file.rsplit_once('!').map_or("", |(_, f)| f).to_owned();
            format!("{} {} {} {file}", p.ecosystem, p.name, p.version)
        })
        .collect();
    assert_eq!(
        got,
        [
            "Alpine:v3.19 musl 1.2.4_git20230717-r4 lib/apk/db/installed",
            "Alpine:v3.19 busybox 1.36.1-r15 lib/apk/db/installed",
            "PyPI requests 2.31.0 srv/app/requirements.txt",
        ]
    );
}

#[test]
fn manifests_naming_paths_outside_the_image_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secret = dir.path().join("secret.tar");
    write_tar(&secret, &[("x".to_owned(), b"x".to_vec())]);
    // docker save: a layer named with `..`, then an absolute one; both refused.
    let saved = dir.path().join("saved");
    let manifest = r#"[{"Config":"c.json","Layers":["../secret.tar","/etc/passwd"]}]"#;
    write_dir(
        &saved,
        &[("manifest.json".to_owned(), manifest.as_bytes().to_vec())],
    );
    let inv = scan_image(&saved);
    assert_eq!(
        errors(&inv, &saved),
        [
            "IMAGE: layer ../secret.tar: ../secret.tar: path with `..` refused",
            "IMAGE: layer /etc/passwd: /etc/passwd: absolute path refused",
        ]
    );
    // OCI: a digest that would name another path.
    let oci = dir.path().join("oci");
    let index = r#"{"schemaVersion":2,"manifests":[{"digest":"sha256:../../secret.tar"}]}"#;
    write_dir(
        &oci,
        &[("index.json".to_owned(), index.as_bytes().to_vec())],
    );
    let inv = scan_image(&oci);
    assert_eq!(
        errors(&inv, &oci),
        ["IMAGE!index.json: malformed digest \"sha256:../../secret.tar\""]
    );
}
