#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test
# (unit and integration; integration tests start their own moto_server).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j 2 --timeout 600 "$@"
