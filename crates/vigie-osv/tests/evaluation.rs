//! Range evaluation case by case: the OSV schema's own examples (unfixed, fixed, multiple
//! ranges, limit, last_affected), the special values "0" and "*", unsorted events, versions
//! lists, GIT ranges, and the answers that must stay "not evaluated".

use serde_json::json;
use vigie_osv::{
    affects, parse_file, range_verdict, ranges_verdict, record_from_value, NotEvaluated, Record,
    Verdict,
};

fn record(affected: serde_json::Value) -> Record {
    record_from_value(
        &json!({"id": "TEST-1", "modified": "2024-01-01T00:00:00Z", "affected": affected}),
    )
    .expect("a record")
}

/// A record with one range of one package.
fn one_range(ecosystem: &str, kind: &str, events: serde_json::Value) -> Record {
    record(json!([{"package": {"ecosystem": ecosystem, "name": "pkg"},
                   "ranges": [{"type": kind, "events": events}]}]))
}

fn yes(fixed: &[&str]) -> Verdict {
    Verdict::Affected {
        fixed: fixed.iter().map(|s| s.to_string()).collect(),
    }
}

const NO: Verdict = Verdict::NotAffected;

fn check(r: &Record, eco: &str, cases: &[(&str, Verdict)]) {
    for (v, want) in cases {
        assert_eq!(&affects(r, eco, "pkg", v), want, "{eco} pkg {v}");
    }
}

#[test]
fn schema_examples() {
    // Unfixed: every version.
    let r = one_range("npm", "SEMVER", json!([{"introduced": "0"}]));
    check(
        &r,
        "npm",
        &[("0.0.0-alpha", yes(&[])), ("99.0.0", yes(&[]))],
    );
    // Fixed: everything before 1.0.2.
    let r = one_range(
        "npm",
        "SEMVER",
        json!([{"introduced": "0"}, {"fixed": "1.0.2"}]),
    );
    check(
        &r,
        "npm",
        &[
            ("1.0.1", yes(&["1.0.2"])),
            ("1.0.2", NO),
            ("1.0.2-rc.1", yes(&["1.0.2"])),
        ],
    );
    // Multiple ranges: [1.0.0, 1.0.2) and [3.0.0, 3.2.5).
    let r = one_range(
        "npm",
        "SEMVER",
        json!([{"introduced": "1.0.0"}, {"fixed": "1.0.2"}, {"introduced": "3.0.0"}, {"fixed": "3.2.5"}]),
    );
    check(
        &r,
        "npm",
        &[
            ("0.9.0", NO),
            ("1.0.0", yes(&["1.0.2", "3.2.5"])),
            ("1.0.2", NO),
            ("2.0.0", NO),
            ("3.2.4", yes(&["3.2.5"])),
            ("3.2.5", NO),
        ],
    );
    // last_affected: 2.1.214 and below.
    let r = one_range(
        "Maven",
        "ECOSYSTEM",
        json!([{"introduced": "0"}, {"last_affected": "2.1.214"}]),
    );
    check(
        &r,
        "Maven",
        &[("2.1.214", yes(&[])), ("2.1.215", NO), ("1.0", yes(&[]))],
    );
}

#[test]
fn events_are_sorted_before_the_walk() {
    let r = one_range(
        "PyPI",
        "ECOSYSTEM",
        json!([{"fixed": "2.0"}, {"introduced": "1.5"}, {"fixed": "1.2"}, {"introduced": "1.0"}]),
    );
    check(
        &r,
        "PyPI",
        &[
            ("0.9", NO),
            ("1.0", yes(&["1.2", "2.0"])),
            ("1.2", NO),
            ("1.5", yes(&["2.0"])),
            ("1.99", yes(&["2.0"])),
            ("2.0", NO),
        ],
    );
}

#[test]
fn zero_is_before_every_version_and_star_after() {
    // PEP 440 puts legacy versions before 0; "0" introduced still covers them.
    let r = one_range(
        "PyPI",
        "ECOSYSTEM",
        json!([{"introduced": "0"}, {"fixed": "1.0"}]),
    );
    check(
        &r,
        "PyPI",
        &[("french-toast", yes(&["1.0"])), ("0.0.dev0", yes(&["1.0"]))],
    );
    let r = one_range(
        "npm",
        "SEMVER",
        json!([{"introduced": "1.0.0"}, {"limit": "*"}]),
    );
    check(&r, "npm", &[("5.0.0", yes(&[])), ("0.5.0", NO)]);
}

