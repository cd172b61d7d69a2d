#!/usr/bin/env bash
# Export speed: a store of generated indicators written in every export format, and a large
# detections file turned into sightings. Everything is generated deterministically under
# target/bench-intel-export/. Figures: wall seconds and peak RSS (/usr/bin/time).
#
#   bench/intel_export.sh                 # 300,000 indicators, 70,000 detections
#   VIGIE_BENCH_VALUES=N VIGIE_BENCH_COPIES=K bench/intel_export.sh
#
# VIGIE_BIN: the binary (default target/release/vigie).
set -euo pipefail
cd "$(dirname "$0")/.."
vigie="${VIGIE_BIN:-target/release/vigie}"
n="${VIGIE_BENCH_VALUES:-300000}"
copies="${VIGIE_BENCH_COPIES:-1000}"
out=target/bench-intel-export
rm -rf "$out"
mkdir -p "$out"
now=2026-03-02T08:00:00Z
python3 - "$n" "$out/values.txt" <<'PY'
import hashlib, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
r = random.Random(20261129)
with open(path, "w") as f:
    for i in range(n):
        k = i % 10
        if k < 4:
            f.write("%d.%d.%d.%d\n" % (r.randint(1, 223), r.randint(0, 255), r.randint(0, 255), r.randint(1, 254)))
        elif k < 7:
            f.write("h%x.%s.example\n" % (r.getrandbits(40), r.choice(["mal", "c2", "drop", "cdn"])))
        elif k < 8:
            f.write("https://s%x.example/p/%x?q=%d\n" % (r.getrandbits(32), r.getrandbits(32), i))
        else:
            f.write(hashlib.sha256(b"%d" % i).hexdigest() + "\n")
PY
"$vigie" hunt examples/incident --format jsonl --output "$out/incident.jsonl" 2>/dev/null || true
python3 - "$out/incident.jsonl" "$copies" "$out/detections.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
with open(sys.argv[3], "w") as f:
    for c in range(int(sys.argv[2])):
        for d in lines:
            d = dict(d, record_id=d["record_id"] + 1000000 * c, source="host%d/%s" % (c, d["source"]))
            f.write(json.dumps(d) + "\n")
PY
measure() { # LABEL COMMAND...
    local label="$1"; shift
    /usr/bin/time -f "%e %M" -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || { cat "$out/stderr" >&2; exit 1; }
    read -r secs kb <"$out/time"
    printf '%-44s %8s s %8d MB\n' "$label" "$secs" "$((kb / 1024))"
}
echo "values: $n, detections: $(wc -l <"$out/detections.jsonl")"
measure "import (list, $n values)" "$vigie" intel import "$out/values.txt" --store "$out/store" --tlp green --now "$now"
measure "export --format stix" "$vigie" intel export --store "$out/store" --format stix --out "$out/bundle.json" --now "$now"
measure "export --format misp-event" "$vigie" intel export --store "$out/store" --format misp-event --out "$out/event.json" --now "$now"
measure "export --format misp-feed" "$vigie" intel export --store "$out/store" --format misp-feed --out "$out/feed" --now "$now"
measure "export --format blocklist" "$vigie" intel export --store "$out/store" --format blocklist --out "$out/edl" --now "$now"
measure "sightings ($(wc -l <"$out/detections.jsonl") detections)" "$vigie" intel sightings --from "$out/detections.jsonl" --out "$out/sightings.json" --now "$now"
ls -la "$out/bundle.json" "$out/event.json" "$out/sightings.json" | awk '{printf "%-50s %6d MB\n", $9, $5 / 1048576}'
