#!/usr/bin/env python3
"""Differential test: `vigie cvss VECTOR --format json` against the `cvss` PyPI package
(RedHatProductSecurity/cvss, "python-cvss"), on deterministic random vectors of every version.

Run through tests/cvss/run.sh, which makes the venv; see tests/cvss/README.md.

For each version (2.0, 3.0, 3.1, 4.0) it draws --per-version vectors from a seeded generator:
every base metric, each optional metric left out or given any of its values (Not Defined
included), metrics shuffled in one vector out of ten; and one vector out of twenty is broken on
purpose (a base metric dropped, a metric repeated, an invalid value, an unknown metric), which
both sides must reject. Compared: base, temporal and environmental scores (v2 / v3), the score
(v4) and the severity. python-cvss leaves the v2 temporal (environmental) score undefined when no
temporal (environmental) metric is given; Vigie always computes them with Not Defined metrics,
so the reference for those is python-cvss on the vector with the neutral values whose weights
equal Not Defined's (E:H/RL:U/RC:C, CDP:N/TD:H/CR:M/IR:M/AR:M).

Exit status: 0 = every disagreement is listed in the expectation file (and every listed one still
disagrees), 1 = not, 2 = setup error.
"""

import argparse
import json
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

# (metric, values, mandatory) in specification order.
V2 = [
    ("AV", "LAN", True), ("AC", "HML", True), ("Au", "MSN", True),
    ("C", "NPC", True), ("I", "NPC", True), ("A", "NPC", True),
    ("E", ["U", "POC", "F", "H", "ND"], False), ("RL", ["OF", "TF", "W", "U", "ND"], False),
    ("RC", ["UC", "UR", "C", "ND"], False),
    ("CDP", ["N", "L", "LM", "MH", "H", "ND"], False), ("TD", ["N", "L", "M", "H", "ND"], False),
    ("CR", ["L", "M", "H", "ND"], False), ("IR", ["L", "M", "H", "ND"], False),
    ("AR", ["L", "M", "H", "ND"], False),
]
V2_TEMPORAL = {"E": "H", "RL": "U", "RC": "C"}
V2_ENVIRONMENTAL = {"CDP": "N", "TD": "H", "CR": "M", "IR": "M", "AR": "M"}

V3 = [
    ("AV", "NALP", True), ("AC", "LH", True), ("PR", "NLH", True), ("UI", "NR", True),
    ("S", "UC", True), ("C", "HLN", True), ("I", "HLN", True), ("A", "HLN", True),
    ("E", "XHFPU", False), ("RL", "XUWTO", False), ("RC", "XCRU", False),
    ("CR", "XHML", False), ("IR", "XHML", False), ("AR", "XHML", False),
    ("MAV", "XNALP", False), ("MAC", "XLH", False), ("MPR", "XNLH", False), ("MUI", "XNR", False),
    ("MS", "XUC", False), ("MC", "XHLN", False), ("MI", "XHLN", False), ("MA", "XHLN", False),
]

V4 = [
    ("AV", "NALP", True), ("AC", "LH", True), ("AT", "NP", True), ("PR", "NLH", True),
    ("UI", "NPA", True), ("VC", "HLN", True), ("VI", "HLN", True), ("VA", "HLN", True),
    ("SC", "HLN", True), ("SI", "HLN", True), ("SA", "HLN", True),
    ("E", "XAPU", False), ("CR", "XHML", False), ("IR", "XHML", False), ("AR", "XHML", False),
    ("MAV", "XNALP", False), ("MAC", "XLH", False), ("MAT", "XNP", False), ("MPR", "XNLH", False),
    ("MUI", "XNPA", False), ("MVC", "XHLN", False), ("MVI", "XHLN", False), ("MVA", "XHLN", False),
    ("MSC", "XHLN", False), ("MSI", "XSHLN", False), ("MSA", "XSHLN", False),
    ("S", "XNP", False), ("AU", "XNY", False), ("R", "XAUI", False), ("V", "XDC", False),
    ("RE", "XLMH", False), ("U", ["X", "Clear", "Green", "Amber", "Red"], False),
]

VERSIONS = [("2.0", "", V2), ("3.0", "CVSS:3.0/", V3), ("3.1", "CVSS:3.1/", V3),
            ("4.0", "CVSS:4.0/", V4)]


def generate(rng, prefix, table):
    """A random vector string; one in twenty is broken on purpose."""
    fields = []
    for name, values, mandatory in table:
        if mandatory or rng.random() < 0.5:
            fields.append((name, rng.choice(list(values))))
    if rng.random() < 0.1:
        rng.shuffle(fields)
    broken = rng.random() < 0.05
    if broken:
        kind = rng.randrange(4)
        mandatory = [i for i, (n, _) in enumerate(fields) if any(n == m and req for m, _, req in table)]
        if kind == 0:
            del fields[rng.choice(mandatory)]
        elif kind == 1:
            fields.append(rng.choice(fields))
        elif kind == 2:
            i = rng.randrange(len(fields))
            fields[i] = (fields[i][0], "Q")
        else:
            fields.insert(rng.randrange(len(fields) + 1), ("ZZ", "N"))
    return prefix + "/".join(f"{n}:{v}" for n, v in fields)


