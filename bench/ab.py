#!/usr/bin/env python3
"""Two Vigie binaries against each other, run alternately so that the machine's drift
(its speed moves by 5-15 % over minutes) falls on both alike.

    python3 bench/ab.py OLD NEW [--runs 5] [--only TEXT]

Measures, on the inputs `bench/run.py` writes under target/bench/ (run it once first): the
1 GB JSON lines and EVTX x30 hunts with all SigmaHQ rules on 1 and 2 threads, their
parse-only runs, and the start-up (a one-event hunt with all SigmaHQ rules, with each
binary's own rule cache, filled first, and with --no-rule-cache when both binaries have it).
Prints each binary's median wall and CPU time (os.wait4) and the change.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import sigma_args  # noqa: E402  (the rule folders as run.py passes them)


def measure(cmd, env=None):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}")
    return time.perf_counter() - t0, ru.ru_utime + ru.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="", help="only the measures whose label holds this text (e.g. JSON)")
    ap.add_argument("--show-runs", action="store_true", help="also print every run's CPU seconds, in the order run")
    ap.add_argument("--corpus", default=os.environ.get("VIGIE_CORPUS", str(ROOT.parent / "shared/corpus")))
    a = ap.parse_args()
    bench = ROOT / "target/bench"
    json_in, evtx_in = bench / "events-1G.jsonl", bench / "evtx-x30"
    if not json_in.exists() or not evtx_in.exists():
        sys.exit("run `python3 bench/run.py` once first: it writes the inputs under target/bench/")
    sigma = sigma_args(a.corpus)
    cases = []
    for name, path in [("JSON 1 GB", json_in), ("EVTX x30", evtx_in)]:
        for t in (1, 2):
            cases.append((f"{name}, SigmaHQ, {t} thread(s)", ["hunt", "-q", "-f", "jsonl", "-o", "/dev/null", "--threads", str(t), str(path)] + sigma))
        cases.append((f"{name}, parse-only, 1 thread", ["dump", "--count", "-q", "--threads", "1", str(path)]))
    one = bench / "one-event.jsonl"
    one.write_text('{"Channel":"Security","EventID":4624,"TargetUserName":"bench"}\n')
    startup = ["hunt", "-q", "-f", "jsonl", "-o", "/dev/null", str(one)] + sigma
    cases.append(("start-up, SigmaHQ, rule cache", startup))
    if all(b"--no-rule-cache" in subprocess.run([b, "hunt", "--help"], capture_output=True).stdout for b in (a.old, a.new)):
        cases.append(("start-up, SigmaHQ, no rule cache", startup + ["--no-rule-cache"]))
    # Each binary its own rule cache, so that neither reads or replaces the other's.
    envs = [dict(os.environ, VIGIE_CACHE_DIR=str(bench / f"rule-cache-ab-{i}")) for i in (0, 1)]
    for b, env in zip((a.old, a.new), envs):
        measure([b] + startup, env)
    print(f"| measure | {a.old} wall / CPU s | {a.new} wall / CPU s | CPU change |")
    print("|---|---:|---:|---:|")
    for label, args in cases:
        if a.only not in label:
            continue
        runs = ([], [])
        for _ in range(a.runs):
            for b, r, env in zip((a.old, a.new), runs, envs):
                r.append(measure([b] + args, env))
        (ow, oc), (nw, nc) = [(statistics.median(w for w, _ in r), statistics.median(c for _, c in r)) for r in runs]
        print(f"| {label} | {ow:.3f} / {oc:.3f} | {nw:.3f} / {nc:.3f} | {100 * (nc - oc) / oc:+.1f} % |", flush=True)
        if a.show_runs:
            faster = sum(n[1] < o[1] for o, n in zip(*runs))
            print(f"  CPU s, run by run: old {[round(c, 2) for _, c in runs[0]]}, new {[round(c, 2) for _, c in runs[1]]}; new faster in {faster} of {len(runs[0])}", flush=True)


if __name__ == "__main__":
    main()
