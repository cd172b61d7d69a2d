#!/usr/bin/env python3
"""Compares `vigie audit config --format jsonl` with `oscap xccdf eval` output, rule by rule,
against an expectation file (rule id, vigie result, oscap result, reason).

Prints the agreement and every difference; exit 0 when the differences are exactly the listed
ones, 1 otherwise (unlisted differences, or listed ones that now agree)."""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oscap", required=True, help="oscap xccdf eval stdout")
    ap.add_argument("--vigie", required=True, help="vigie audit config --format jsonl stdout")
    ap.add_argument("--expected", required=True, help="expected differences (TSV)")
    a = ap.parse_args()

    oscap = {}
    rule = None
    with open(a.oscap, "rb") as f:
        # Split on "\n" only: oscap writes "Rule\r\tID", a carriage return before the tab.
        for line in f.read().decode("utf-8", "replace").split("\n"):
            cols = [c.strip() for c in line.split("\t")]
            if len(cols) == 2 and cols[0] == "Rule":
                rule = cols[1]
            elif len(cols) == 2 and cols[0] == "Result" and rule:
                oscap[rule] = cols[1]
                rule = None
    vigie = {}
    with open(a.vigie) as f:
        for line in f:
            d = json.loads(line)
            vigie[d["rule_id"]] = d["result"]
    expected = {}
    try:
        with open(a.expected) as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.rstrip("\n").split("\t")
                expected[cols[0]] = (cols[1], cols[2], cols[3] if len(cols) > 3 else "")
    except FileNotFoundError:
        pass

    ok = True
    only = set(oscap) ^ set(vigie)
    if only:
        print(f"rules differ: {len(only)} ids in one output only: {sorted(only)[:5]}")
        ok = False
    ids = sorted(set(oscap) & set(vigie))
    same = [i for i in ids if oscap[i] == vigie[i]]
    pct = 100.0 * len(same) / len(ids) if ids else 0.0
    print(f"{len(same)} of {len(ids)} rules agree with oscap ({pct:.2f}%)")
    for i in ids:
        if oscap[i] == vigie[i]:
            if i in expected:
                print(f"listed difference now agrees: {i}")
                ok = False
            continue
        exp = expected.get(i)
        if exp and exp[0] == vigie[i] and exp[1] == oscap[i]:
            print(f"expected: {i}: vigie {vigie[i]}, oscap {oscap[i]} ({exp[2]})")
        else:
            print(f"UNEXPECTED: {i}: vigie {vigie[i]}, oscap {oscap[i]}")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
