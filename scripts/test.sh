#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test
# (unit and integration; integration tests start their own moto_server).
# INFRA_SANITIZE=address,undefined runs it all in the sanitized tree
# (build-asan/, scripts/sanitizer/tree.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
dir=build
if [ -n "${INFRA_SANITIZE:-}" ]; then
  source scripts/sanitizer/tree.sh
  dir=$(sanitizer_dir "$INFRA_SANITIZE")
  sanitizer_env
fi
cd "$dir"
ctest --output-on-failure -j 2 --timeout 600 "$@"
