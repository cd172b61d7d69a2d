#!/usr/bin/env python3
"""Vigie's benchmark: parse-only, starter rules and all SigmaHQ rules, on EVTX and JSON lines,
with 1 thread and with all threads, against `evtx_dump` measured in the same run.

    python3 bench/run.py [--quick] [--repeat N] [--vigie target/release/vigie] [--evtx-dump PATH]

Reports, per workload: events, MB, wall time, CPU time, events/s, MB/s, peak RSS, and the
ratios the issue asks for. Vigie keeps its cache of parsed rule files in target/bench/rule-cache
(filled before the first measurement); start-up is also reported without it and when it is
written. Every figure comes from processes run by this script (os.wait4
gives each child's CPU time and peak RSS). Each Vigie measurement of the table is run
--repeat times (3 by default): its wall and CPU times are the medians, its peak RSS the
largest; this machine's times move by 5-10 % from one run to the next. Inputs are written
under target/bench/.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, stdout=subprocess.DEVNULL):
    """Runs a command; returns (wall s, cpu s, peak RSS MB, stdout text)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE if stdout is None else stdout, stderr=subprocess.DEVNULL)
    out = p.stdout.read().decode() if stdout is None else ""
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, out


def sigma_args(corpus):
    """`-r FOLDER` for each SigmaHQ rule folder of the corpus (all 3,780 rules)."""
    return [x for d in ["rules", "rules-emerging-threats", "rules-threat-hunting", "rules-placeholder", "rules-compliance"]
            for x in ("-r", str(Path(corpus) / "sigmahq" / d))]


def files_under(path, ext):
    return sorted(p for p in Path(path).rglob(f"*.{ext}") if p.is_file())


def mb(paths):
    return sum(p.stat().st_size for p in paths) / 1e6


def evtx_set(corpus, target, copies):
    """A folder of the corpus EVTX files `copies` times, as hard links: files like an
    investigator's copies (no disk used), where symlinks made every open and stat resolve a
    link (about 0.25 s of system time per 9,450 files here, which no real input pays).
    Symlinks only where a hard link cannot be made (the corpus on another file system)."""
    out = target / f"evtx-x{copies}"
    first = out / "copy000" / "0000.evtx"
    if out.exists() and first.is_symlink() and same_device(corpus, target):
        shutil.rmtree(out)  # made by an older version of this script
    if not out.exists():
        for i in range(copies):
            d = out / f"copy{i:03d}"
            d.mkdir(parents=True)
            for j, f in enumerate(files_under(corpus / "evtx", "evtx")):
                link = d / f"{j:04d}.evtx"
                try:
                    os.link(f, link)
                except OSError:
                    link.symlink_to(f)
    return out


def same_device(a, b):
    return os.stat(a).st_dev == os.stat(b).st_dev


def json_copies(target, src, copies):
    """A folder of `copies` symlinks to one JSON-lines file."""
    out = target / f"json-x{copies}"
    if not out.exists():
        out.mkdir(parents=True)
        for i in range(copies):
            (out / f"part{i:03d}.jsonl").symlink_to(src)
    return out


