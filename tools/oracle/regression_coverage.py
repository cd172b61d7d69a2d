#!/usr/bin/env python3
"""Check the oracle's triples against SigmaHQ's regression_data/**/info.yml.

Each info.yml names a rule id (rule_metadata[].id) and the EVTX file(s) it must match
(regression_tests_info[].path, relative to the SigmaHQ repository root). This prints how many
of those (rule id, file) pairs have at least one triple in the oracle output, and lists the
misses.

    python regression_coverage.py --triples TRIPLES.jsonl --regression-root SIGMA_ROOT \
        [--base BASEDIR]

SIGMA_ROOT is the folder holding regression_data/ (the SigmaHQ checkout); --base must be the
same --base given to pysigma_oracle.py (EVTX paths in the triples are relative to it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import yaml


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--triples", required=True)
    ap.add_argument("--regression-root", required=True, help="folder that contains regression_data/")
    ap.add_argument("--base", help="the --base given to the oracle")
    ap.add_argument("--json", action="store_true", help="print misses as JSON lines")
    args = ap.parse_args()

    root = Path(args.regression_root)
    found = set()
    with open(args.triples, encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            found.add((t["rule_id"], t["file"]))

    pairs = []
    for info in sorted((root / "regression_data").rglob("info.yml")):
        doc = yaml.safe_load(info.read_text(encoding="utf-8"))
        ids = [m["id"] for m in doc.get("rule_metadata", []) if "id" in m]
        for test in doc.get("regression_tests_info", []):
            if test.get("type", "evtx") != "evtx":
                continue
            evtx = (root / test["path"]).resolve()
            if not evtx.exists():  # fall back to the evtx next to info.yml
                cands = sorted(info.parent.glob("*.evtx"))
                evtx = cands[0].resolve() if cands else evtx
            shown = os.path.relpath(str(evtx), args.base) if args.base else str(evtx)
            for rid in ids:
                pairs.append((rid, shown, str(info.relative_to(root))))

    misses = [p for p in pairs if (p[0], p[1]) not in found]
    print(f"regression pairs: {len(pairs)}; found by the oracle: {len(pairs) - len(misses)}; "
          f"missed: {len(misses)}")
    for rid, shown, info in misses:
        if args.json:
            print(json.dumps({"rule_id": rid, "file": shown, "info": info}))
        else:
            print(f"  MISS {rid} {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