#[test]
fn limits_bound_the_range() {
    let r = one_range(
        "npm",
        "SEMVER",
        json!([{"introduced": "1.0.0"}, {"limit": "2.0.0"}, {"limit": "1.5.0"}]),
    );
    // Below some limit: 1.9.0 < 2.0.0.
    check(
        &r,
        "npm",
        &[("1.2.0", yes(&[])), ("1.9.0", yes(&[])), ("2.0.0", NO)],
    );
}

#[test]
fn ties_keep_the_written_order() {
    let r = one_range(
        "npm",
        "SEMVER",
        json!([{"introduced": "1.0.0"}, {"fixed": "1.0.0"}]),
    );
    check(&r, "npm", &[("1.0.0", NO), ("2.0.0", NO)]);
    // Two ranges joined at 1.0.0, as PyPA's pyspark advisories write them.
    let r = one_range(
        "PyPI",
        "ECOSYSTEM",
        json!([{"introduced": "0"}, {"fixed": "1.0"}, {"introduced": "2.0"}, {"fixed": "2.2"},
               {"introduced": "1.0"}, {"fixed": "1.3"}]),
    );
    check(
        &r,
        "PyPI",
        &[
            ("1.0", yes(&["1.3", "2.2"])),
            ("1.2", yes(&["1.3", "2.2"])),
            ("1.3", NO),
            ("2.1", yes(&["2.2"])),
        ],
    );
    let r = one_range(
        "npm",
        "SEMVER",
        json!([{"introduced": "1.0.0"}, {"last_affected": "1.0.0"}]),
    );
    check(&r, "npm", &[("1.0.0", yes(&[])), ("1.0.1", NO)]);
}

#[test]
fn versions_lists_and_ranges_are_ored() {
    let r = record(
        json!([{"package": {"ecosystem": "PyPI", "name": "Pkg_Name"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"fixed": "1.1"}]}],
        "versions": ["0.5", "1.0"]}]),
    );
    let v = |v| affects(&r, "PyPI", "pkg-name", v);
    assert_eq!(v("0.5"), yes(&["1.1"]));
    assert_eq!(v("0.5.0"), yes(&["1.1"]), "equal in PEP 440 order");
    assert_eq!(v("0.6"), NO);
    assert_eq!(
        ranges_verdict(&r.affected[0], "0.5"),
        NO,
        "the list is left out"
    );
    assert_eq!(affects(&r, "npm", "pkg-name", "0.5"), NO, "other ecosystem");
}

#[test]
fn git_ranges_are_not_evaluated() {
    let r = record(json!([{"package": {"ecosystem": "PyPI", "name": "pkg"},
        "ranges": [{"type": "GIT", "repo": "https://example.invalid/r.git",
                    "events": [{"introduced": "0"}, {"fixed": "abc123"}]}]}]));
    assert_eq!(
        affects(&r, "PyPI", "pkg", "1.0"),
        Verdict::NotEvaluated(NotEvaluated::GitRange {
            repo: Some("https://example.invalid/r.git".into())
        })
    );
    assert!(matches!(
        range_verdict(&r.affected[0].ranges[0], "PyPI", "1.0"),
        Verdict::NotEvaluated(NotEvaluated::GitRange { .. })
    ));
    // With a versions list, the list answers for the commits.
    let r = record(json!([{"package": {"ecosystem": "PyPI", "name": "pkg"},
        "ranges": [{"type": "GIT", "repo": "r", "events": [{"introduced": "0"}, {"fixed": "abc"}]}],
        "versions": ["1.0"]}]));
    assert_eq!(affects(&r, "PyPI", "pkg", "1.0"), yes(&[]));
    assert_eq!(affects(&r, "PyPI", "pkg", "2.0"), NO);
}

