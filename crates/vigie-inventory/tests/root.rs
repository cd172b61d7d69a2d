//! `scan_root` on roots built in a temporary folder: distroless `status.d` files (md5sums lists
//! skipped), an `etc/os-release` link that is not followed (its absolute target would be the
//! host's) in favour of `usr/lib/os-release`, and a root with nothing to read.

use std::path::Path;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn distroless_status_d_and_os_release_link() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        &root.join("var/lib/dpkg/status.d/libc6"),
        "Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\nMulti-Arch: same\nSource: glibc\n",
    );
    write(
        &root.join("var/lib/dpkg/status.d/libc6.md5sums"),
        "0123456789abcdef  lib/x86_64-linux-gnu/libc.so.6\n",
    );
    write(
        &root.join("var/lib/dpkg/status.d/tzdata"),
        "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n",
    );
    write(
        &root.join("usr/lib/os-release"),
        "ID=debian\nVERSION_ID=\"11\"\n",
    );
    std::fs::create_dir_all(root.join("etc")).expect("mkdir");
    std::os::unix::fs::symlink("/nonexistent/os-release", root.join("etc/os-release"))
        .expect("symlink");
    let inv = vigie_inventory::scan_root(root);
    assert!(inv.errors.is_empty(), "{:?}", inv.errors);
    let got: Vec<String> = inv
        .packages
        .iter()
        .map(|p| format!("{} {} {}", p.ecosystem, p.name, p.version))
        .collect();
    assert_eq!(
        got,
        [
            "Debian:11 libc6:amd64 2.36-9+deb12u4",
            "Debian:11 tzdata 2024a-0+deb12u1"
        ]
    );
}

#[test]
fn empty_root_and_missing_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = vigie_inventory::scan_root(dir.path());
    assert!(inv.packages.is_empty() && inv.errors.is_empty());
    let inv = vigie_inventory::scan_path(&dir.path().join("missing"));
    assert!(matches!(
        inv.errors.as_slice(),
        [vigie_inventory::InventoryError::Missing { .. }]
    ));
}
