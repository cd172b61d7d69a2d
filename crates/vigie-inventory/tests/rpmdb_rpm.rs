//! The rpmdb.sqlite reader against rpm itself: `tests/rpmdb/run.sh` builds RPMs, installs them
//! under temporary roots and passes them in `VIGIE_RPMDB_ROOTS` (colon-separated), each with
//! `ROOT.rpm-qa`, rpm's own `-qa --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{SOURCERPM}'`.
//! Without the variable the test says it skips.

use std::path::Path;

/// A package as rpm's query prints it, the source package written back as its file name.
fn as_rpm_prints(p: &vigie_inventory::Package) -> String {
    let srpm = match (&p.source_package, &p.source_version) {
        (Some(n), Some(v)) => {
            let vr = v.split_once(':').map_or(v.as_str(), |(_, vr)| vr);
            format!("{n}-{vr}.src.rpm")
        }
        _ => "(none)".to_owned(),
    };
    format!("{} {} {srpm}", p.name, p.version)
}

#[test]
fn rpmdb_equals_rpm_query() {
    let Ok(roots) = std::env::var("VIGIE_RPMDB_ROOTS") else {
        eprintln!("rpmdb: SKIPPED (VIGIE_RPMDB_ROOTS not set; run tests/rpmdb/run.sh)");
        return;
    };
    for root in roots.split(':') {
        let expected_text =
            std::fs::read_to_string(format!("{root}.rpm-qa")).expect("rpm's query output");
        // gpg-pubkey rows are imported keys, not packages: the inventory leaves them out.
        let expected: Vec<&str> = expected_text
            .lines()
            .filter(|l| !l.starts_with("gpg-pubkey "))
            .collect();
        assert!(
            expected.len() >= 3 && expected.len() < expected_text.lines().count(),
            "{root}: rpm listed too little (no packages or no gpg-pubkey):\n{expected_text}"
        );
        let db = vigie_inventory::rpmdb::find(Path::new(root)).expect("the database");
        let folder = |db: &Path| -> Vec<std::ffi::OsString> {
            let dir = std::fs::read_dir(db.parent().expect("parent")).expect("list");
            let mut names: Vec<_> = dir.filter_map(|e| e.ok().map(|e| e.file_name())).collect();
            names.sort();
            names
        };
        let before = folder(&db);
        let inv = vigie_inventory::scan_root(Path::new(root));
        assert_eq!(
            folder(&db),
            before,
            "{root}: reading wrote beside the database"
        );
        assert!(inv.errors.is_empty(), "{root}: {:?}", inv.errors);
        let got: Vec<String> = inv.packages.iter().map(as_rpm_prints).collect();
        assert_eq!(got, expected, "{root}: vigie (left) and rpm (right) differ");
        for p in &inv.packages {
            assert_eq!(p.ecosystem, "AlmaLinux");
            assert_eq!(p.source, db);
        }
        eprintln!("rpmdb: {root}: {} packages equal to rpm -qa", got.len());
    }
}
