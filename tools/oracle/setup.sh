#!/usr/bin/env bash
# Create (idempotently) the Python venv of the pySigma reference oracle and print its python.
#
#   tools/oracle/setup.sh [VENV_DIR]        # default: <repo root>/target/oracle-venv
#   PY=$(tools/oracle/setup.sh) && "$PY" tools/oracle/pysigma_oracle.py --help
#
# Only the python path goes to stdout; progress goes to stderr. Needs python3 >= 3.10 (set
# PYTHON to use another interpreter) and PyPI. When `python3 -m venv` cannot work because
# Debian's python3-venv is missing, it is installed with apt-get (needs root).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
venv="${1:-$repo_root/target/oracle-venv}"
python="${PYTHON:-python3}"
req="$here/requirements.txt"

log() { echo "oracle setup: $*" >&2; }

command -v "$python" >/dev/null 2>&1 || { log "$python not found"; exit 1; }
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || {
    log "$python is $("$python" -V 2>&1); Python >= 3.10 is needed"; exit 1; }

mkdir -p "$(dirname "$venv")"
venv="$(cd "$(dirname "$venv")" && pwd)/$(basename "$venv")"
vpy="$venv/bin/python"
stamp="$venv/.oracle-requirements.sha256"
want="$( (sha256sum "$req" 2>/dev/null || shasum -a 256 "$req") | cut -d' ' -f1)"

# Up to date already?
if [ -x "$vpy" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
    && "$vpy" -c 'import sigma.backends.sqlite, sigma.pipelines.sysmon, sigma.pipelines.windows, evtx' 2>/dev/null; then
    echo "$vpy"
    exit 0
fi

install_venv_support() {
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        log "python venv support missing: installing python3-venv with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >&2
        local ver
        ver="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
        apt-get install -y -qq python3-venv >&2 || apt-get install -y -qq "python${ver}-venv" >&2
    else
        log "python venv support (ensurepip) missing: install python3-venv"; return 1
    fi
}

# Debian/Ubuntu ship venv/ensurepip in a separate package (python3-venv).
if ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    install_venv_support
fi

# A half-made venv (no working pip) is made again.
if [ -d "$venv" ] && ! "$vpy" -m pip --version >/dev/null 2>&1; then
    log "removing broken venv $venv"
    rm -rf "$venv"
fi
if [ ! -x "$vpy" ]; then
    log "creating venv $venv"
    if ! "$python" -m venv "$venv" >&2; then
        # e.g. ensurepip importable but disabled for the system python
        rm -rf "$venv"
        install_venv_support
        "$python" -m venv "$venv" >&2
    fi
fi

log "installing $(basename "$req") into $venv"
"$vpy" -m pip install --quiet --disable-pip-version-check --no-input -r "$req" >&2
"$vpy" -c 'import sigma.backends.sqlite, sigma.pipelines.sysmon, sigma.pipelines.windows, evtx' >&2
echo "$want" > "$stamp"
echo "$vpy"
