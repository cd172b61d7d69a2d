#!/usr/bin/env python3
"""Compares `vigie audit config --format jsonl` with `oscap xccdf eval` output, rule by rule, and
the default-model score (vigie's trailer line against the TestResult/score oscap writes with
--results), against an expectation file.

Expectation file (TSV): scope, rule id, vigie result, oscap result, reason. The scope is a shell
pattern matched against --scope (CONTENT/PROFILE/MODE, e.g. debian11/standard/noplatform).

Prints the agreement and every difference; exit 0 when the differences are exactly the listed
ones, 1 otherwise (unlisted differences, listed ones that now agree, a score that differs while
every rule agrees). --summary FILE appends one TSV line per run (scope, rules, equal,
differences, vigie score, oscap score); --used FILE appends the listed entries met, and
`--check-used FILE` (with --expected) fails on listed entries no run met."""
import argparse
import fnmatch
import json
import re
import struct
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from oscap_agreement import agreement  # noqa: E402


def read_expected(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.rstrip("\n").split("\t")
                cols += [""] * (5 - len(cols))
                out.append(tuple(cols[:5]))
    except FileNotFoundError:
        pass
    return out


def read_oscap(path):
    oscap = {}
    rule = None
    with open(path, "rb") as f:
        # Split on "\n" only: oscap writes "Rule\r\tID", a carriage return before the tab.
        for line in f.read().decode("utf-8", "replace").split("\n"):
            cols = [c.strip() for c in line.split("\t")]
            if len(cols) == 2 and cols[0] == "Rule":
                rule = cols[1]
            elif len(cols) == 2 and cols[0] == "Result" and rule:
                oscap[rule] = cols[1]
                rule = None
    return oscap


def read_oscap_score(path):
    if not path:
        return None
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return None
    m = re.search(r'<score[^>]*system="urn:xccdf:scoring:default"[^>]*>([^<]+)</score>', text)
    return float(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oscap", help="oscap xccdf eval stdout")
    ap.add_argument("--oscap-results", help="oscap xccdf eval --results file (for the score)")
    ap.add_argument("--vigie", help="vigie audit config --format jsonl stdout")
    ap.add_argument("--expected", required=True, help="expected differences (TSV)")
    ap.add_argument("--scope", default="", help="CONTENT/PROFILE/MODE of this run")
    ap.add_argument("--summary", help="append a TSV line per run to this file")
    ap.add_argument("--used", help="append the listed entries met to this file")
    ap.add_argument("--check-used", help="fail on listed entries that no run met")
    a = ap.parse_args()
    expected = read_expected(a.expected)

    if a.check_used:
        met = set()
        try:
            with open(a.check_used) as f:
                met = {tuple(l.rstrip("\n").split("\t")[:2]) for l in f if l.strip()}
        except FileNotFoundError:
            pass
        gone = [e for e in expected if (e[0], e[1]) not in met]
        for e in gone:
            print(f"listed but met in no run: {e[0]}\t{e[1]}")
        return 1 if gone else 0

    oscap = read_oscap(a.oscap)
    vigie, vscore = {}, None
    with open(a.vigie) as f:
        for line in f:
            d = json.loads(line)
            if "rule_id" in d:
                vigie[d["rule_id"]] = d["result"]
            elif "score" in d:
                # Vigie scores in single precision, as oscap; JSON gives the shortest text
                # of that float, read back to its exact value before printing 6 decimals.
                vscore = struct.unpack("f", struct.pack("f", float(d["score"])))[0]
    scoped = {e[1]: e for e in expected if fnmatch.fnmatchcase(a.scope, e[0])}
    listed = {i: (e[2], e[3], e[4]) for i, e in scoped.items()}
    ok, ids, same, met = agreement(oscap, vigie, listed, "rules")
    used = [(scoped[i][0], i) for i in met]

    oscore = read_oscap_score(a.oscap_results)
    fmt = lambda s: "-" if s is None else f"{s:.6f}"
    if a.oscap_results:
        if fmt(vscore) == fmt(oscore):
            print(f"score agrees: {fmt(vscore)}")
        elif len(same) != len(ids) or not ok:
            print(f"score: vigie {fmt(vscore)}, oscap {fmt(oscore)} (follows the rule differences above)")
        else:
            print(f"NEW DIFFERENCE: score\tvigie {fmt(vscore)}\toscap {fmt(oscore)}")
            ok = False
    if a.used:
        with open(a.used, "a") as f:
            for u in used:
                f.write("\t".join(u) + "\n")
    if a.summary:
        with open(a.summary, "a") as f:
            f.write(f"{a.scope}\t{len(ids)}\t{len(same)}\t{len(ids) - len(same)}\t{fmt(vscore)}\t{fmt(oscore)}\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
