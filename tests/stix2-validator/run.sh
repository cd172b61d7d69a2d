#!/usr/bin/env bash
# Every STIX document Vigie writes passes the OASIS validator (`stix2-validator`, PyPI). The
# built `vigie` makes bundles from small fixtures and each is validated; any error fails.
#
#   tests/stix2-validator/run.sh
#
# What is validated (all under $VIGIE_STIX2_OUT):
#   - `vigie intel export --format stix` of a store imported from tests/fixtures/intel-export/
#     and tests/fixtures/intel/ (STIX, MISP event and feed, list: every TLP level with
#     --tlp-max red, and the default ceiling);
#   - `vigie intel sightings` of tests/fixtures/intel-export/detections.jsonl, and of the
#     detections `vigie hunt --format jsonl examples/incident` writes;
#   - `vigie hunt --format stix` of the example incident with the example intel list.
# Validator options: --strict (warnings are errors), --strict-properties (no custom
# properties), --enforce-refs (every object an SRO points to is in the bundle), --disable 103:
# Vigie's SDO / SRO ids are UUIDv5 of the value on purpose (re-exports keep their ids), where
# the best-practice check 103 asks for UUIDv4. --strict-types is not used: stix2-validator
# 3.x reports the specification's own cyber-observable types (file, process) as unknown with it.
#
# Environment (relative paths are taken from the current folder; defaults from the repo root):
#   VIGIE_BIN           Vigie binary                       (default target/release/vigie)
#   VIGIE_STIX2_VENV    the validator's venv               (default target/stix2-venv; made if needed)
#   VIGIE_STIX2_PIP     what pip installs there            (default stix2-validator==3.3.2)
#   VIGIE_STIX2_OUT     folder for the bundles             (default target/stix2-validator)
#
# Exit status: 0 = every bundle valid, 1 = some bundle invalid, 2 = setup error.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

caller="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$repo_root/tests/lib.sh"
vigie="$(from_env VIGIE_BIN target/release/vigie)"
venv="$(from_env VIGIE_STIX2_VENV target/stix2-venv)"
out="$(from_env VIGIE_STIX2_OUT target/stix2-validator)"
pip_spec="${VIGIE_STIX2_PIP:-stix2-validator==3.3.2}"

if [ ! -x "$vigie" ]; then
    echo "run.sh: Vigie binary not found: $vigie (cargo build --release -p vigie-cli, or set VIGIE_BIN)" >&2
    exit 2
fi
make_venv "$venv" "$pip_spec" stix2validator

rm -rf "$out"
mkdir -p "$out"
now=2026-03-02T08:00:00Z
cd "$repo_root"
fx=tests/fixtures/intel-export
"$vigie" intel import "$fx/partner-bundle.json" "$fx/cert-event.json" tests/fixtures/intel/bundle.json \
    tests/fixtures/intel/misp-event.json tests/fixtures/intel/feed tests/fixtures/intel/blocklist.txt \
    --store "$out/store" --now "$now" >/dev/null 2>"$out/import.log" || true
"$vigie" intel export --store "$out/store" --format stix --tlp-max red --now "$now" --out "$out/indicators-red.json" 2>/dev/null
"$vigie" intel export --store "$out/store" --format stix --now "$now" --out "$out/indicators-default.json" 2>/dev/null
"$vigie" intel sightings --from "$fx/detections.jsonl" --now "$now" --out "$out/sightings-fixture.json" 2>/dev/null || true
"$vigie" hunt examples/incident --format jsonl --output "$out/incident.jsonl" 2>/dev/null || true
"$vigie" intel sightings --from "$out/incident.jsonl" --now "$now" --out "$out/sightings-incident.json" 2>/dev/null
"$vigie" hunt examples/incident --intel examples/intel/cert-partner-c2.txt --format stix \
    --output "$out/hunt-stix-intel.json" 2>/dev/null

echo "stix2-validator: $("$venv/bin/python" -c 'from importlib.metadata import version; print(version("stix2-validator"))')" >&2
failed=0
for f in "$out"/*.json; do
    objects="$("$venv/bin/python" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["objects"]))' "$f")"
    if "$venv/bin/stix2_validator" --strict --strict-properties --enforce-refs --disable 103 --no-cache \
        "$f" >"$f.log" 2>&1; then
        echo "valid    $(basename "$f") ($objects objects)" >&2
    else
        echo "INVALID  $(basename "$f") ($objects objects):" >&2
        grep -v '^=\+$' "$f.log" | head -40 >&2
        failed=1
    fi
done
exit "$failed"
