#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS (default 300), niced, on its seed
# corpus (fuzz/corpus/TARGET, fuzz/regressions/TARGET and the tests/data
# folders fuzz/CMakeLists.txt names) with its dictionary. Builds the clang
# tree build-fuzz/ (-DINFRA_FUZZ=ON: ASan + UBSan + coverage) first.
# New corpus entries go to build-fuzz/corpus/TARGET, crashes to
# build-fuzz/artifacts/TARGET/ (copy one to fuzz/regressions/TARGET/ with
# the fix). Targets: ls fuzz/*_fuzz.cpp.
#   scripts/fuzz.sh yaml_stack 600
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS] [libFuzzer flags...]}
seconds=${2:-300}
shift $(( $# >= 2 ? 2 : 1 ))
[ -f "fuzz/${target}_fuzz.cpp" ] || { echo "no fuzz target fuzz/${target}_fuzz.cpp" >&2; exit 2; }
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DINFRA_FUZZ=ON -DINFRA_BUILD_BENCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
nice -n 19 cmake --build build-fuzz -j "${INFRA_JOBS:-2}" --target "fuzz_${target}"
work=build-fuzz/corpus/$target
artifacts=build-fuzz/artifacts/$target
mkdir -p "$work" "$artifacts"
mapfile -t seeds < "build-fuzz/fuzz/fuzz_${target}.corpus"
existing=()
for s in "${seeds[@]}"; do [ -e "$s" ] && existing+=("$s"); done
# A single-file seed (the sigv4 requests, the reply files) is copied into
# the working corpus: libFuzzer reads directories only.
dirs=()
for s in "${existing[@]}"; do
  if [ -d "$s" ]; then dirs+=("$s"); else cp -f "$s" "$work/seed-$(basename "$s")"; fi
done
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec nice -n 19 "build-fuzz/fuzz/fuzz_${target}" -max_total_time="$seconds" -dict="fuzz/dict/${target}.dict" \
  -artifact_prefix="$artifacts/" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "$@" \
  "$work" "${dirs[@]}"
