#!/usr/bin/env bash
# Fetch Debian sid's CPython interpreters (python3.13, python3.14, python3.15)
# and lay them out under a cache directory, with one launcher per interpreter
# that `heapsim verify --python` accepts (docs/policies.md, "Interpreters").
#
#   bash tools/pythons.sh [--refresh] [--print-dir]
#
#   HEAPSIM_PYTHONS   cache directory (default /var/cache/heapsim/pythons)
#   HEAPSIM_PYTHONS_MIRROR  archive (default: the host of the system's Debian
#                     sources, http://deb.debian.org/debian)
#
# The system's apt configuration is never read or changed: apt runs with a
# private sources list (sid only), a private state directory with an empty
# dpkg status (so the whole dependency closure is fetched, libc6 included)
# and a private cache. Packages are unpacked with `dpkg -x` into one sysroot;
# each launcher runs the interpreter through that sysroot's own dynamic
# loader with that sysroot's libraries, so sid's glibc never meets the host's.
#
# Idempotent: when every launcher exists and runs, nothing is fetched (use
# --refresh to fetch sid's current versions). Works non-interactively as
# root (CI) and as any user who can write the cache directory.
# Output: one line per interpreter, "<launcher> <version>".
set -euo pipefail

root=${HEAPSIM_PYTHONS:-/var/cache/heapsim/pythons}
mirror=${HEAPSIM_PYTHONS_MIRROR:-}
versions=(3.13 3.14 3.15)
# Headers for the recorder's tests (tests/recorder/recorder.cmake looks for
# them in this cache's sysroot/usr/include): 3.13 and 3.14, the sid versions
# the recorder supports.
dev_versions=(3.13 3.14)
refresh=0
for arg in "$@"; do
    case $arg in
        --refresh) refresh=1 ;;
        --print-dir) echo "$root"; exit 0 ;;
        -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "pythons.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

launcher() { echo "$root/bin/python$1"; }

# The version a launcher reports, or nothing when it does not run.
launcher_version() {
    "$(launcher "$1")" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null </dev/null || true
}

all_present() {
    local v
    for v in "${versions[@]}"; do
        [[ -n $(launcher_version "$v") ]] || return 1
    done
    # A cache laid out before the headers were part of it gets them now.
    for v in "${dev_versions[@]}"; do
        [[ -f $root/sysroot/usr/include/python$v/Python.h ]] || return 1
    done
}

report() {
    local v
    for v in "${versions[@]}"; do
        echo "$(launcher "$v") $(launcher_version "$v")"
    done
}

if ((!refresh)) && all_present; then
    report
    exit 0
fi

# Interpreters laid out, headers missing (a cache from before a version's
# headers were part of it): fetch only the -dev packages of the versions
# already there, from the package lists already there (no update), and add
# the packages not yet unpacked. The interpreters are left as they are.
headers_only() {
    local v
    for v in "${versions[@]}"; do
        [[ -n $(launcher_version "$v") ]] || return 1
    done
    [[ -f $root/apt/sid.sources && -d $root/apt/state/lists ]] || return 1
}

if [[ -z $mirror ]]; then
    # The same archive host the system's apt uses (read only, never changed).
    mirror=$(sed -n 's/^URIs:[[:space:]]*\(http[^ ]*debian\)[[:space:]]*$/\1/p' \
        /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
    mirror=${mirror:-http://deb.debian.org/debian}
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -r $keyring ]] || { echo "pythons.sh: $keyring is missing (apt-get install debian-archive-keyring)" >&2; exit 3; }

