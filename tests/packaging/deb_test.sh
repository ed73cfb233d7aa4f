#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` over the build directory makes
# infra_<version>_amd64.deb whose fields (dpkg-deb -I) and files (binary,
# LICENSE, README) are right; extracted into a temporary root with
# dpkg-deb -x, its `infra version` prints the version and commit baked in.
# Usage: deb_test.sh BUILD_DIR VERSION COMMIT
set -euo pipefail
build=$1 version=$2 commit=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps; do
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

dpkg-deb -x "$deb" "$tmp/root"
out=$("$tmp/root/usr/bin/infra" version)
echo "$out"
[[ "$out" == *"infra v$version"* ]] || fail "infra version does not say v$version"
[[ "$out" == *"commit $commit"* ]] || fail "infra version does not say commit $commit"
[ "$("$tmp/root/usr/bin/infra" --version)" = "$out" ] || fail "infra --version differs from infra version"
json=$("$tmp/root/usr/bin/infra" version -json)
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["infra_version"]==sys.argv[2] and d["commit"]==sys.argv[3], d' \
  "$json" "$version" "$commit" || fail "infra version -json: $json"
echo "PASS: $deb"
