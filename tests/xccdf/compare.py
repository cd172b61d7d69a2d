#!/usr/bin/env python3
"""Compares `vigie audit config --format jsonl` with `oscap xccdf eval` output, rule by rule,
against an expectation file (rule id, vigie result, oscap result, reason).

Prints the agreement and every difference; exit 0 when the differences are exactly the listed
ones, 1 otherwise (unlisted differences, or listed ones that now agree)."""
import argparse
import importlib.util
import json
import os
import sys

# The comparison itself is tests/oval/compare.py's.
_spec = importlib.util.spec_from_file_location(
    "oval_compare", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oval", "compare.py")
)
_oval = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_oval)
agreement = _oval.agreement


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
    return 0 if agreement(oscap, vigie, a.expected, "rules") else 1


if __name__ == "__main__":
    sys.exit(main())
