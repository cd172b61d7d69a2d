//! Header blobs built by hand: valid ones read back, and truncated, out-of-range, oversized and
//! mistyped ones refused with their reason (never a panic).

use super::*;
use crate::rpmdb::package;
use std::path::Path;

/// One entry's value, as the builder lays it out.
pub(crate) enum Val<'a> {
    Str(&'a str),
    I18n(&'a [&'a str]),
    Int(u32),
    /// Type, count and raw data bytes, written as given.
    Raw(u32, u32, &'a [u8]),
}

/// An rpmdb header blob (no magic) holding `entries` in order, INT32 data aligned to 4.
pub(crate) fn header_blob(entries: &[(u32, Val)]) -> Vec<u8> {
    let mut index = Vec::new();
    let mut data: Vec<u8> = Vec::new();
    for (t, v) in entries {
        let (kind, count, bytes): (u32, u32, Vec<u8>) = match v {
            Val::Str(s) => (kind::STRING, 1, [s.as_bytes(), b"\0"].concat()),
            Val::I18n(list) => (
                kind::I18NSTRING,
                list.len() as u32,
                list.iter()
                    .flat_map(|s| [s.as_bytes(), b"\0"].concat())
                    .collect(),
            ),
            Val::Int(n) => {
                while !data.len().is_multiple_of(4) {
                    data.push(0);
                }
                (kind::INT32, 1, n.to_be_bytes().to_vec())
            }
            Val::Raw(k, c, b) => (*k, *c, b.to_vec()),
        };
        for w in [*t, kind, data.len() as u32, count] {
            index.extend_from_slice(&w.to_be_bytes());
        }
        data.extend_from_slice(&bytes);
    }
    let mut blob = Vec::new();
    blob.extend_from_slice(&((index.len() / 16) as u32).to_be_bytes());
    blob.extend_from_slice(&(data.len() as u32).to_be_bytes());
    blob.extend_from_slice(&index);
    blob.extend_from_slice(&data);
    blob
}

/// A package header as rpmbuild writes its main tags (with a summary in two languages).
pub(crate) fn bash_blob(epoch: Option<u32>) -> Vec<u8> {
    let mut e = vec![
        (tag::NAME, Val::Str("bash")),
        (tag::VERSION, Val::Str("5.1.8")),
        (tag::RELEASE, Val::Str("6.el9")),
        (1004, Val::I18n(&["The GNU Bourne Again shell", "Le shell"])),
    ];
    if let Some(n) = epoch {
        e.push((tag::EPOCH, Val::Int(n)));
    }
    e.push((tag::ARCH, Val::Str("x86_64")));
    e.push((tag::SOURCERPM, Val::Str("bash-5.1.8-6.el9.src.rpm")));
    header_blob(&e)
}

fn set_u32(blob: &mut [u8], at: usize, v: u32) {
    blob[at..at + 4].copy_from_slice(&v.to_be_bytes());
}

#[test]
fn valid_header_reads_back() {
    let blob = bash_blob(Some(2));
    let h = Header::parse(&blob).expect("valid");
    assert_eq!(h.string(tag::NAME), Ok(Some("bash".to_owned())));
    assert_eq!(h.string(tag::ARCH), Ok(Some("x86_64".to_owned())));
    assert_eq!(
        h.string(1004),
        Ok(Some("The GNU Bourne Again shell".to_owned()))
    );
    assert_eq!(h.int32(tag::EPOCH), Ok(Some(2)));
    assert_eq!(h.string(9999), Ok(None));
    let p = package(&blob, "AlmaLinux", Path::new("db"))
        .expect("valid")
        .expect("a package");
    assert_eq!(p.name, "bash");
    assert_eq!(p.version, "2:5.1.8-6.el9");
    assert_eq!(p.source_package.as_deref(), Some("bash"));
    assert_eq!(p.source_version.as_deref(), Some("2:5.1.8-6.el9"));
    assert_eq!(p.ecosystem, "AlmaLinux");
}

#[test]
fn no_epoch_is_epoch_zero_and_gpg_pubkey_is_skipped() {
    let p = package(&bash_blob(None), "Red Hat", Path::new("db"))
        .expect("valid")
        .expect("a package");
    assert_eq!(p.version, "0:5.1.8-6.el9");
    let key = header_blob(&[
        (tag::NAME, Val::Str("gpg-pubkey")),
        (tag::VERSION, Val::Str("fd431d51")),
        (tag::RELEASE, Val::Str("4ae0493b")),
    ]);
    assert_eq!(package(&key, "Red Hat", Path::new("db")), Ok(None));
}

#[test]
fn every_truncation_is_refused() {
    let blob = bash_blob(Some(1));
    for len in 0..blob.len() {
        let e = Header::parse(&blob[..len]).expect_err("truncated");
        assert!(
            matches!(
                e,
                HeaderError::TooShort { .. } | HeaderError::SizeMismatch { .. }
            ),
            "{len}: {e}"
        );
    }
    let mut longer = blob.clone();
    longer.push(0);
    assert!(matches!(
        Header::parse(&longer),
        Err(HeaderError::SizeMismatch { .. })
    ));
}

