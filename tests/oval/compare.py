#!/usr/bin/env python3
"""Compares `vigie audit oval --format jsonl` with `oscap oval eval` output, definition by
definition, against an expectation file (definition id, vigie result, oscap result, reason).

Prints the agreement and every difference; exit 0 when the differences are exactly the listed
ones, 1 otherwise (unlisted differences, or listed ones that now agree)."""
import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from oscap_agreement import agreement  # noqa: E402


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
    listed = read_listed(a.expected)
    ok = agreement(oscap, vigie, listed, "definitions")[0]
    for i in listed:
        if i not in oscap:
            print(f"listed but not in the output: {i}")
            ok = False
    sys.exit(0 if ok else 1)


def read_listed(path):
    """The expectation file (id, vigie result, oscap result, reason), by id."""
    listed = {}
    try:
        with open(path) as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                cols = line.rstrip("\n").split("\t")
                listed[cols[0]] = (cols[1], cols[2], cols[3] if len(cols) > 3 else "")
    except FileNotFoundError:
        pass
    return listed


if __name__ == "__main__":
    main()