#[test]
fn what_cannot_be_ordered_is_not_evaluated() {
    let r = one_range(
        "Linux",
        "ECOSYSTEM",
        json!([{"introduced": "0"}, {"fixed": "6.1"}]),
    );
    assert_eq!(
        affects(&r, "Linux", "pkg", "5.0"),
        Verdict::NotEvaluated(NotEvaluated::UnknownEcosystem("Linux".into()))
    );
    let r = one_range(
        "npm",
        "SEMVER",
        json!([{"introduced": "0"}, {"fixed": "1.0.0"}]),
    );
    assert!(matches!(
        affects(&r, "npm", "pkg", "not a version"),
        Verdict::NotEvaluated(NotEvaluated::InvalidVersion { .. })
    ));
    let r = one_range(
        "npm",
        "SEMVER",
        json!([{"introduced": "0"}, {"fixed": "1.x"}]),
    );
    assert!(matches!(
        affects(&r, "npm", "pkg", "0.5.0"),
        Verdict::NotEvaluated(NotEvaluated::InvalidRecordVersion { .. })
    ));
    let r = one_range("npm", "SEMVER", json!([{"fixed": "1.0.0"}]));
    assert!(matches!(
        affects(&r, "npm", "pkg", "0.5.0"),
        Verdict::NotEvaluated(NotEvaluated::InvalidRange(_))
    ));
    let r = one_range("npm", "WEIRD", json!([{"introduced": "0"}]));
    assert!(matches!(
        affects(&r, "npm", "pkg", "0.5.0"),
        Verdict::NotEvaluated(NotEvaluated::UnknownRangeType(_))
    ));
    // Another range that says yes wins over one that cannot say.
    let r = record(
        json!([{"package": {"ecosystem": "npm", "name": "pkg"}, "ranges": [
        {"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.x"}]},
        {"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}]}]),
    );
    assert_eq!(affects(&r, "npm", "pkg", "1.5.0"), yes(&["2.0.0"]));
    // A package without ranges or versions.
    let r = record(json!([{"package": {"ecosystem": "npm", "name": "pkg"}}]));
    assert_eq!(
        affects(&r, "npm", "pkg", "1.0.0"),
        Verdict::NotEvaluated(NotEvaluated::NoVersionInformation)
    );
}

#[test]
fn fixes_that_are_themselves_affected_are_left_out() {
    // 1.2 fixes the 1.x branch, but 1.2 is inside the second range: only 2.1 fixes 1.1.
    let r = record(
        json!([{"package": {"ecosystem": "PyPI", "name": "pkg"}, "ranges": [
        {"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"fixed": "1.2"}]},
        {"type": "ECOSYSTEM", "events": [{"introduced": "1.2"}, {"fixed": "2.1"}]}]}]),
    );
    assert_eq!(affects(&r, "PyPI", "pkg", "1.1"), yes(&["2.1"]));
}

#[test]
fn ecosystem_suffixes() {
    let r = one_range(
        "Debian:12",
        "ECOSYSTEM",
        json!([{"introduced": "0"}, {"fixed": "1.2-1+deb12u1"}]),
    );
    assert_eq!(
        affects(&r, "Debian:12", "pkg", "1.2-1"),
        yes(&["1.2-1+deb12u1"])
    );
    assert_eq!(
        affects(&r, "Debian", "pkg", "1.2-1"),
        yes(&["1.2-1+deb12u1"])
    );
    assert_eq!(affects(&r, "Debian:11", "pkg", "1.2-1"), NO);
}

#[test]
fn malformed_records_name_the_file_and_reason() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("a.json", b"{\"id\": 1", "a.json: invalid JSON at line 1, column 8"),
        ("b.json", b"[1]", "b.json: not an OSV record: expected an object, found a list"),
        ("c.json", b"{\"modified\": \"x\"}", "c.json: not an OSV record: missing field `id`"),
        ("d.yaml", b"id: [x\n", "d.yaml: invalid YAML at line"),
        ("e.txt", b"{}", "e.txt: unknown record format"),
        ("f.json", b"\xff\xfe", "f.json: not UTF-8 text (byte 0)"),
        (
            "g.json",
            b"{\"id\":\"G\",\"modified\":\"x\",\"affected\":[{\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1\"}]}]}]}",
            "g.json: not an OSV record: an event may hold only one of introduced, fixed, last_affected, limit (found introduced and fixed)",
        ),
    ];
    for (file, bytes, want) in cases {
        let err = parse_file(file, bytes).expect_err(file).to_string();
        assert!(err.starts_with(want), "{err}");
    }
}

#[test]
fn unknown_fields_and_nulls_are_tolerated() {
    let r = parse_file(
        "x.yaml",
        b"id: X\nmodified: 2024-01-01T00:00:00Z\nnew_field: {a: 1}\naliases: null\naffected:\n- package: {ecosystem: PyPI, name: p}\n  versions: [1.0, 1.10, 2]\n  ranges:\n  - type: ECOSYSTEM\n    events: [{introduced: 0}, {fixed: 1.2}]\n",
    )
    .expect("parses");
    assert_eq!(r.modified, "2024-01-01T00:00:00Z");
    assert_eq!(r.affected[0].versions, ["1.0", "1.10", "2"]);
    assert_eq!(affects(&r, "PyPI", "p", "1.1"), yes(&["1.2"]));
    assert_eq!(affects(&r, "PyPI", "p", "1.10"), yes(&[]));
}
