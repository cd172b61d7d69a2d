#!/usr/bin/env python3
"""Compares `vigie audit oval --format jsonl` with `oscap oval eval` output, definition by
definition, against an expectation file (definition id, vigie result, oscap result, reason).

Prints the agreement and every difference; exit 0 when the differences are exactly the listed
ones, 1 otherwise (unlisted differences, or listed ones that now agree)."""
import argparse
import json
import re
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oscap", required=True, help="oscap oval eval stdout")
    ap.add_argument("--vigie", required=True, help="vigie audit oval --format jsonl stdout")
    ap.add_argument("--expected", required=True, help="expected differences (TSV)")
    a = ap.parse_args()

    oscap = {}
    with open(a.oscap) as f:
        for line in f:
            m = re.match(r"Definition (\S+): (.+)$", line.strip())
            if m:
                oscap[m.group(1)] = m.group(2)
    vigie = {}
    with open(a.vigie) as f:
        for line in f:
            d = json.loads(line)
            vigie[d["definition_id"]] = d["result"]
    sys.exit(0 if agreement(oscap, vigie, a.expected, "definitions") else 1)


def agreement(oscap, vigie, expected_path, noun):
    """Prints the agreement of two id -> result maps and every difference, against the
    expectation file (id, vigie result, oscap result, reason); True when the differences are
    exactly the listed ones. Also used by tests/xccdf/compare.py."""
    expected = {}
    try:
        with open(expected_path) as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.rstrip("\n").split("\t")
                expected[cols[0]] = (cols[1], cols[2], cols[3] if len(cols) > 3 else "")
    except FileNotFoundError:
        pass

    ok = True
    if set(oscap) != set(vigie):
        print(f"{noun} differ: {len(set(oscap) ^ set(vigie))} ids in one output only")
        ok = False
    ids = sorted(set(oscap) & set(vigie))
    same = [i for i in ids if oscap[i] == vigie[i]]
    pct = 100.0 * len(same) / len(ids) if ids else 0.0
    print(f"{len(same)} of {len(ids)} {noun} agree with oscap ({pct:.2f}%)")
    for i in ids:
        v, o = vigie[i], oscap[i]
        listed = expected.get(i)
        if v == o:
            if listed:
                print(f"FIXED (listed, now both {v}): {i}")
                ok = False
            continue
        if listed and listed[0] == v and listed[1] == o:
            print(f"listed: {i}\tvigie {v}\toscap {o}\t{listed[2]}")
        else:
            print(f"NEW DIFFERENCE: {i}\tvigie {v}\toscap {o}")
            ok = False
    for i in expected:
        if i not in oscap:
            print(f"listed but not in the output: {i}")
            ok = False
    return ok


if __name__ == "__main__":
    main()
