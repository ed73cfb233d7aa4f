#!/usr/bin/env bash
# Builds and runs tests under a sanitizer, in its own tree (build-asan/ or
# build-tsan/; the normal build/ is left alone). -O1 keeps the stacks
# readable and the build cheaper than -O2.
#   scripts/sanitize.sh                      ASan + UBSan: the unit tests (ctest -L unit)
#   scripts/sanitize.sh address,undefined -L integration
#   scripts/sanitize.sh thread               TSan: executor, work pool, rate limiter, locks
#   INFRA_SANITIZE_TARGETS="state_tests common_tests" scripts/sanitize.sh   only these binaries
# Further arguments go to ctest. docs/testing.md says what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-address,undefined}
shift $(( $# >= 1 ? 1 : 0 ))
case "$kind" in
  thread) dir=build-tsan ;;
  *) dir=build-asan ;;
esac
cmake -S . -B "$dir" -G Ninja -DINFRA_WERROR=ON -DINFRA_BUILD_BENCH=OFF -DINFRA_SANITIZE="$kind" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" >/dev/null
if [ "$kind" = thread ]; then
  targets=${INFRA_SANITIZE_TARGETS:-engine_tests aws_tests state_tests state_test_helper}
  filter=(-R 'Executor|WorkPool|RateLimit|Lock|Lease|Concurren|Parallel')
else
  targets=${INFRA_SANITIZE_TARGETS:-infra common_tests engine_tests state_tests state_test_helper aws_tests}
  filter=(-L unit)
fi
[ $# -gt 0 ] && filter=("$@")
# shellcheck disable=SC2086
nice cmake --build "$dir" -j "${INFRA_JOBS:-2}" --target $targets
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
cd "$dir"
ctest --output-on-failure -j "${INFRA_JOBS:-2}" --timeout 900 "${filter[@]}"
