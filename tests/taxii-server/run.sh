#!/usr/bin/env bash
# `vigie serve` driven by taxii2-client (PyPI, the OASIS TAXII 2.1 client): discovery, API
# roots, collections, add, read back page by page, filter, one object, versions, manifest,
# delete; TLP clearance and access per partner as a client sees them. See drive.py.
#
#   tests/taxii-server/run.sh
#
# Environment (relative paths from the current folder; defaults from the repo root):
#   VIGIE_BIN               Vigie binary                  (default target/release/vigie)
#   VIGIE_TAXII_VENV        taxii2-client's venv           (default target/taxii-server-venv; made if needed)
#   VIGIE_TAXII_PIP         what pip installs there        (default taxii2-client==2.3.0)
#
# Exit status: 0 = every check passed, 1 = a check failed, 2 = setup error.
set -euo pipefail

caller="$PWD"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../lib.sh
source "$repo_root/tests/lib.sh"
bin="$(from_env VIGIE_BIN target/release/vigie)"
venv="$(from_env VIGIE_TAXII_VENV target/taxii-server-venv)"
pip_spec="${VIGIE_TAXII_PIP:-taxii2-client==2.3.0}"

[ -x "$bin" ] || { echo "run.sh: no Vigie binary at $bin (cargo build --release -p vigie-cli)" >&2; exit 2; }
make_venv "$venv" "$pip_spec" taxii2client

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
hash_a="$(printf %s 'Password-A' | "$bin" hash-password)"
hash_red="$(printf %s 'Password-Red' | "$bin" hash-password)"
token_b="$(printf %s 'token-of-partner-b' | "$bin" hash-password --token)"
cat > "$work/serve.toml" <<TOML
bind = "127.0.0.1:$port"
data = "data"
title = "Vigie test server"
page_size = 100

[[partners]]
name = "cert-a"
password_hash = "$hash_a"
groups = ["ministries"]
clearance = "amber"

[[partners]]
name = "cert-b"
token_sha256 = "$token_b"
clearance = "green"

[[partners]]
name = "cert-red"
password_hash = "$hash_red"
clearance = "red"

[[collections]]
id = "6a1f9bd0-3c67-4d6e-a1f8-3b7e0c2d4f10"
title = "Shared indicators"
read = ["group:ministries", "cert-b", "cert-red"]
write = ["cert-a", "cert-red"]

[[collections]]
id = "0b7c1d2e-5f60-4a7b-8c9d-0e1f2a3b4c5d"
title = "cert-a private"
read = ["cert-a"]
write = ["cert-a"]
TOML

"$bin" serve --config "$work/serve.toml" 2> "$work/serve.log" &
server_pid=$!
for _ in $(seq 1 50); do
    grep -q "TAXII 2.1 server at" "$work/serve.log" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; echo "run.sh: vigie serve did not start" >&2; exit 2; }
    sleep 0.1
done
VIGIE_TAXII_URL="http://127.0.0.1:$port/taxii2/" "$venv/bin/python" "$repo_root/tests/taxii-server/drive.py"
