#!/usr/bin/env bash
# Differential test: `vigie cvss --format json` against the `cvss` PyPI package (python-cvss,
# the reference that issue 5 names) on deterministic random CVSS 2.0, 3.0, 3.1 and 4.0 vectors.
# See tests/cvss/README.md.
#
#   tests/cvss/run.sh            # sample (default): 1,000 vectors per version, ~7 s
#   tests/cvss/run.sh --full     # 10,000 vectors per version, ~1 min
#
# Environment (relative paths are taken from the current folder; defaults from the repo root):
#   VIGIE_BIN          Vigie binary                    (default target/release/vigie)
#   VIGIE_CVSS_VENV    python-cvss's venv              (default target/cvss-venv; made if needed)
#   VIGIE_CVSS_PIP     what pip installs there         (default cvss==3.6)
#   VIGIE_CVSS_OUT     folder for the run's outputs    (default target/cvss-diff)
#   VIGIE_CVSS_SEED    generator seed                  (default 20260515)
#   VIGIE_CVSS_N       vectors per version             (overrides the mode's count)
#
# Exit status: 0 = the disagreements are exactly those listed in
# tests/cvss/expected-disagreements.tsv, 1 = they are not (new or fixed ones are printed),
# 2 = setup error (no binary, no venv).
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

per_version=1000
for arg in "$@"; do
    case "$arg" in
        --full) per_version=10000 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
    esac
done
per_version="${VIGIE_CVSS_N:-$per_version}"

caller="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$repo_root/tests/lib.sh"
vigie="$(from_env VIGIE_BIN target/release/vigie)"
venv="$(from_env VIGIE_CVSS_VENV target/cvss-venv)"
out="$(from_env VIGIE_CVSS_OUT target/cvss-diff)"
pip_spec="${VIGIE_CVSS_PIP:-cvss==3.6}"
seed="${VIGIE_CVSS_SEED:-20260515}"

if [ ! -x "$vigie" ]; then
    echo "run.sh: Vigie binary not found: $vigie (cargo build --release -p vigie-cli, or set VIGIE_BIN)" >&2
    exit 2
fi
if [ ! -x "$venv/bin/python" ]; then
    echo "cvss diff: making the venv $venv" >&2
    python3 -m venv "$venv" || { echo "run.sh: python3 -m venv failed" >&2; exit 2; }
fi
if ! "$venv/bin/python" -c 'import cvss' 2>/dev/null; then
    echo "cvss diff: pip install $pip_spec" >&2
    "$venv/bin/pip" install --quiet "$pip_spec" || { echo "run.sh: pip install $pip_spec failed" >&2; exit 2; }
fi
mkdir -p "$out"
echo "cvss diff: python-cvss $("$venv/bin/python" -c 'from importlib.metadata import version; print(version("cvss"))'), $per_version vectors per version, seed $seed" >&2
"$venv/bin/python" "$repo_root/tests/cvss/diff.py" --vigie "$vigie" --per-version "$per_version" \
    --seed "$seed" --expected "$repo_root/tests/cvss/expected-disagreements.tsv" \
    --out "$out/disagreements.tsv"
