#!/usr/bin/env bash
# The TAXII 2.1 client against medallion 3.0.0, the OASIS reference server (issue 4): starts
# medallion on 127.0.0.1 at a free port with the sample data of corpus intel/medallion/
# (admin / Password0), then runs the tests that need it with VIGIE_TAXII_URL set:
# crates/vigie-taxii-client/tests/medallion.rs (discovery, API roots, collections, paging,
# filters, manifest, versions, push, 401 / 403 / 404 / 406 / 413 / 415, response limit) and
# crates/vigie-cli/tests/taxii.rs (`vigie intel sync` twice, push read back, error texts).
# medallion is stopped on exit, whatever happens.
#
#   tests/taxii/run.sh            # release build, as scripts/test
#   tests/taxii/run.sh --debug    # debug build
#
# Environment (relative paths are taken from the current folder; defaults from the repo root):
#   VIGIE_CORPUS        the corpus                  (default ../shared/corpus beside the repo)
#   VIGIE_TAXII_VENV    medallion's venv            (default target/taxii-venv; made if needed)
#   VIGIE_TAXII_PIP     what pip installs there     (default medallion==3.0.0 and the Flask,
#                                                    Werkzeug, Flask-HTTPAuth versions checked)
#   CARGO               cargo                       (default cargo)
#
# Exit status: 0 = the tests passed (or the corpus is missing: SKIPPED is said), 1 = a test
# failed, 2 = setup error (no venv, medallion does not start).
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

profile=(--release)
for arg in "$@"; do
    case "$arg" in
        --debug) profile=() ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

caller="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$repo_root/tests/lib.sh"
corpus="$(from_env VIGIE_CORPUS "$(cd "$repo_root/.." && pwd)/shared/corpus")"
venv="$(from_env VIGIE_TAXII_VENV "$repo_root/target/taxii-venv")"
pip_spec="${VIGIE_TAXII_PIP:-medallion==3.0.0 Flask==3.1.3 Werkzeug==3.1.9 Flask-HTTPAuth==4.8.1}"
cargo="${CARGO:-cargo}"
data="$corpus/intel/medallion"

if [ ! -f "$data/config-memory.json" ] || [ ! -f "$data/default_data.json" ]; then
    echo "SKIPPED TAXII tests against medallion: no medallion data at $data (set VIGIE_CORPUS)" >&2
    exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
    echo "taxii: making the venv $venv" >&2
    python3 -m venv "$venv" || { echo "run.sh: python3 -m venv failed" >&2; exit 2; }
fi
if [ ! -x "$venv/bin/medallion" ]; then
    echo "taxii: pip install $pip_spec" >&2
    # shellcheck disable=SC2086 # several requirements, split at spaces
    "$venv/bin/pip" install --quiet $pip_spec || { echo "run.sh: pip install $pip_spec failed" >&2; exit 2; }
fi

# A free port, the data's addresses (written for localhost:5000) moved to it.
port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
work="$(mktemp -d)"
server_pid=""
stop() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop EXIT
cp "$data/config-memory.json" "$work/"
sed "s#http://localhost:5000/#http://127.0.0.1:$port/#g" "$data/default_data.json" > "$work/default_data.json"

# medallion reads the data file relative to its folder; started as its own command after cd,
# so that $! is medallion itself.
cd "$work"
"$venv/bin/medallion" --host 127.0.0.1 --port "$port" config-memory.json > "$work/medallion.log" 2>&1 &
server_pid=$!
cd "$repo_root"

url="http://127.0.0.1:$port/taxii2/"
ready=""
for _ in $(seq 1 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        break
    fi
    if "$venv/bin/python" - "$url" <<'PY' 2>/dev/null; then
import base64, sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={
    "Accept": "application/taxii+json;version=2.1",
    "Authorization": "Basic " + base64.b64encode(b"admin:Password0").decode()})
urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=2).read()
PY
        ready=1
        break
    fi
    sleep 0.2
done
if [ -z "$ready" ]; then
    echo "run.sh: medallion did not answer at $url; its log:" >&2
    cat "$work/medallion.log" >&2 || true
    exit 2
fi
echo "taxii: medallion $("$venv/bin/python" -c 'from importlib.metadata import version; print(version("medallion"))') at $url" >&2

export VIGIE_TAXII_URL="$url"
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"
# --workspace, as scripts/test builds: the same features, so nothing is compiled again there.
status=0
"$cargo" test "${profile[@]}" --workspace --test medallion --test taxii || status=1
if [ "$status" -ne 0 ]; then
    echo "taxii: FAILED; the end of medallion's log:" >&2
    tail -n 40 "$work/medallion.log" >&2 || true
else
    echo "taxii: all tests passed against medallion" >&2
fi
exit "$status"
