#!/usr/bin/env bash
# Agreement of `vigie audit config` with OpenSCAP (`oscap xccdf eval`), rule by rule.
#
#   tests/xccdf/run.sh          # CI: tests/fixtures/xccdf/bench-xccdf.xml (written for Vigie),
#                               # profiles base and strict, on a fake root under
#                               # OSCAP_PROBE_ROOT (~2 s)
#   tests/xccdf/run.sh --full   # also ssg-debian11-ds.xml, profile anssi_np_nt28_average, on this
#                               # machine's live root, twice: as is (the benchmark's platform is
#                               # Debian 11: on another release every rule is notapplicable), and
#                               # like for like with `vigie --ignore-platform` against oscap on a
#                               # copy of the data stream with its xccdf platform elements
#                               # removed (oscap has no such option); ~1 min
#
# Needs oscap and ssg-debian (tests/oval/run.sh installs them). Environment: VIGIE_BIN (default
# target/release/vigie; built when missing), VIGIE_XCCDF_OUT (default target/xccdf-diff).
# Exit status: 0 = agreement as expected (tests/xccdf/expected-differences.tsv), 1 = a
# difference not listed (or a listed one gone), 2 = setup error.
set -euo pipefail

full=0
for arg in "$@"; do
    case "$arg" in
        --full) full=1 ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "run.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
content=/usr/share/xml/scap/ssg/content
command -v oscap >/dev/null || { echo "run.sh: oscap missing (apt-get install openscap-scanner)" >&2; exit 2; }
vigie="${VIGIE_BIN:-$repo_root/target/release/vigie}"
if [ ! -x "$vigie" ]; then
    (cd "$repo_root" && cargo build --release -q -p vigie-cli)
fi
out="${VIGIE_XCCDF_OUT:-$repo_root/target/xccdf-diff}"
mkdir -p "$out"
status=0

# oscap xccdf eval's stdout: "Rule\r\tID" / "Result\r\tRESULT" blocks.
oscap_eval() { # profile file out [env...]
    local profile=$1 file=$2 dest=$3
    shift 3
    env "$@" nice oscap xccdf eval --profile "$profile" "$file" > "$dest" 2> "$dest.err" || true
}

# CI: the fixture on a fake root.
root="$out/fake-root"
rm -rf "$root"
mkdir -p "$root/etc/app"
echo "root:x:0:0::/root:/bin/sh" > "$root/etc/passwd"
echo "max_retries = 3" > "$root/etc/app/app.conf"
bench="$repo_root/tests/fixtures/xccdf/bench-xccdf.xml"
for p in base strict; do
    oscap_eval "xccdf_org.vigie_profile_$p" "$bench" "$out/oscap-bench-$p.txt" OSCAP_PROBE_ROOT="$root"
    "$vigie" audit config --content "$bench" --profile "xccdf_org.vigie_profile_$p" --root "$root" \
        --format jsonl > "$out/vigie-bench-$p.jsonl" 2> "$out/vigie-bench-$p.err"
    echo "== fixture, profile $p (fake root)"
    python3 "$repo_root/tests/xccdf/compare.py" --oscap "$out/oscap-bench-$p.txt" \
        --vigie "$out/vigie-bench-$p.jsonl" --expected /dev/null || status=1
done

[ "$full" = 1 ] || exit $status

ds="$content/ssg-debian11-ds.xml"
profile=xccdf_org.ssgproject.content_profile_anssi_np_nt28_average
[ -f "$ds" ] || { echo "run.sh: $ds missing (apt-get install ssg-debian)" >&2; exit 2; }
expected="$repo_root/tests/xccdf/expected-differences.tsv"
sed -E 's#<xccdf-1\.2:platform idref="[^"]*"/>##g' "$ds" > "$out/ssg-debian11-ds-noplatform.xml"
for mode in platform noplatform; do
    file=$ds flag=""
    if [ "$mode" = noplatform ]; then file="$out/ssg-debian11-ds-noplatform.xml" flag=--ignore-platform; fi
    echo "== ssg-debian11 $profile, $mode (live root)"
    start=$EPOCHREALTIME
    oscap_eval "$profile" "$file" "$out/oscap-ssg-$mode.txt"
    oscap_s=$(python3 -c "print($EPOCHREALTIME - $start)")
    start=$EPOCHREALTIME
    "$vigie" audit config --content "$ds" --profile "$profile" $flag --format jsonl \
        > "$out/vigie-ssg-$mode.jsonl" 2> "$out/vigie-ssg-$mode.err"
    vigie_s=$(python3 -c "print($EPOCHREALTIME - $start)")
    printf 'oscap %.1f s, vigie %.1f s\n' "$oscap_s" "$vigie_s"
    python3 "$repo_root/tests/xccdf/compare.py" --oscap "$out/oscap-ssg-$mode.txt" \
        --vigie "$out/vigie-ssg-$mode.jsonl" --expected "$expected" || status=1
done
exit $status
