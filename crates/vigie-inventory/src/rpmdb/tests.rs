//! rpmdb.sqlite files written by the test (rpm's `Packages` table layout) and roots around
//! them: good rows read, bad rows reported with their `hnum`, links not followed.

use super::*;
use crate::rpm_header::tests::{bash_blob, header_blob, Val};
use rusqlite::params;

fn write_db(path: &Path, rows: &[(i64, rusqlite::types::Value)]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let c = Connection::open(path).expect("create");
    c.execute_batch(
        "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);",
    )
    .expect("table");
    for (h, b) in rows {
        c.execute("INSERT INTO Packages VALUES (?1, ?2)", params![h, b])
            .expect("row");
    }
}

#[test]
fn good_rows_read_bad_rows_reported() {
    use rusqlite::types::Value;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let db = root.join("var/lib/rpm/rpmdb.sqlite");
    let key = header_blob(&[
        (1000, Val::Str("gpg-pubkey")),
        (1001, Val::Str("fd431d51")),
        (1002, Val::Str("4ae0493b")),
    ]);
    let mut truncated = bash_blob(None);
    truncated.pop();
    write_db(
        &db,
        &[
            (1, Value::Blob(bash_blob(Some(1)))),
            (2, Value::Blob(key)),
            (3, Value::Blob(truncated)),
            (4, Value::Text("not a header".into())),
        ],
    );
    std::fs::write(root.join("var/lib/rpm/Packages"), b"old").expect("bdb");
    assert_eq!(find(root), Some(db.clone()));
    let (pkgs, errors) = read(&db, "Rocky Linux");
    let got: Vec<String> = pkgs
        .iter()
        .map(|p| format!("{} {} {}", p.ecosystem, p.name, p.version))
        .collect();
    assert_eq!(got, ["Rocky Linux bash 1:5.1.8-6.el9"]);
    let msgs: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let shown = db.display();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(
        msgs[0].starts_with(&format!("{shown}: package row 3: header blob is")),
        "{msgs:?}"
    );
    assert_eq!(
        msgs[1],
        format!("{shown}: package row 4: blob is Text, not a blob")
    );
    // The test's own connection left no -wal; reading wrote nothing beside the file.
    let beside: Vec<_> = std::fs::read_dir(db.parent().expect("parent"))
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
}

#[test]
fn not_a_database_and_no_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, vec![7u8; 4096]).expect("write");
    let (pkgs, errors) = read(&junk, "Red Hat");
    assert!(pkgs.is_empty());
    assert!(
        matches!(errors.as_slice(), [InventoryError::Format { .. }]),
        "{errors:?}"
    );
    let empty = dir.path().join("empty.sqlite");
    Connection::open(&empty)
        .and_then(|c| c.execute_batch("CREATE TABLE Other (x);"))
        .expect("db");
    let (_, errors) = read(&empty, "Red Hat");
    assert!(
        errors[0].to_string().contains("no such table: Packages"),
        "{errors:?}"
    );
}

#[test]
fn links_are_not_followed_and_old_formats_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let real = root.join("usr/lib/sysimage/rpm/rpmdb.sqlite");
    write_db(&real, &[]);
    std::fs::create_dir_all(root.join("var/lib")).expect("mkdir");
    // Fedora's relative link, and an absolute one that would leave the root.
    std::os::unix::fs::symlink("../../usr/lib/sysimage/rpm", root.join("var/lib/rpm"))
        .expect("link");
    assert_eq!(find(root), Some(real));
    let other = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(other.path().join("var/lib")).expect("mkdir");
    std::os::unix::fs::symlink(
        root.join("usr/lib/sysimage/rpm"),
        other.path().join("var/lib/rpm"),
    )
    .expect("link");
    assert_eq!(find(other.path()), None);
    std::fs::create_dir_all(other.path().join("usr/lib/sysimage/rpm")).expect("mkdir");
    std::fs::write(
        other.path().join("usr/lib/sysimage/rpm/Packages.db"),
        b"ndb",
    )
    .expect("ndb");
    let inv = crate::scan_root(other.path());
    assert!(inv.packages.is_empty());
    assert!(
        inv.errors[0]
            .to_string()
            .contains("Berkeley DB and NDB rpm databases are not read"),
        "{:?}",
        inv.errors
    );
}

#[test]
fn source_rpm_names() {
    assert_eq!(
        split_source_rpm("openssl-3.0.7-24.el9.src.rpm"),
        Some(("openssl", "3.0.7", "24.el9"))
    );
    assert_eq!(
        split_source_rpm("perl-DBI-1.643-9.el9.nosrc.rpm"),
        Some(("perl-DBI", "1.643", "9.el9"))
    );
    for bad in ["x-1.src.rpm", "x-1-2.rpm", "-1-2.src.rpm", "x--2.src.rpm"] {
        assert_eq!(split_source_rpm(bad), None, "{bad}");
    }
}

#[test]
fn rows_still_in_the_wal_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("rpmdb.sqlite");
    write_db(&db, &[]);
    // A writer still open, its row only in rpmdb.sqlite-wal (a copy of a live system).
    let c = Connection::open(&db).expect("open");
    c.execute_batch("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;")
        .expect("wal");
    c.execute(
        "INSERT INTO Packages VALUES (1, ?1)",
        params![bash_blob(Some(1))],
    )
    .expect("row");
    let wal = dir.path().join("rpmdb.sqlite-wal");
    assert!(std::fs::metadata(&wal).expect("wal").len() > 0);
    let (pkgs, errors) = read(&db, "Red Hat");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(pkgs.len(), 1);
    assert_eq!(pkgs[0].version, "1:5.1.8-6.el9");
}