def fmt(score):
    return None if score is None else "%.1f" % float(score)


def reference(version, text):
    """python-cvss's answer: dict of strings, or {"error": message}."""
    try:
        if version == "2.0":
            c = CVSS2(text)
            base, temporal, environmental = c.scores()
            if temporal is None or environmental is None:
                # Undefined in python-cvss when no metric of the group is given: score the
                # vector with the neutral values instead (same weights as Not Defined).
                filled = dict(f.split(":", 1) for f in text.split("/"))
                for group in (V2_TEMPORAL, V2_ENVIRONMENTAL):
                    if all(filled.get(m, "ND") == "ND" for m in group):
                        filled.update(group)
                order = [n for n, _, _ in V2]
                c2 = CVSS2("/".join(f"{n}:{filled[n]}" for n in order if n in filled))
                _, temporal, environmental = c2.scores()
            return {"base": fmt(base), "temporal": fmt(temporal),
                    "environmental": fmt(environmental), "severity": c.severities()[0]}
        if version in ("3.0", "3.1"):
            c = CVSS3(text)
            base, temporal, environmental = c.scores()
            return {"base": fmt(base), "temporal": fmt(temporal),
                    "environmental": fmt(environmental), "severity": c.severities()[0]}
        c = CVSS4(text)
        return {"base": fmt(c.base_score), "temporal": None, "environmental": None,
                "severity": c.severity}
    except CVSSError as e:
        return {"error": str(e)}


def vigie(binary, text):
    run = subprocess.run([binary, "cvss", text, "--format", "json"], capture_output=True,
                         text=True)
    if run.returncode == 2:
        return {"error": run.stderr.strip().splitlines()[0] if run.stderr.strip() else "exit 2"}
    if run.returncode != 0:
        raise RuntimeError(f"vigie exited {run.returncode} on {text}: {run.stderr}")
    j = json.loads(run.stdout)
    return {"base": fmt(j["base_score"]), "temporal": fmt(j["temporal_score"]),
            "environmental": fmt(j["environmental_score"]), "severity": j["severity"],
            "version": j["version"]}


def compare(version, ref, got):
    """Why the two answers differ, or None."""
    if "error" in ref or "error" in got:
        if "error" in ref and "error" in got:
            return None
        side = "python-cvss rejects" if "error" in ref else "Vigie rejects"
        return f"{side}: {ref.get('error') or got.get('error')}"
    diffs = [f"{k}: python-cvss {ref[k]}, vigie {got[k]}"
             for k in ("base", "temporal", "environmental", "severity") if ref[k] != got[k]]
    if got.get("version") != version:
        diffs.append(f"version: vigie {got.get('version')}")
    return "; ".join(diffs) or None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--vigie", required=True, help="the vigie binary")
    ap.add_argument("--per-version", type=int, default=500)
    ap.add_argument("--seed", type=int, default=20260515)
    ap.add_argument("--expected", required=True, help="expected-disagreements.tsv")
    ap.add_argument("--out", help="write the current disagreements here (TSV)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    expected = {}
    with open(args.expected, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                cols = line.split("\t")
                if len(cols) < 3:
                    print(f"diff.py: bad expectation line: {line!r}", file=sys.stderr)
                    return 2
                expected[(cols[0], cols[1])] = cols[2]

    cases = []
    for version, prefix, table in VERSIONS:
        rng = random.Random(f"{args.seed}-{version}")
        seen = set()
        drawn = 0
        while drawn < args.per_version:
            text = generate(rng, prefix, table)
            if text not in seen:
                seen.add(text)
                cases.append((version, text))
                drawn += 1
        # Listed vectors are always checked, sampled or not.
        for (v, text) in expected:
            if v == version and text not in seen:
                seen.add(text)
                cases.append((version, text))

    def one(case):
        version, text = case
        return version, text, reference(version, text), vigie(args.vigie, text)

    counts = {v: [0, 0, 0] for v, _, _ in VERSIONS}  # vectors, agree, rejected by both
    problems, current = [], []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for version, text, ref, got in pool.map(one, cases):
            c = counts[version]
            c[0] += 1
            why = compare(version, ref, got)
            if why is None:
                c[1] += 1
                if "error" in ref:
                    c[2] += 1
                if (version, text) in expected:
                    problems.append(f"FIXED {version}\t{text}\t(listed: {expected[(version, text)]})")
            else:
                current.append((version, text, why))
                if (version, text) not in expected:
                    problems.append(f"NEW {version}\t{text}\t{why}")

    total = 0
    for version, (n, ok, rejected) in counts.items():
        print(f"CVSS {version}: {n} vectors, {ok} agree ({rejected} rejected by both), "
              f"{n - ok} disagree")
        total += n
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            for version, text, why in current:
                f.write(f"{version}\t{text}\t{why}\n")
    for p in problems:
        print(p)
    listed = len(current) - sum(1 for p in problems if p.startswith("NEW "))
    print(f"{total} vectors, {len(current)} disagreements ({listed} listed as expected); "
          f"{len(problems)} unexpected results")
    print(f"cvss differential: {total - len(problems)} passed, {len(problems)} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
