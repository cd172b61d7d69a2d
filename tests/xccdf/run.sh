#!/usr/bin/env bash
# Agreement of `vigie audit config` with OpenSCAP (`oscap xccdf eval`), rule by rule, and of the
# default-model score (vigie's last line against the TestResult/score of `oscap --results`).
#
#   tests/xccdf/run.sh          # CI: tests/fixtures/xccdf/bench-xccdf.xml (profiles base and
#                               # strict) and score-xccdf.xml (profiles scored, refined and the default
#                               # selection), written for Vigie, on a fake root under
#                               # OSCAP_PROBE_ROOT (~3 s)
#   tests/xccdf/run.sh --full   # also every profile of ssg-debian11-ds.xml (ssg-debian) and of
#                               # ssg-ubuntu2204-ds.xml (ssg-debderived), on this machine's live
#                               # root, twice: as is (on another release than the benchmark's every
#                               # rule is notapplicable), and like for like with
#                               # `vigie --ignore-platform` against oscap on a copy of the data
#                               # stream with its xccdf platform elements removed (oscap has no such
#                               # option); ~15 min on 2 cores
#   tests/xccdf/run.sh --full --only 'debian11/anssi*'   # the runs whose CONTENT/PROFILE/MODE
#                               # matches a shell pattern (MODE: platform or noplatform)
#
# Needs oscap and ssg-debian / ssg-debderived (tests/oval/run.sh installs them). Environment:
# VIGIE_BIN (default target/release/vigie; built when missing), VIGIE_XCCDF_OUT (default
# target/xccdf-diff). Prints a summary per run: rules compared, equal, differences, both scores.
# Exit status: 0 = agreement as expected (tests/xccdf/expected-differences.tsv), 1 = a
# difference not listed (or a listed one gone), 2 = setup error.
set -euo pipefail

full=0
only='*'
while [ $# -gt 0 ]; do
    case "$1" in
        --full) full=1 ;;
        --only) only=${2:?--only takes a pattern}; shift ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
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
summary="$out/summary.tsv" used="$out/used.tsv"
: > "$summary"
: > "$used"
compare() { # scope oscap-stdout oscap-results vigie-jsonl expected
    echo "== $1"
    python3 "$repo_root/tests/xccdf/compare.py" --scope "$1" --oscap "$2" --oscap-results "$3" \
        --vigie "$4" --expected "$5" --summary "$summary" --used "$used" || status=1
}

# oscap xccdf eval's stdout: "Rule\r\tID" / "Result\r\tRESULT" blocks; --results for the score.
oscap_eval() { # profile file out [env...]
    local profile=$1 file=$2 dest=$3
    shift 3
    local p=()
    [ -n "$profile" ] && p=(--profile "$profile")
    env "$@" nice oscap xccdf eval "${p[@]}" --results "$dest.xml" "$file" > "$dest" 2> "$dest.err" || true
}

# CI: the fixtures on a fake root.
root="$out/fake-root"
rm -rf "$root"
mkdir -p "$root/etc/app"
echo "root:x:0:0::/root:/bin/sh" > "$root/etc/passwd"
echo "max_retries = 3" > "$root/etc/app/app.conf"
for case in bench:base bench:strict score:scored score:refined score:; do
    fixture=${case%%:*} p=${case#*:}
    file="$repo_root/tests/fixtures/xccdf/$fixture-xccdf.xml"
    profile="" flag=()
    if [ -n "$p" ]; then profile="xccdf_org.vigie_profile_$p" flag=(--profile "$profile"); fi
    name="$fixture-${p:-default}"
    oscap_eval "$profile" "$file" "$out/oscap-$name.txt" OSCAP_PROBE_ROOT="$root"
    "$vigie" audit config --content "$file" "${flag[@]}" --root "$root" \
        --format jsonl > "$out/vigie-$name.jsonl" 2> "$out/vigie-$name.err"
    compare "fixture/$name/fakeroot" "$out/oscap-$name.txt" "$out/oscap-$name.txt.xml" \
        "$out/vigie-$name.jsonl" /dev/null
done

if [ "$full" = 1 ]; then
    expected="$repo_root/tests/xccdf/expected-differences.tsv"
    for c in debian11 ubuntu2204; do
        ds="$content/ssg-$c-ds.xml"
        [ -f "$ds" ] || { echo "run.sh: $ds missing (apt-get install ssg-debian ssg-debderived)" >&2; exit 2; }
        sed -E 's#<xccdf-1\.2:platform idref="[^"]*"/>##g' "$ds" > "$out/ssg-$c-ds-noplatform.xml"
        for profile in $(oscap info --profiles "$ds" | cut -d: -f1); do
            short=${profile#xccdf_org.ssgproject.content_profile_}
            for mode in platform noplatform; do
                scope="$c/$short/$mode"
                # shellcheck disable=SC2254
                case "$scope" in $only) ;; *) continue ;; esac
                file=$ds flag=()
                if [ "$mode" = noplatform ]; then file="$out/ssg-$c-ds-noplatform.xml" flag=(--ignore-platform); fi
                name="ssg-$c-$short-$mode"
                start=$EPOCHREALTIME
                oscap_eval "$profile" "$file" "$out/oscap-$name.txt" &
                "$vigie" audit config --content "$ds" --profile "$profile" "${flag[@]}" --format jsonl \
                    > "$out/vigie-$name.jsonl" 2> "$out/vigie-$name.err"
                vigie_s=$(python3 -c "print($EPOCHREALTIME - $start)")
                wait
                oscap_s=$(python3 -c "print($EPOCHREALTIME - $start)")
                compare "$scope" "$out/oscap-$name.txt" "$out/oscap-$name.txt.xml" \
                    "$out/vigie-$name.jsonl" "$expected"
                printf 'oscap %.1f s, vigie %.1f s (side by side)\n' "$oscap_s" "$vigie_s"
            done
        done
    done
    if [ "$only" = '*' ]; then
        python3 "$repo_root/tests/xccdf/compare.py" --expected "$expected" --check-used "$used" || status=1
    fi
fi

echo
echo "== summary (scope, rules compared, equal, differences, vigie score, oscap score)"
column -t -s $'\t' "$summary"
exit $status
