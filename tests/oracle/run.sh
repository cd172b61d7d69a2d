#!/usr/bin/env bash
# Differential test: Vigie's detections against the pySigma reference oracle (tools/oracle/),
# on the SigmaHQ rules and the corpus EVTX files. See tests/oracle/README.md.
#
#   tests/oracle/run.sh            # sample (CI): all of sigmahq/regression_data + ~40 of evtx/
#   tests/oracle/run.sh --full     # every EVTX file of both folders
#
# Environment (relative paths are taken from the current folder; defaults from the repo root):
#   VIGIE_BIN          Vigie binary                   (default target/release/vigie)
#   VIGIE_CORPUS       the shared corpus              (default ../shared/corpus; absent: SKIPPED, exit 0)
#   VIGIE_ORACLE_VENV  the oracle's Python venv       (default target/oracle-venv; made if needed)
#   VIGIE_ORACLE_OUT   folder for the run's outputs   (default target/oracle-diff/{sample,full})
#   VIGIE_THREADS      Vigie's --threads              (default 2)
#
# Exit status: 0 = the disagreements are exactly those listed in
# tests/oracle/expected-disagreements.tsv (or the corpus is absent), 1 = they are not (new or
# fixed ones are printed), 2 = setup error.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

mode=sample
sample_n=40
for arg in "$@"; do
    case "$arg" in
        --full) mode=full ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

caller="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# A path from the environment is relative to the caller's folder, a default to the repo root.
# shellcheck source=../lib.sh
source "$repo_root/tests/lib.sh"
vigie="$(from_env VIGIE_BIN target/release/vigie)"
corpus="$(from_env VIGIE_CORPUS ../shared/corpus)"
venv="$(from_env VIGIE_ORACLE_VENV target/oracle-venv)"
out="$(from_env VIGIE_ORACLE_OUT "target/oracle-diff/$mode")"
threads="${VIGIE_THREADS:-2}"
expected="$repo_root/tests/oracle/expected-disagreements.tsv"

sigmahq="$corpus/sigmahq"
rule_dirs=(rules rules-emerging-threats rules-threat-hunting rules-placeholder rules-compliance)

if [ ! -d "$sigmahq/rules" ] || [ ! -d "$sigmahq/regression_data" ] || [ ! -d "$corpus/evtx" ]; then
    {
        echo "################################################################"
        echo "### SKIPPED: corpus not found ($corpus)"
        echo "### the oracle differential test did NOT run; set VIGIE_CORPUS"
        echo "################################################################"
    } >&2
    exit 0
fi
corpus="$(cd "$corpus" && pwd)"
sigmahq="$corpus/sigmahq"
if [ ! -f "$expected" ]; then
    echo "run.sh: expectation file missing: $expected" >&2
    exit 2
fi
if [ ! -x "$vigie" ]; then
    echo "run.sh: Vigie binary not found: $vigie (cargo build --release, or set VIGIE_BIN)" >&2
    exit 2
fi

log() { echo "oracle diff: $*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

t_start=$(now)
py="$("$repo_root/tools/oracle/setup.sh" "$venv")" || { echo "run.sh: oracle venv setup failed" >&2; exit 2; }
t_setup=$(now)

mkdir -p "$out"
rules_args=()
vigie_rules=()
for d in "${rule_dirs[@]}"; do
    if [ -d "$sigmahq/$d" ]; then
        rules_args+=(--rules "$sigmahq/$d")
        vigie_rules+=(-r "$sigmahq/$d")
    fi
done

if [ "$mode" = full ]; then
    inputs=("$sigmahq/regression_data" "$corpus/evtx")
else
    # The oracle takes the sample (every k-th file of evtx/ by sorted path) and writes the files
    # it used to files.txt, which Vigie then hunts: both run on exactly the same files.
    inputs=(--sample "$sample_n" --unsampled "$sigmahq/regression_data" "$corpus/evtx")
fi

log "mode $mode; corpus $corpus; vigie $vigie; outputs in $out"
"$py" "$repo_root/tools/oracle/pysigma_oracle.py" "${rules_args[@]}" \
    --base "$corpus" --unmapped-logsource drop \
    --out "$out/oracle.jsonl" --errors "$out/oracle-errors.jsonl" \
    --queries "$out/oracle-queries.jsonl" --list-files "$out/files.txt" \
    "${inputs[@]}" 2> >(sed 's/^/oracle: /' >&2) || { echo "run.sh: the oracle failed" >&2; exit 2; }
t_oracle=$(now)

mapfile -t files < "$out/files.txt"
if [ "${#files[@]}" -eq 0 ]; then
    echo "run.sh: the oracle used no EVTX file" >&2
    exit 2
fi
"$vigie" hunt "${files[@]}" "${vigie_rules[@]}" -f jsonl -q --threads "$threads" \
    -o "$out/vigie.jsonl" --errors "$out/vigie-errors.jsonl" || { echo "run.sh: vigie hunt failed" >&2; exit 2; }
t_vigie=$(now)
vigie_errors=$(grep -c . "$out/vigie-errors.jsonl" || true)
if [ "$vigie_errors" != 0 ]; then
    log "warning: Vigie reported $vigie_errors input errors (see $out/vigie-errors.jsonl)"
fi

compare_args=(--vigie "$out/vigie.jsonl" --oracle "$out/oracle.jsonl" --errors "$out/oracle-errors.jsonl"
    --base "$corpus" --expected "$expected" --out "$out/disagreements.tsv"
    --write-expected "$out/expected-disagreements.new.tsv")
if [ "$mode" = sample ]; then
    compare_args+=(--files "$out/files.txt")
fi
status=0
python3 "$repo_root/tools/oracle/compare.py" "${compare_args[@]}" || status=$?
t_end=$(now)

log "${#files[@]} EVTX files; times: setup $(secs "$t_start" "$t_setup")s, oracle $(secs "$t_setup" "$t_oracle")s, vigie $(secs "$t_oracle" "$t_vigie")s, compare $(secs "$t_vigie" "$t_end")s, total $(secs "$t_start" "$t_end")s"
if [ "$status" = 1 ]; then
    log "to update the list after checking each change: $out/expected-disagreements.new.tsv has the current disagreements with their causes (new ones UNCLASSIFIED)"
fi
exit "$status"