def json_set(target, size):
    out = target / f"events-{size}.jsonl"
    if not out.exists():
        subprocess.run([sys.executable, str(ROOT / "bench/gen_events.py"), "--size", size, "--out", str(out)], check=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vigie", default=str(ROOT / "target/release/vigie"))
    ap.add_argument("--evtx-dump", default=shutil.which("evtx_dump") or str(Path.home() / ".cargo/bin/evtx_dump"))
    ap.add_argument("--corpus", default=os.environ.get("VIGIE_CORPUS", str(ROOT.parent / "shared/corpus")))
    ap.add_argument("--quick", action="store_true", help="small inputs (corpus EVTX once, 100 MB of JSON)")
    ap.add_argument("--json", help="also write the results as JSON to this file")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each table measurement (medians reported)")
    a = ap.parse_args()
    corpus = Path(a.corpus)
    target = ROOT / "target/bench"
    target.mkdir(parents=True, exist_ok=True)
    sigma = sigma_args(corpus)
    threads = os.cpu_count() or 1
    rule_cache = target / "rule-cache"
    os.environ["VIGIE_CACHE_DIR"] = str(rule_cache)
    one = target / "one-event.jsonl"
    one.write_text('{"Channel":"Security","EventID":4624,"TargetUserName":"bench"}\n')
    one_event = [a.vigie, "hunt", "-q", "-f", "jsonl", "-o", "/dev/null", str(one)] + sigma
    run(one_event)  # fills the rule cache
    workloads = [("EVTX corpus", corpus / "evtx", files_under(corpus / "evtx", "evtx"))]
    if not a.quick:
        big = evtx_set(corpus, target, 30)
        workloads.append(("EVTX x30", big, files_under(corpus / "evtx", "evtx") * 30))
    js = json_set(target, "100M" if a.quick else "1G")
    workloads.append(("JSON lines", js, [js]))

    results = []
    dump_fit = None
    for name, path, files in workloads:
        size = mb(files)
        _, _, _, out = run([a.vigie, "dump", "--count", "-q", str(path)], stdout=None)
        events = json.loads(out)["events"]
        row = {"workload": name, "events": events, "MB": round(size, 1)}
        for mode, extra in [("parse", None), ("starter", []), ("sigmahq", sigma)]:
            for t in (1, threads):
                if extra is None:
                    cmd = [a.vigie, "dump", "--count", "-q", "--threads", str(t), str(path)]
                else:
                    cmd = [a.vigie, "hunt", "-q", "-f", "jsonl", "-o", "/dev/null", "--threads", str(t), str(path)] + extra
                samples = [run(cmd) for _ in range(max(a.repeat, 1))]
                wall = statistics.median(x[0] for x in samples)
                cpu = statistics.median(x[1] for x in samples)
                rss = max(x[2] for x in samples)
                row[f"{mode}/{t}t"] = {"wall": wall, "cpu": cpu, "rss_mb": rss}
                print(f"{name:12} {mode:8} {t}t  wall {wall:7.2f}s  cpu {cpu:7.2f}s  {events / wall:10.0f} ev/s  {size / wall:7.1f} MB/s  rss {rss:6.0f} MB", flush=True)
        if name.startswith("EVTX") and Path(a.evtx_dump).exists():
            # evtx_dump takes one file per process. Fit CPU = a + b * records over the files
            # (the corpus once): `a` is its process start-up, `b` its cost per record; the
            # like-for-like figure is b times the records read.
            if dump_fit is None:
                xs, ys = [], []
                for f in files_under(corpus / "evtx", "evtx"):
                    t0 = time.perf_counter()
                    p = subprocess.Popen([a.evtx_dump, "-t", "1", "-o", "jsonl", str(f)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                    lines = sum(1 for _ in p.stdout)
                    _, _, ru = os.wait4(p.pid, 0)
                    xs.append(lines)
                    ys.append(ru.ru_utime + ru.ru_stime)
                n = len(xs)
                mx, my = sum(xs) / n, sum(ys) / n
                b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / max(sum((x - mx) ** 2 for x in xs), 1e-12)
                dump_fit = (my - b * mx, b)
                print(f"evtx_dump fit over {n} files: {dump_fit[0] * 1000:.2f} ms per process + {b * 1e6:.2f} us per record", flush=True)
            cpu_total = wall_total = 0.0
            for f in files:
                wall, cpu, _, _ = run([a.evtx_dump, "-t", "1", "-o", "jsonl", str(f)])
                cpu_total += cpu
                wall_total += wall
            row["evtx_dump/1t"] = {"wall": wall_total, "cpu": cpu_total, "records_cpu": dump_fit[1] * events}
            print(f"{name:12} evtx_dump 1t  wall {wall_total:7.2f}s  cpu {cpu_total:7.2f}s  (records alone: {dump_fit[1] * events:.2f}s)", flush=True)
        results.append(row)

    # Peak memory on 10 GB of input (all SigmaHQ rules, all threads).
    big_runs = []
    if not a.quick:
        for name, path, size in [("EVTX x150", evtx_set(corpus, target, 150), mb(files_under(corpus / "evtx", "evtx")) * 150),
                                 ("JSON x10", json_copies(target, js, 10), mb([js]) * 10)]:
            wall, cpu, rss, _ = run([a.vigie, "hunt", "-q", "-f", "jsonl", "-o", "/dev/null", "--threads", str(threads), str(path)] + sigma)
            big_runs.append((name, size, threads, wall, cpu, rss))
            print(f"{name:12} sigmahq  {threads}t  wall {wall:7.2f}s  cpu {cpu:7.2f}s  {size / wall:7.1f} MB/s  rss {rss:6.0f} MB", flush=True)

    # Start-up: one event, all SigmaHQ rules: the rule cache read, not used, and written.
    runs = sorted(run(one_event)[:2] for _ in range(5))
    startup, startup_cpu = runs[2]
    uncached = sorted(run(one_event + ["--no-rule-cache"])[:2] for _ in range(5))[2][0]
    writing = []
    for _ in range(3):
        shutil.rmtree(rule_cache, ignore_errors=True)
        writing.append(run(one_event)[0])
    writing = statistics.median(writing)

    print(f"\nMedians of {max(a.repeat, 1)} runs each:")
    print("\n| workload | events | MB | mode | threads | wall s | CPU s | events/s | MB/s | peak RSS MB |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        for mode in ("parse", "starter", "sigmahq"):
            for t in (1, threads):
                m = r[f"{mode}/{t}t"]
                print(f"| {r['workload']} | {r['events']} | {r['MB']} | {mode} | {t} | {m['wall']:.2f} | {m['cpu']:.2f} | "
                      f"{r['events'] / m['wall']:.0f} | {r['MB'] / m['wall']:.1f} | {m['rss_mb']:.0f} |")
    print("\nRatios (same run):")
    for r in results:
        s1, p1, st1 = r["sigmahq/1t"], r["parse/1t"], r["starter/1t"]
        sn = r[f"sigmahq/{threads}t"]
        line = (f"- {r['workload']}: SigmaHQ/parse-only CPU {s1['cpu'] / p1['cpu']:.2f}; SigmaHQ/starter CPU {s1['cpu'] / st1['cpu']:.2f}; "
                f"{threads} threads vs 1 (SigmaHQ, wall) {s1['wall'] / sn['wall']:.2f}x; SigmaHQ 1 thread {r['MB'] / s1['cpu']:.1f} MB/s per core")
        if "evtx_dump/1t" in r:
            d = r["evtx_dump/1t"]
            line += (f"; SigmaHQ/evtx_dump CPU {s1['cpu'] / d['cpu']:.2f} with evtx_dump's process per file, "
                     f"{(s1['cpu'] - startup_cpu) / d['records_cpu']:.2f} records against records (both start-ups out)")
        print(line)
    print(f"- start-up: one event, all SigmaHQ rules: {startup:.2f} s wall with the rule cache, "
          f"{uncached:.2f} s without it (medians of 5), {writing:.2f} s when it is written (median of 3)")
    for name, size, t, wall, cpu, rss in big_runs:
        print(f"- {name} ({size / 1000:.1f} GB), SigmaHQ, {t} threads: wall {wall:.1f} s, CPU {cpu:.1f} s, {size / wall:.0f} MB/s, peak RSS {rss:.0f} MB")
    if a.json:
        Path(a.json).write_text(json.dumps({"results": results, "startup_s": startup, "startup_uncached_s": uncached,
                                           "startup_writing_cache_s": writing, "10GB": big_runs}, indent=1))


if __name__ == "__main__":
    main()
