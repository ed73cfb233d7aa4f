#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` over the build directory makes
# infra_<version>_amd64.deb whose fields (dpkg-deb -I) and files (binary,
# LICENSE, README) are right; then it is installed as a user installs it,
# by dpkg, into a scratch root (dpkg --root, with a copy of this host's
# package database, so Depends are checked against what is installed and
# the host's /usr and /var/lib/dpkg are never touched): dpkg refuses it on
# a system without its Depends, installs it here, every library the binary
# links is resolved and comes from a package in Depends, the installed
# `infra version` prints the version and commit baked in, and dpkg -r
# removes every file it installed.
# Usage: deb_test.sh BUILD_DIR VERSION COMMIT
set -euo pipefail
build=$1 version=$2 commit=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in cpack dpkg dpkg-deb dpkg-query dpkg-shlibdeps readelf ldd; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs dpkg-dev)"
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/infra-deb-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# -B keeps cpack's staging out of the build directory (tests run side by side).
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out" >"$tmp/cpack.log" 2>&1 ||
  { cat "$tmp/cpack.log" >&2; fail "cpack failed"; }
deb="$tmp/out/infra_${version}_amd64.deb"
[ -f "$deb" ] || { ls -l "$tmp/out" >&2; fail "no $deb"; }

info=$(dpkg-deb -I "$deb")
echo "$info"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = infra ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', want $version"
[ "$(field Architecture)" = amd64 ] || fail "Architecture is '$(field Architecture)'"
depends=$(field Depends)
for lib in libc6 libstdc++6 libcurl4 libssl3 libyaml-cpp libsqlite3-0 libzip4 libpugixml; do
  [[ "$depends" == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done

files=$(dpkg-deb -c "$deb")
for f in ./usr/bin/infra ./usr/share/doc/infra/LICENSE ./usr/share/doc/infra/README.md; do
  grep -qF " $f" <<<"$files" || { echo "$files" >&2; fail "the package lacks $f"; }
done

# Installed by dpkg into scratch roots, each with its own package database
# (dpkg_in ROOT ARGS...); the host's / and /var/lib/dpkg are only read.
dpkg_in() {
  local r=$1
  shift
  mkdir -p "$r/admin/info" "$r/admin/updates" "$r/admin/triggers" "$r/fs"
  touch "$r/admin/available" "$r/admin/status"
  dpkg --root="$r/fs" --admindir="$r/admin" --log="$r/dpkg.log" --force-script-chrootless "$@"
}

# A system with nothing installed: the Depends must stop dpkg.
if dpkg_in "$tmp/bare" -i "$deb" >"$tmp/refused.log" 2>&1; then
  fail "dpkg installed the package on a system without its Depends"
fi
grep -q "dependency problems" "$tmp/refused.log" || { cat "$tmp/refused.log" >&2; fail "dpkg refused for another reason"; }
grep -q "libcurl4" "$tmp/refused.log" || { cat "$tmp/refused.log" >&2; fail "the refusal does not name libcurl4"; }

# This system: the database starts as a copy of the host's, so Depends are
# checked against the packages really installed here, as `apt install
# ./infra_*.deb` would (their files are not in the scratch root; dpkg only
# warns about that).
root="$tmp/here/fs" admin="$tmp/here/admin"
mkdir -p "$admin"
dpkg_here() { dpkg_in "$tmp/here" "$@"; }
cp /var/lib/dpkg/status "$admin/status"
dpkg_here -i "$deb" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; fail "dpkg -i failed"; }
status=$(dpkg-query --admindir="$admin" -W -f='${Status} ${Version}' infra)
[ "$status" = "install ok installed $version" ] || fail "dpkg-query says '$status'"
for f in /usr/bin/infra /usr/share/doc/infra/LICENSE /usr/share/doc/infra/README.md; do
  [ -f "$root$f" ] || fail "dpkg did not install $f"
  dpkg-query --admindir="$admin" -L infra | grep -qx "$f" || fail "dpkg -L infra lacks $f"
done
[ -x "$root/usr/bin/infra" ] || fail "/usr/bin/infra is not executable"

# Every library the binary links directly resolves here, and the package
# that provides it is in Depends (so apt brings it on a clean system).
bin="$root/usr/bin/infra"
# The installed package owning a library path (merged /usr: dpkg may list
# it under /lib or /usr/lib, by its symlink or its real name).
owner_of() {
  local p q o
  for p in "$1" "$(readlink -f "$1")"; do
    for q in "$p" "${p#/usr}" "/usr$p"; do
      o=$(dpkg -S "$q" 2>/dev/null | head -1 | cut -d: -f1)
      [ -n "$o" ] && { echo "$o"; return; }
    done
  done
}
ldd "$bin" >"$tmp/ldd.txt" 2>&1 || { cat "$tmp/ldd.txt" >&2; fail "ldd failed"; }
if grep -q "not found" "$tmp/ldd.txt"; then cat "$tmp/ldd.txt" >&2; fail "a shared library does not resolve"; fi
for lib in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  path=$(awk -v l="$lib" '$1 == l && $3 ~ /^\// {print $3}' "$tmp/ldd.txt" | head -1)
  [ -n "$path" ] || fail "$lib: not resolved by ldd"
  owner=$(owner_of "$path")
  [ -n "$owner" ] || fail "$lib ($path) belongs to no installed package"
  [[ ", $depends," == *", $owner "* || ", $depends," == *", $owner,"* || ", $depends," == *", $owner:"* ]] ||
    fail "$lib comes from $owner, which is not in Depends: $depends"
done

out=$("$bin" version)
echo "$out"
[[ "$out" == *"infra v$version"* ]] || fail "infra version does not say v$version"
[[ "$out" == *"commit $commit"* ]] || fail "infra version does not say commit $commit"
[ "$("$bin" --version)" = "$out" ] || fail "infra --version differs from infra version"
json=$("$bin" version -json)
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["infra_version"]==sys.argv[2] and d["commit"]==sys.argv[3], d' \
  "$json" "$version" "$commit" || fail "infra version -json: $json"
"$bin" validate -C "$(dirname "$0")/../../stacks/examples/network-2region" >"$tmp/validate.log" 2>&1 ||
  { cat "$tmp/validate.log" >&2; fail "the installed infra does not validate an example stack"; }

dpkg_here -r infra >"$tmp/remove.log" 2>&1 || { cat "$tmp/remove.log" >&2; fail "dpkg -r failed"; }
[ ! -e "$root/usr/bin/infra" ] || fail "dpkg -r left /usr/bin/infra"
[ "$(dpkg-query --admindir="$admin" -W -f='${Status}' infra 2>/dev/null)" != "install ok installed" ] ||
  fail "still installed after dpkg -r"
echo "PASS: $deb"
