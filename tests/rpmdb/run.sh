#!/usr/bin/env bash
# vigie-inventory's rpmdb.sqlite reader against rpm itself.
#
#   tests/rpmdb/run.sh           # release build, as scripts/test runs it (~20 s once built)
#   tests/rpmdb/run.sh --debug   # debug build, while iterating
#
# Builds three tiny RPMs with rpmbuild -bb from spec files written here (one with an Epoch and
# a subpackage named apart from its source package, noarch; one x86_64 without Epoch; one
# with a Source file), installs them with `rpm --root ROOT -i --nodeps --justdb` into fresh
# sqlite databases under two temporary roots (RHEL 9 layout var/lib/rpm, Fedora layout
# usr/lib/sysimage/rpm with var/lib/rpm a link to it), imports a GPG key (a gpg-pubkey
# pseudo-package, which the inventory skips), then checks that vigie-inventory reads each root
# exactly as `rpm --root ROOT -qa --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{SOURCERPM}'`
# lists it, row for row (crates/vigie-inventory/tests/rpmdb_rpm.rs through VIGIE_RPMDB_ROOTS).
# Installs the Debian package rpm with apt-get when rpm or rpmbuild is missing.
# Exit status: 0 = same packages, 1 = a difference, 2 = setup error.
set -euo pipefail

profile=--release
for arg in "$@"; do
    case "$arg" in
        --debug) profile= ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "run.sh: unknown argument: $arg" >&2; exit 2 ;;
    esac
done
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if ! command -v rpm >/dev/null || ! command -v rpmbuild >/dev/null; then
    echo "rpmdb: installing rpm" >&2
    sudo_=""
    [ "$(id -u)" = 0 ] || sudo_="sudo"
    $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -q rpm >&2 \
        || { echo "run.sh: apt-get install rpm failed" >&2; exit 2; }
fi
echo "rpmdb: $(rpm --version)" >&2

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
top="$work/rpmbuild"
mkdir -p "$top/SPECS" "$top/SOURCES"
printf 'vigie rpmdb test data\n' > "$top/SOURCES/demo-data.txt"

spec() { # NAME: writes $top/SPECS/NAME.spec from stdin
    cat > "$top/SPECS/$1.spec"
}
spec vigie-demo <<'SPEC'
Name:      vigie-demo
Epoch:     3
Version:   1.2.3
Release:   4.el9
Summary:   Vigie test package with an epoch
License:   MIT
BuildArch: noarch
Source0:   demo-data.txt
%description
Test package.
%package -n libvigie-demo
Summary:   Subpackage named apart from its source package
%description -n libvigie-demo
Test subpackage.
%install
mkdir -p %{buildroot}/usr/share/vigie-demo
cp %{SOURCE0} %{buildroot}/usr/share/vigie-demo/
%files
/usr/share/vigie-demo/demo-data.txt
%files -n libvigie-demo
SPEC
spec vigie-tool <<'SPEC'
%global debug_package %{nil}
Name:      vigie-tool
Version:   0.9~rc1
Release:   1.el9_3
Summary:   Vigie test package, arch-specific, no epoch
License:   MIT
%description
Test package.
%install
mkdir -p %{buildroot}/usr/libexec
printf '#!/bin/sh\n' > %{buildroot}/usr/libexec/vigie-tool
%files
/usr/libexec/vigie-tool
SPEC
spec vigie-zero <<'SPEC'
Name:      vigie-zero
Epoch:     0
Version:   2024.1
Release:   0.1.el9
Summary:   Vigie test package with an explicit epoch 0
License:   MIT
BuildArch: noarch
%description
Test package.
%files
SPEC

for s in vigie-demo vigie-tool vigie-zero; do
    rpmbuild -bb --quiet --nodeps --target x86_64 --define "_topdir $top" "$top/SPECS/$s.spec" >"$work/build.log" 2>&1 \
        || { cat "$work/build.log" >&2; echo "run.sh: rpmbuild $s failed" >&2; exit 2; }
done
mapfile -t rpms < <(find "$top/RPMS" -name '*.rpm' | sort)
[ "${#rpms[@]}" = 4 ] || { echo "run.sh: expected 4 RPMs, built: ${rpms[*]}" >&2; exit 2; }

key=""
if command -v gpg >/dev/null; then
    export GNUPGHOME="$work/gnupg"
    mkdir -m 700 "$GNUPGHOME"
    gpg --batch -q --passphrase '' --quick-gen-key 'Vigie Test <test@vigie.invalid>' ed25519 sign never 2>/dev/null \
        && gpg --batch -q --armor --export test@vigie.invalid > "$work/key.asc" && key="$work/key.asc"
fi

roots=()
for layout in var/lib/rpm usr/lib/sysimage/rpm; do
    root="$work/root-${layout//\//-}"
    mkdir -p "$root/etc"
    printf 'NAME="AlmaLinux"\nID="almalinux"\nVERSION_ID="9.4"\n' > "$root/etc/os-release"
    if [ "$layout" = usr/lib/sysimage/rpm ]; then
        mkdir -p "$root/var/lib"
        ln -s ../../usr/lib/sysimage/rpm "$root/var/lib/rpm"
    fi
    rpmq=(rpm --root "$root" --dbpath "/$layout" --define '_db_backend sqlite')
    "${rpmq[@]}" --initdb
    "${rpmq[@]}" -i --nodeps --justdb --nosignature "${rpms[@]}" 2>&1 | grep -v -e 'use Alien' -e 'assuming you know' >&2 || true
    [ -z "$key" ] || "${rpmq[@]}" --import "$key"
    [ -f "$root/$layout/rpmdb.sqlite" ] || { echo "run.sh: no $layout/rpmdb.sqlite (backend $(rpm --eval '%_db_backend'))" >&2; exit 2; }
    "${rpmq[@]}" -qa --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{SOURCERPM}\n' > "$root.rpm-qa"
    echo "rpmdb: $layout: $(wc -l < "$root.rpm-qa") rows from rpm -qa:" >&2
    sed 's/^/    /' "$root.rpm-qa" >&2
    roots+=("$root")
done

cd "$repo_root"
if ! VIGIE_RPMDB_ROOTS="$(IFS=:; echo "${roots[*]}")" \
    cargo test $profile -q -p vigie-inventory --test rpmdb_rpm -- --nocapture; then
    echo "rpmdb: vigie-inventory and rpm -qa differ (above)" >&2
    exit 1
fi
