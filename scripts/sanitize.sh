#!/usr/bin/env bash
# Builds and runs tests under a sanitizer, in its own tree (build-asan/ or
# build-tsan/, configured by scripts/sanitizer/tree.sh; the normal build/ is
# left alone). docs/testing.md says what ran and what CI runs.
#   scripts/sanitize.sh                      ASan + UBSan: the unit tests (ctest -L unit)
#   scripts/sanitize.sh address,undefined -L integration    (builds everything, then runs those)
#   scripts/sanitize.sh thread               TSan: executor, work pool, recovery, rate limiter,
#                                            retry, AWS client/transport (tsan.*), state store/lock/lease
#   INFRA_SANITIZE_TARGETS="state_tests" scripts/sanitize.sh   only these binaries
# Further arguments go to ctest instead of the default selection.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/sanitizer/tree.sh
kind=${1:-address,undefined}
shift $(( $# >= 1 ? 1 : 0 ))
if [ "$kind" = thread ]; then
  targets=${INFRA_SANITIZE_TARGETS:-concurrency_tests state_tests state_test_helper}
  # concurrency_tests' tests are tsan.*; state_tests' suites are the only
  # other GoogleTest tests built in this tree.
  filter=(-R '^tsan\.|^[A-Za-z]+Test\.')
else
  targets="infra common_tests engine_tests state_tests state_test_helper aws_tests backend_tests"
  for f in fuzz/*_fuzz.cpp; do f=${f#fuzz/}; targets+=" fuzz_${f%_fuzz.cpp}"; done
  [ $# -gt 0 ] && targets=all
  targets=${INFRA_SANITIZE_TARGETS:-$targets}
  filter=(-L unit)
fi
[ $# -gt 0 ] && filter=("$@")
dir=$(sanitizer_dir "$kind")
sanitizer_configure "$kind"
# shellcheck disable=SC2086
nice cmake --build "$dir" -j "${INFRA_JOBS:-2}" --target $targets
sanitizer_env
cd "$dir"
ctest --output-on-failure -j "${INFRA_JOBS:-2}" --timeout 900 "${filter[@]}"