apt_dir=$root/apt
mkdir -p "$apt_dir"/{state/lists/partial,cache/archives/partial,sources.list.d,preferences.d,apt.conf.d}
: >"$apt_dir/state/status"
: >"$apt_dir/preferences"
cat >"$apt_dir/sid.sources" <<EOF
Types: deb
URIs: $mirror
Suites: sid
Components: main
Signed-By: $keyring
EOF
apt_opts=(
    -o "Dir::Etc::sourcelist=$apt_dir/sid.sources"
    -o "Dir::Etc::sourceparts=$apt_dir/sources.list.d"
    -o "Dir::Etc::preferences=$apt_dir/preferences"
    -o "Dir::Etc::preferencesparts=$apt_dir/preferences.d"
    -o "Dir::Etc::parts=$apt_dir/apt.conf.d"
    -o "Dir::State=$apt_dir/state"
    -o "Dir::State::status=$apt_dir/state/status"
    -o "Dir::Cache=$apt_dir/cache"
    -o "APT::Architecture=amd64"
    -o "APT::Architectures=amd64"
    -o "APT::Install-Recommends=false"
    -o "Debug::NoLocking=true"
)
export DEBIAN_FRONTEND=noninteractive
if ((!refresh)) && headers_only; then
    pinned=()
    for v in "${dev_versions[@]}"; do
        [[ -f $root/sysroot/usr/include/python$v/Python.h ]] && continue
        deb=$(ls "$apt_dir"/cache/archives/python"$v"-minimal_*.deb 2>/dev/null | head -n1)
        [[ -n $deb ]] || { pinned=(); break; }
        pinned+=("libpython$v-dev=$(dpkg-deb -f "$deb" Version)")
    done
    if ((${#pinned[@]})); then
        echo "== pythons.sh: adding ${pinned[*]} to $root/sysroot" >&2
        before=$(ls "$apt_dir"/cache/archives/)
        apt-get "${apt_opts[@]}" -q -y --download-only install "${pinned[@]}" </dev/null >&2
        for deb in "$apt_dir"/cache/archives/*.deb; do
            grep -qxF "$(basename "$deb")" <<<"$before" || dpkg -x "$deb" "$root/sysroot"
        done
        all_present && { report; exit 0; }
    fi
fi
packages=()
for v in "${versions[@]}"; do packages+=("python$v-minimal" "libpython$v-stdlib"); done
for v in "${dev_versions[@]}"; do packages+=("libpython$v-dev"); done

echo "== pythons.sh: fetching ${packages[*]} from $mirror sid into $root" >&2
apt-get "${apt_opts[@]}" -q update </dev/null >&2
apt-get "${apt_opts[@]}" -q -y --download-only install "${packages[@]}" </dev/null >&2

# Unpack into a fresh sysroot, then switch atomically: a half-unpacked tree
# is never used by a launcher.
staging=$root/sysroot.new
rm -rf "$staging"
mkdir -p "$staging"
for deb in "$apt_dir"/cache/archives/*.deb; do
    dpkg -x "$deb" "$staging"
done
rm -rf "$root/sysroot.old"
[[ -d $root/sysroot ]] && mv "$root/sysroot" "$root/sysroot.old"
mv "$staging" "$root/sysroot"
rm -rf "$root/sysroot.old"
# Keep only the newest .deb of each package (older ones would be unpacked too).
apt-get "${apt_opts[@]}" -q autoclean </dev/null >&2

sysroot=$root/sysroot
loader=$sysroot/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
[[ -x $loader ]] || loader=$sysroot/lib64/ld-linux-x86-64.so.2
libs=$sysroot/usr/lib/x86_64-linux-gnu:$sysroot/lib/x86_64-linux-gnu
mkdir -p "$root/bin"
for v in "${versions[@]}"; do
    out=$(launcher "$v")
    cat >"$out.tmp" <<EOF
#!/bin/sh
# Debian sid's python$v, run through sid's own loader and libraries
# (written by heapsim's tools/pythons.sh).
PYTHONHOME='$sysroot/usr'
export PYTHONHOME
exec '$loader' --library-path '$libs' --argv0 "\$0" '$sysroot/usr/bin/python$v' "\$@"
EOF
    chmod +x "$out.tmp"
    mv "$out.tmp" "$out"
done

if ! all_present; then
    echo "pythons.sh: an interpreter does not run or its headers are missing:" >&2
    for v in "${versions[@]}"; do "$(launcher "$v")" -c pass || true; done
    for v in "${dev_versions[@]}"; do ls "$root/sysroot/usr/include/python$v/Python.h" >&2 || true; done
    exit 1
fi
report