#[test]
fn offsets_out_of_range() {
    let blob = bash_blob(None);
    let dl = u32::from_be_bytes(blob[4..8].try_into().expect("4 bytes"));
    for bad in [dl + 1, u32::MAX, 0x8000_0000] {
        let mut b = blob.clone();
        set_u32(&mut b, 8 + 8, bad); // first entry's offset
        let e = Header::parse(&b).expect_err("offset out of range");
        assert!(matches!(e, HeaderError::BadOffset { index: 0, .. }), "{e}");
    }
    // An offset at the very end is inside the header but has no string to read.
    let mut b = blob.clone();
    set_u32(&mut b, 8 + 8, dl);
    let h = Header::parse(&b).expect("offset == dl is allowed, as rpm allows it");
    assert_eq!(
        h.string(tag::NAME),
        Err(HeaderError::Unterminated { tag: tag::NAME })
    );
}

#[test]
fn counts_too_large() {
    let mut b = bash_blob(None);
    set_u32(&mut b, 0, u32::MAX);
    assert_eq!(
        Header::parse(&b).expect_err("il"),
        HeaderError::TooManyEntries { il: u32::MAX }
    );
    let mut b = bash_blob(None);
    set_u32(&mut b, 4, 0x1000_0000);
    assert!(matches!(
        Header::parse(&b),
        Err(HeaderError::DataTooLarge { .. })
    ));
    // Within rpm's limits but more entries than the blob holds.
    let mut b = bash_blob(None);
    set_u32(&mut b, 0, 0xffff);
    assert!(matches!(
        Header::parse(&b),
        Err(HeaderError::SizeMismatch { .. })
    ));
    let b = header_blob(&[(
        tag::EPOCH,
        Val::Raw(kind::INT32, 0x4000_0000, &[0, 0, 0, 1]),
    )]);
    let h = Header::parse(&b).expect("index valid");
    assert!(matches!(
        h.int32(tag::EPOCH),
        Err(HeaderError::BadCount { .. })
    ));
    let b = header_blob(&[(tag::EPOCH, Val::Raw(kind::INT32, 1, &[0, 1]))]);
    let h = Header::parse(&b).expect("index valid");
    assert!(matches!(
        h.int32(tag::EPOCH),
        Err(HeaderError::BadCount { .. })
    ));
}

#[test]
fn wrong_types() {
    let b = header_blob(&[(tag::NAME, Val::Int(7))]);
    let h = Header::parse(&b).expect("index valid");
    assert!(matches!(
        h.string(tag::NAME),
        Err(HeaderError::WrongType {
            kind: kind::INT32,
            ..
        })
    ));
    let b = header_blob(&[(tag::EPOCH, Val::Str("1"))]);
    let h = Header::parse(&b).expect("index valid");
    assert!(matches!(
        h.int32(tag::EPOCH),
        Err(HeaderError::WrongType {
            kind: kind::STRING,
            ..
        })
    ));
    let b = header_blob(&[(tag::NAME, Val::Raw(10, 1, b"x\0"))]);
    assert!(matches!(
        Header::parse(&b),
        Err(HeaderError::BadType { kind: 10, .. })
    ));
    let b = header_blob(&[(tag::NAME, Val::Raw(kind::STRING, 0, b"x\0"))]);
    let h = Header::parse(&b).expect("index valid");
    assert!(matches!(
        h.string(tag::NAME),
        Err(HeaderError::BadCount { .. })
    ));
}

#[test]
fn missing_tags_and_bad_source_rpm() {
    let b = header_blob(&[(tag::NAME, Val::Str("x")), (tag::VERSION, Val::Str("1"))]);
    let e = package(&b, "Red Hat", Path::new("db")).expect_err("no release");
    assert_eq!(e.to_string(), "no tag 1002 (RELEASE)");
    let b = header_blob(&[
        (tag::NAME, Val::Str("x")),
        (tag::VERSION, Val::Str("1")),
        (tag::RELEASE, Val::Str("2")),
        (tag::SOURCERPM, Val::Str("x.src.rpm")),
    ]);
    let e = package(&b, "Red Hat", Path::new("db")).expect_err("bad SOURCERPM");
    assert!(matches!(e, HeaderError::BadSourceRpm { .. }), "{e}");
}

#[test]
fn every_byte_mutation_is_an_answer_not_a_panic() {
    let blob = bash_blob(Some(3));
    for at in 0..blob.len() {
        for v in [0x00, 0x7f, 0x80, 0xff] {
            let mut b = blob.clone();
            b[at] = v;
            let _ = package(&b, "Red Hat", Path::new("db"));
        }
    }
}
