# Shared helpers of the test scripts (sourced, not run).
#
# from_env NAME DEFAULT: the path in $NAME (relative paths taken from the caller's folder),
# else DEFAULT (relative defaults under the repository root). Needs $caller and $repo_root.
from_env() {
    local v="${!1:-}"
    if [ -n "$v" ]; then
        case "$v" in /*) echo "$v" ;; *) echo "$caller/$v" ;; esac
    else
        case "$2" in /*) echo "$2" ;; *) echo "$repo_root/$2" ;; esac
    fi
}

# make_venv DIR PIP_SPEC... MODULE: a Python venv in DIR with the packages installed, made
# only when MODULE cannot be imported there yet. Exits 2 when it cannot be made.
make_venv() {
    local dir="$1"; shift
    local module="${!#}"
    local specs=("${@:1:$#-1}")
    if [ -x "$dir/bin/python" ] && "$dir/bin/python" -c "import $module" 2>/dev/null; then
        return 0
    fi
    echo "making $dir with ${specs[*]}" >&2
    python3 -m venv "$dir" || { echo "python3 -m venv failed (apt install python3-venv)" >&2; exit 2; }
    "$dir/bin/pip" install -q "${specs[@]}" || { echo "pip install ${specs[*]} failed" >&2; exit 2; }
}
