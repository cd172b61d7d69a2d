#!/usr/bin/env bash
# External check of `vigie audit vulns --format sarif`: the SARIF logs Vigie writes for the
# audit fixtures (tests/fixtures/audit: findings of every level, one not evaluated) and for an
# audit that finds nothing are validated against the official SARIF 2.1.0 JSON schema
# (sarif-2.1.0-rtm.5.json, as shipped in the npm package @microsoft/jest-sarif, MIT), with the
# Python `jsonschema` package (Draft 4, as the schema declares).
#
#   tests/sarif/run.sh
#
# Environment (relative paths are taken from the current folder; defaults from the repo root):
#   VIGIE_BIN           Vigie binary                      (default target/release/vigie)
#   VIGIE_SARIF_VENV    jsonschema's venv                 (default target/sarif-venv; made if needed)
#   VIGIE_SARIF_SCHEMA  the schema file                   (default target/sarif-schema/sarif-2.1.0-rtm.5.json;
#                                                          fetched with `npm pack` if absent)
#
# Exit status: 0 = every log is valid, 1 = a log is not (the schema's errors are printed),
# 2 = setup error (no binary, no venv, no schema).
set -euo pipefail

caller="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$repo_root/tests/lib.sh"
vigie="$(from_env VIGIE_BIN target/release/vigie)"
venv="$(from_env VIGIE_SARIF_VENV target/sarif-venv)"
schema="$(from_env VIGIE_SARIF_SCHEMA target/sarif-schema/sarif-2.1.0-rtm.5.json)"

if [ ! -x "$vigie" ]; then
    echo "sarif: Vigie binary not found: $vigie (cargo build --release -p vigie-cli, or set VIGIE_BIN)" >&2
    exit 2
fi
make_venv "$venv" "jsonschema==4.23.0" jsonschema
if [ ! -f "$schema" ]; then
    if ! command -v npm >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "sarif: installing npm (apt-get) to fetch the schema" >&2
        apt-get install -y -qq npm >/dev/null 2>&1 || true
    fi
    command -v npm >/dev/null || { echo "sarif: npm is needed to fetch the schema (or set VIGIE_SARIF_SCHEMA)" >&2; exit 2; }
    pack_dir="$(mktemp -d)"
    echo "sarif: npm pack @microsoft/jest-sarif@1.0.0-beta.0 (the SARIF 2.1.0 schema)" >&2
    (cd "$pack_dir" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null \
        && tar xzf ./*.tgz package/lib/schemas/sarif-2.1.0-rtm.5.json) \
        || { echo "sarif: could not fetch the schema" >&2; rm -rf "$pack_dir"; exit 2; }
    mkdir -p "$(dirname "$schema")"
    mv "$pack_dir/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$schema"
    rm -rf "$pack_dir"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fix="$repo_root/tests/fixtures/audit"
"$vigie" vulndb import "$fix/advisories" "$fix/kev.json" "$fix/epss.csv" --db "$work/db" >/dev/null 2>&1
"$vigie" audit vulns --root "$fix/root" "$fix/project/Cargo.lock" "$fix/project/api" "$fix/project/web" \
    --db "$work/db" --ignore "$fix/osv-scanner.toml" --no-store --format sarif >"$work/findings.sarif" 2>/dev/null
printf 'requests==2.31.0\n' >"$work/requirements.txt"
"$vigie" audit vulns "$work/requirements.txt" --db "$work/db" --no-store --format sarif >"$work/empty.sarif" 2>/dev/null

"$venv/bin/python" - "$schema" "$work/findings.sarif" "$work/empty.sarif" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.Draft4Validator(schema)
bad = 0
for path in sys.argv[2:]:
    log = json.load(open(path, encoding="utf-8"))
    errors = list(validator.iter_errors(log))
    results = sum(len(r.get("results", [])) for r in log.get("runs", []))
    name = path.rsplit("/", 1)[-1]
    if errors:
        bad += 1
        print(f"sarif: {name}: {len(errors)} schema errors")
        for e in errors[:20]:
            print(f"  at {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}")
    else:
        print(f"sarif: {name}: valid SARIF 2.1.0 ({results} results)")
# The validator must see a broken log: without `version` a SARIF log is invalid.
broken = json.load(open(sys.argv[2], encoding="utf-8"))
del broken["version"]
if not list(validator.iter_errors(broken)):
    print("sarif: the schema accepted a log without `version`: the check checks nothing")
    bad += 1
sys.exit(1 if bad else 0)
PY
