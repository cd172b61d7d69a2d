#!/usr/bin/env python3
"""Compare Vigie's detections with the pySigma oracle's triples.

    compare.py --vigie VIGIE.jsonl --oracle ORACLE.jsonl [--errors ORACLE_ERRORS.jsonl]
               [--base DIR] [--expected EXPECTED.tsv [--files FILES.txt]]
               [--out DISAGREEMENTS.tsv] [--write-expected NEW_EXPECTED.tsv]

Both sides are reduced to the set of (rule id, file, record id) triples:

* Vigie: `vigie hunt ... -f jsonl` output, one detection a line; `rule_id`, `source`, `record_id`
  are used. Only `"kind": "detection"` lines count (correlation alerts have no single event
  and are reported as a count).
* Oracle: `pysigma_oracle.py --out` output, `{"rule_id", "file", "record_id"}` a line.

Paths: with `--base DIR`, an absolute path (on either side) is written relative to DIR; a relative
Vigie path is first made absolute from the current folder, a relative oracle path is kept as is
(the oracle already made it relative with its own `--base`). Rule ids are compared lower-case
(pySigma prints a rule's UUID in canonical lower-case form).

`--errors` (the oracle's `--errors` file): rules the oracle failed to load, convert or query
(keywords, `|expand` placeholders, ...) have no oracle answer, so they are left out of the
comparison; their Vigie triples are reported as "not comparable". A rule is left out if any of
its variants failed.

Without `--expected`, every disagreement is printed to stdout, one a line, sorted by rule id,
file, record id (numerically) and side:

    rule_id<TAB>file<TAB>record_id<TAB>side        side = vigie-only | oracle-only

With `--expected FILE` (a TSV of those 4 columns plus a 5th, the `cause`; blank lines and lines
starting with `#` are ignored), the disagreements are checked against the list: each one not
listed is printed as `NEW`, each listed one that no longer occurs as `FIXED` ("fixed: remove it
from the list"). The exit status is 1 if there is any, else 0; the counts (per cause too) are
printed either way. `--files FILE` (paths one a line, as given to Vigie/the oracle; made relative
with `--base` like the triples) restricts the check of the list to those files: a listed
disagreement on a file outside the list is not checked (sample runs).

`--out FILE` writes the current disagreements (4 columns) to FILE; `--write-expected FILE` writes
a complete new expectation file: the comment lines of `--expected` first, then every current
disagreement with its cause from `--expected`, else `CHECK: <cause>` when the lines of that rule,
file and side that disappeared had that one cause (a record id that changed, say), else
`UNCLASSIFIED` (lines of `--expected` on files outside `--files` are kept as they are).

Exit status: 0 = agreement with the expectation (or no `--expected`), 1 = the expectation does
not hold, 2 = usage or input error.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
from typing import Dict, Iterable, List, Optional, Set, Tuple

Triple = Tuple[str, str, int]  # (rule id, file, record id)
Key = Tuple[str, str, int, str]  # a disagreement: triple + side

SIDES = ("vigie-only", "oracle-only")


def fail(message: str) -> None:
    """An input error: exit status 2."""
    print(f"compare.py: error: {message}", file=sys.stderr)
    sys.exit(2)


def rel_path(path: str, base: Optional[str], absolute_from_cwd: bool) -> str:
    if not base:
        return path
    if not os.path.isabs(path):
        if not absolute_from_cwd:
            return path
        path = os.path.abspath(path)
    return os.path.relpath(path, base)


def read_jsonl(path: str) -> Iterable[Tuple[int, dict]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as e:
                fail(f"{path}:{n}: not JSON: {e}")


def load_vigie(path: str, base: Optional[str]) -> Tuple[Set[Triple], collections.Counter]:
    triples: Set[Triple] = set()
    other: collections.Counter = collections.Counter()
    for n, d in read_jsonl(path):
        kind = d.get("kind", "detection")
        if kind != "detection":
            other[kind] += 1
            continue
        try:
            triples.add((str(d["rule_id"]).lower(), rel_path(str(d["source"]), base, True), int(d["record_id"])))
        except (KeyError, TypeError, ValueError) as e:
            fail(f"{path}:{n}: detection without rule_id/source/record_id ({e!r})")
    return triples, other


def load_oracle(path: str, base: Optional[str]) -> Set[Triple]:
    triples: Set[Triple] = set()
    for n, d in read_jsonl(path):
        try:
            triples.add((str(d["rule_id"]).lower(), rel_path(str(d["file"]), base, False), int(d["record_id"])))
        except (KeyError, TypeError, ValueError) as e:
            fail(f"{path}:{n}: triple without rule_id/file/record_id ({e!r})")
    return triples


def load_errors(path: str) -> Tuple[Set[str], collections.Counter]:
    """Rule ids the oracle has no (complete) answer for, and the errors by stage."""
    rules: Set[str] = set()
    stages: collections.Counter = collections.Counter()
    for _, d in read_jsonl(path):
        stages[d.get("stage")] += 1
        if d.get("rule_id"):
            rules.add(str(d["rule_id"]).lower())
    return rules, stages


def load_expected(path: str) -> Tuple[Dict[Key, str], List[str]]:
    expected: Dict[Key, str] = {}
    comments: List[str] = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                if not expected:  # the header: comments (and blank lines) before the first entry
                    comments.append(line)
                continue
            cols = line.split("\t")
            if len(cols) != 5:
                fail(f"{path}:{n}: want 5 tab-separated columns "
                                 f"(rule_id, file, record_id, side, cause), got {len(cols)}")
            rule_id, file, record, side, cause = cols
            if side not in SIDES:
                fail(f"{path}:{n}: side must be one of {', '.join(SIDES)}: {side!r}")
            try:
                key = (rule_id.lower(), file, int(record), side)
            except ValueError:
                fail(f"{path}:{n}: record_id is not an integer: {record!r}")
            if key in expected:
                fail(f"{path}:{n}: listed twice: {line}")
            if not cause.strip():
                fail(f"{path}:{n}: empty cause")
            expected[key] = cause.strip()
    return expected, comments


def load_files(path: str, base: Optional[str]) -> Set[str]:
    with open(path, encoding="utf-8") as f:
        return {rel_path(line.rstrip("\n"), base, True) for line in f if line.strip()}


def sort_key(k: Key) -> Tuple[str, str, int, str]:
    return k


def fmt(k: Key, cause: Optional[str] = None) -> str:
    cols = [k[0], k[1], str(k[2]), k[3]]
    if cause is not None:
        cols.append(cause)
    return "\t".join(cols)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--vigie", required=True, metavar="FILE", help="Vigie's `hunt -f jsonl` output")
    ap.add_argument("--oracle", required=True, metavar="FILE", help="the oracle's triples (--out)")
    ap.add_argument("--errors", metavar="FILE", help="the oracle's errors (--errors): rules left out")
    ap.add_argument("--base", metavar="DIR", help="make absolute paths relative to DIR")
    ap.add_argument("--expected", metavar="FILE", help="expected disagreements (TSV, 5 columns)")
    ap.add_argument("--files", metavar="FILE", help="check only the --expected lines on these files")
    ap.add_argument("--out", metavar="FILE", help="write the current disagreements (TSV, 4 columns)")
    ap.add_argument("--write-expected", metavar="FILE",
                    help="write a new expectation file: current disagreements with their causes")
    args = ap.parse_args(argv)
    base = os.path.abspath(args.base) if args.base else None

    vigie, vigie_other = load_vigie(args.vigie, base)
    oracle = load_oracle(args.oracle, base)
    failed: Set[str] = set()
    err_stages: collections.Counter = collections.Counter()
    if args.errors:
        failed, err_stages = load_errors(args.errors)
    not_comparable = {t for t in vigie if t[0] in failed}
    vigie_c = vigie - not_comparable
    oracle_c = {t for t in oracle if t[0] not in failed}

    both = vigie_c & oracle_c
    current: Set[Key] = {(*t, "vigie-only") for t in vigie_c - oracle_c}
    current |= {(*t, "oracle-only") for t in oracle_c - vigie_c}
    ordered = sorted(current, key=sort_key)

    p = lambda *a: print(*a, file=sys.stderr if not args.expected else sys.stdout)  # noqa: E731
    summary = [
        f"oracle triples: {len(oracle)} ({len(oracle) - len(oracle_c)} of rules the oracle failed)",
        f"vigie triples: {len(vigie)}" + (
            "; other: " + ", ".join(f"{n} {k}" for k, n in sorted(vigie_other.items())) if vigie_other else ""),
        f"not comparable (vigie triples of {len(failed)} rules the oracle could not convert: "
        f"{dict(sorted(err_stages.items()))}): {len(not_comparable)} triples "
        f"from {len({t[0] for t in not_comparable})} rules",
        f"agreements: {len(both)}",
        f"disagreements: {len(current)} (vigie-only {sum(k[3] == 'vigie-only' for k in current)}, "
        f"oracle-only {sum(k[3] == 'oracle-only' for k in current)})",
    ]

    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for k in ordered:
                f.write(fmt(k) + "\n")

    if not args.expected:
        for k in ordered:
            print(fmt(k))
        for line in summary:
            p(line)
        if args.write_expected:
            with open(args.write_expected, "w", encoding="utf-8") as f:
                for k in ordered:
                    f.write(fmt(k, "UNCLASSIFIED") + "\n")
        return 0

    expected, comments = load_expected(args.expected)
    scope: Optional[Set[str]] = load_files(args.files, base) if args.files else None
    checked = {k: c for k, c in expected.items() if scope is None or k[1] in scope}
    new = [k for k in ordered if k not in expected]
    fixed = sorted((k for k in checked if k not in current), key=sort_key)

    for line in summary:
        p(line)
    by_cause: collections.Counter = collections.Counter()
    for k in current:
        if k in expected:
            by_cause[expected[k]] += 1
    print(f"expected disagreements: {len(expected)} listed, {len(checked)} checked "
          f"({len(expected) - len(checked)} on files outside this run)")
    if by_cause:
        print("disagreements by cause:")
        for cause, n in sorted(by_cause.items(), key=lambda x: (-x[1], x[0])):
            print(f"  {n:6d}  {cause}")
    bugs = sum(n for c, n in by_cause.items() if c.startswith("VIGIE-BUG"))
    if bugs:
        print(f"note: {bugs} disagreements are listed as VIGIE-BUG (known Vigie bugs to fix)")
    for k in new:
        print("NEW (not in the list: fix it or add it with its cause): " + fmt(k))
    for k in fixed:
        print("FIXED (no longer occurs: remove it from the list): " + fmt(k, expected[k]))

    if args.write_expected:
        # A new line whose (rule, file, side) only had fixed lines of one cause (e.g. its record
        # id changed) gets that cause, marked "CHECK: " for review; other new lines UNCLASSIFIED.
        gone: Dict[Tuple[str, str, str], Set[str]] = collections.defaultdict(set)
        for k in fixed:
            gone[(k[0], k[1], k[3])].add(expected[k])

        def proposed(k: Key) -> str:
            if k in expected:
                return expected[k]
            causes = gone.get((k[0], k[1], k[3]), set())
            if len(causes) == 1:
                cause = next(iter(causes))
                return cause if cause.startswith("CHECK: ") else "CHECK: " + cause
            return "UNCLASSIFIED"

        lines = {k: proposed(k) for k in current}
        for k, c in expected.items():  # lines not checked in this run are kept
            if k not in checked:
                lines[k] = c
        with open(args.write_expected, "w", encoding="utf-8") as f:
            for c in comments:
                f.write(c + "\n")
            for k in sorted(lines, key=sort_key):
                f.write(fmt(k, lines[k]) + "\n")

    unreviewed = sorted((k for k, c in checked.items() if c == "UNCLASSIFIED" or c.startswith("CHECK: ")),
                        key=sort_key)
    for k in unreviewed:
        print("UNREVIEWED (classify it: cause UNCLASSIFIED or CHECK: ...): " + fmt(k, expected[k]))
    if new or fixed or unreviewed:
        print(f"FAIL: {len(new)} new disagreements, {len(fixed)} listed ones fixed, "
              f"{len(unreviewed)} listed without a reviewed cause (see {args.expected})")
        return 1
    print("OK: the disagreements are exactly the expected ones")
    return 0


if __name__ == "__main__":
    sys.exit(main())
