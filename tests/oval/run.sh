#!/usr/bin/env bash
# Agreement of `vigie audit oval` with OpenSCAP (`oscap oval eval`). See tests/oval/README.md.
#
#   tests/oval/run.sh          # CI: fake roots (checks.xml, ssg-debian11-oval.xml) under
#                              # OSCAP_PROBE_ROOT, through crates/vigie-oval/tests/oscap.rs (~5 s)
#   tests/oval/run.sh --full   # also this machine's live root, whole ssg-debian11 and
#                              # ssg-ubuntu2204 OVAL files, against
#                              # tests/oval/expected-differences*.tsv, with timings (~8 min: oscap
#                              # takes minutes per file)
#
# Installs openscap-scanner and ssg-debian / ssg-debderived with apt-get when missing (as root,
# or through sudo). Environment: VIGIE_BIN (default target/release/vigie, --full only),
# VIGIE_OVAL_OUT (default target/oval-diff).
# Exit status: 0 = agreement as expected, 1 = a difference not listed (or a listed one gone),
# 2 = setup error.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

full=0
for arg in "$@"; do
    case "$arg" in
        --full) full=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
content=/usr/share/xml/scap/ssg/content

if ! command -v oscap >/dev/null || [ ! -f "$content/ssg-debian11-oval.xml" ]; then
    echo "oval: installing openscap-scanner ssg-debian ssg-debderived" >&2
    sudo_=""
    [ "$(id -u)" = 0 ] || sudo_="sudo"
    $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q openscap-scanner ssg-debian ssg-debderived >&2 \
        || { echo "run.sh: apt-get install openscap-scanner ssg-debian ssg-debderived failed" >&2; exit 2; }
fi
echo "oval: $(oscap --version | head -1)" >&2

cd "$repo_root"
mkdir -p target
log=target/oval-fake-root.log
if VIGIE_OVAL_REQUIRE_OSCAP=1 cargo test --release -q -p vigie-oval --test oscap -- --nocapture > "$log" 2>&1; then
    grep -E 'agree with oscap' "$log" || true
else
    grep -vE '^(vigie note|oval:)' "$log" >&2 || true
    echo "oval: the fake-root comparison failed (cargo test -p vigie-oval --test oscap; log: $log)" >&2
    exit 1
fi

[ "$full" = 1 ] || exit 0

vigie="${VIGIE_BIN:-$repo_root/target/release/vigie}"
out="${VIGIE_OVAL_OUT:-$repo_root/target/oval-diff}"
[ -x "$vigie" ] || { echo "run.sh: Vigie binary not found: $vigie (cargo build --release -p vigie-cli)" >&2; exit 2; }
mkdir -p "$out"
status=0
for name in debian11 ubuntu2204; do
    file="$content/ssg-$name-oval.xml"
    expected="$repo_root/tests/oval/expected-differences.tsv"
    [ "$name" = debian11 ] || expected="$repo_root/tests/oval/expected-differences-$name.tsv"
    echo "== $name: oscap oval eval (live root)" >&2
    start=$EPOCHREALTIME
    oscap oval eval "$file" > "$out/oscap-$name.txt" 2> "$out/oscap-$name.err" || true
    oscap_s=$(python3 -c "print($EPOCHREALTIME - $start)")
    echo "== $name: vigie audit oval (live root)" >&2
    start=$EPOCHREALTIME
    "$vigie" audit oval "$file" --format jsonl > "$out/vigie-$name.jsonl" 2> "$out/vigie-$name.err" || true
    vigie_s=$(python3 -c "print($EPOCHREALTIME - $start)")
    printf '%s: oscap %.1f s, vigie %.1f s\n' "$name" "$oscap_s" "$vigie_s"
    python3 "$repo_root/tests/oval/compare.py" --oscap "$out/oscap-$name.txt" \
        --vigie "$out/vigie-$name.jsonl" --expected "$expected" || status=1
done
exit $status
