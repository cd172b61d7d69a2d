#!/usr/bin/env python3
"""Threat-intel hunt benchmark: the same `vigie hunt` with and without 1,000,000 indicators.

    python3 bench/intel_hunt.py [--quick] [--indicators N] [--rounds N] [--vigie PATH]

Writes under target/bench/: a deterministic list of N indicators (IPv4 in the ranges the event
generator's connections use, networks, domains, URLs, MD5 / SHA-1 / SHA-256, e-mail addresses,
plus a few values the generated events hold, so that some events hit), imports it into an intel
store (timed: the import), then hunts the generated JSON lines (1 GB, or 100 MB with --quick)
with all SigmaHQ rules on one thread, alternating runs without and with `--intel STORE`, and
reports CPU time, events/s and the ratios (the middle of the rounds; throughput after start-up,
and the whole hunt), the time to load and
compile the indicators at the start of a hunt (a one-event hunt with and without intel), and
peak RSS. Every figure comes from processes this script runs (os.wait4).
"""
import argparse
import os
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, json_set, run  # noqa: E402


def indicators(n, seed=20261129):
    r = random.Random(seed)
    hexd = lambda k: "".join(r.choice("0123456789abcdef") for _ in range(k))
    words = ["update", "cdn", "login", "secure", "files", "mail", "api", "static", "portal", "sync"]
    tlds = ["com", "net", "org", "info", "top", "xyz", "ru", "cn"]
    # Planted: values the generated events hold (see gen_events.py), so the hunt finds some.
    yield "cdn.jsdelivr.net"
    yield "fonts.gstatic.com"
    for i in range(n - 2):
        k = r.random()
        if k < 0.35:
            yield f"{r.randint(20, 200)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        elif k < 0.38:
            yield f"{r.randint(20, 200)}.{r.randint(0, 255)}.{r.randint(0, 255)}.0/{r.choice([24, 26, 28])}"
        elif k < 0.63:
            yield f"{r.choice(words)}-{hexd(6)}.{r.choice(words)}{i}.{r.choice(tlds)}"
        elif k < 0.73:
            yield f"https://{r.choice(words)}{i}.{r.choice(tlds)}/{r.choice(words)}/{hexd(8)}.php"
        elif k < 0.78:
            yield hexd(32)
        elif k < 0.83:
            yield hexd(40)
        elif k < 0.95:
            yield hexd(64)
        else:
            yield f"{r.choice(words)}{i}@{r.choice(words)}-{hexd(4)}.{r.choice(tlds)}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vigie", default=str(ROOT / "target/release/vigie"))
    ap.add_argument("--corpus", default=os.environ.get("VIGIE_CORPUS", str(ROOT.parent / "shared/corpus")))
    ap.add_argument("--quick", action="store_true", help="100 MB of JSON lines instead of 1 GB")
    ap.add_argument("--indicators", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    target = ROOT / "target/bench"
    target.mkdir(parents=True, exist_ok=True)
    events = json_set(target, "100M" if a.quick else "1G")
    sigma = Path(a.corpus) / "sigmahq"
    rules = [x for d in sorted(p for p in sigma.iterdir() if p.is_dir() and p.name.startswith("rules")) for x in ("--rules", str(d))]

    listing = target / f"intel-{a.indicators}.txt"
    if not listing.exists():
        with open(listing, "w") as f:
            for v in indicators(a.indicators):
                f.write(v + "\n")
    store = target / f"intel-store-{a.indicators}"
    if not (store / "intel.sqlite").exists():
        wall, cpu, rss, _ = run([a.vigie, "intel", "import", str(listing), "--store", str(store), "--source-name", "bench"])
        print(f"import of {a.indicators:,} indicators into the store: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {rss:.0f} MB")
    one = target / "one-event.jsonl"
    if not one.exists():
        with open(events) as f, open(one, "w") as o:
            o.write(f.readline())

    base = [a.vigie, "hunt", "-q", "--threads", "1", "-f", "jsonl", *rules]
    start = [run(base + [str(one)])[:3] for _ in range(a.rounds)]
    start_i = [run(base + [str(one), "--intel", str(store)])[:3] for _ in range(a.rounds)]
    plain, intel = [], []
    for _ in range(a.rounds):
        plain.append(run(base + [str(events)]))
        intel.append(run(base + [str(events), "--intel", str(store)]))
    mid = lambda xs, k: sorted(x[k] for x in xs)[len(xs) // 2]
    n_events = sum(1 for _ in open(events, "rb"))
    size = events.stat().st_size / 1e6
    print(f"input: {events.name}, {n_events:,} events, {size:.0f} MB; all SigmaHQ rules, 1 thread; {a.rounds} rounds, middle shown")
    su, su_i = mid(start, 1), mid(start_i, 1)
    print(f"start-up (one-event hunt), CPU: without intel {su:.2f} s, with {su_i:.2f} s "
          f"(loading and compiling {a.indicators:,} indicators: {su_i - su:.2f} s CPU, "
          f"{mid(start_i, 0) - mid(start, 0):.2f} s wall); peak RSS {mid(start, 2):.0f} MB -> {mid(start_i, 2):.0f} MB")
    for name, xs, s0 in (("without intel", plain, su), ("with intel", intel, su_i)):
        cpu = mid(xs, 1)
        print(f"{name:14} CPU {cpu:6.2f} s  wall {mid(xs, 0):6.2f} s  {n_events / cpu:9,.0f} events/s  {size / cpu:6.1f} MB/s  "
              f"peak RSS {mid(xs, 2):.0f} MB; after start-up: {cpu - s0:6.2f} s CPU, {n_events / (cpu - s0):9,.0f} events/s")
    print(f"throughput with / without intel (CPU after start-up): {(mid(intel, 1) - su_i) / (mid(plain, 1) - su):.3f} (target < 1.10)")
    print(f"whole hunt with / without intel (CPU, start-up included): {mid(intel, 1) / mid(plain, 1):.3f}")


if __name__ == "__main__":
    main()
