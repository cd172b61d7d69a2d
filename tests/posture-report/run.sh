#!/usr/bin/env bash
# The posture report rendered by a browser: `vigie posture show --format html` of a history of
# three audits (written here) opened in headless Chromium (Debian's `chromium`, installed with
# apt when missing); the page Chromium shows (its DOM after rendering, and a screenshot) must
# carry the score and history that `vigie posture show --format jsonl` gives. See check.py.
#
#   tests/posture-report/run.sh
#
# Environment: VIGIE_BIN (default target/release/vigie); VIGIE_CHROMIUM (default: chromium).
# Exit status: 0 = the page shows what it should, 1 = it does not, 2 = setup error.
set -euo pipefail

caller="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$repo_root/tests/lib.sh"
bin="$(from_env VIGIE_BIN target/release/vigie)"
chromium="${VIGIE_CHROMIUM:-chromium}"

[ -x "$bin" ] || { echo "posture-report: no Vigie binary at $bin (cargo build --release -p vigie-cli)" >&2; exit 2; }
if ! command -v "$chromium" >/dev/null; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "posture-report: installing chromium (apt-get)" >&2
        apt-get install -y -qq chromium >/dev/null 2>&1 || true
    fi
fi
command -v "$chromium" >/dev/null || { echo "posture-report: chromium is needed (apt-get install chromium)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
store="$work/store"
finding() { # advisory package severity score kev
    printf '{"ecosystem":"Debian:12","package":"%s","version":"1.0-1","advisory_id":"%s","aliases":[],"severity":{"score":%s,"severity":"%s"},"fixed_versions":["1.0-2"],"status":"affected","kev":%s}\n' "$2" "$1" "$4" "$3" "$5"
}
definition() { # id result title
    printf '{"definition_id":"%s","result":"%s","title":"%s","class":"compliance"}\n' "$1" "$2" "$3"
}
{ finding DSA-1 openssl Critical 9.8 true; finding DSA-2 sudo High 7.8 false; finding DSA-3 curl Medium 5.3 false; } > "$work/v1.jsonl"
{ finding DSA-2 sudo High 7.8 false; finding DSA-3 curl Medium 5.3 false; } > "$work/v2.jsonl"
finding DSA-3 curl Medium 5.3 false > "$work/v3.jsonl"
{ definition oval:r:def:1 false "root login over ssh disabled"; definition oval:r:def:2 false "password aging"; definition oval:r:def:3 true "auditd enabled"; } > "$work/c1.jsonl"
{ definition oval:r:def:1 true "root login over ssh disabled"; definition oval:r:def:2 false "password aging"; definition oval:r:def:3 true "auditd enabled"; } > "$work/c2.jsonl"
{ definition oval:r:def:1 true "root login over ssh disabled"; definition oval:r:def:2 true "password aging"; definition oval:r:def:3 true "auditd enabled"; } > "$work/c3.jsonl"
for i in 1 2 3; do
    "$bin" posture record --host town-hall-01 --store "$store" --vulns "$work/v$i.jsonl" \
        --config "$work/c$i.jsonl" --at "2026-0$((i + 6))-01T09:00:00Z" >/dev/null
done
"$bin" posture show --host town-hall-01 --store "$store" --format jsonl > "$work/history.jsonl"
"$bin" posture show --host town-hall-01 --store "$store" --format html --output "$work/report.html"
flags=(--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile")
"$chromium" "${flags[@]}" --dump-dom "file://$work/report.html" > "$work/rendered.html" 2>/dev/null
"$chromium" "${flags[@]}" --window-size=1000,900 --screenshot="$work/report.png" "file://$work/report.html" >/dev/null 2>&1
python3 "$repo_root/tests/posture-report/check.py" "$work/history.jsonl" "$work/rendered.html" "$work/report.png"
