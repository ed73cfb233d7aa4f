#!/usr/bin/env bash
# Configures and builds everything into build/ (Ninja, ccache, -Werror).
# -O2 without debug info by default: debug info costs about half again the
# compile time (measured on engine/cli/cmd_plan.cpp: 18.6 s user with -g,
# 12.0 s without), which the CI budget cannot spare. INFRA_BUILD_TYPE=
# RelWithDebInfo (or Debug) builds with it. INFRA_SANITIZE=address,undefined
# builds the same targets under those sanitizers into build-asan/ instead
# (scripts/sanitizer/tree.sh; no benchmarks).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${INFRA_SANITIZE:-}" ]; then
  source scripts/sanitizer/tree.sh
  sanitizer_configure "$INFRA_SANITIZE"
  cmake --build "$(sanitizer_dir "$INFRA_SANITIZE")" -j "${INFRA_JOBS:-2}"
  exit 0
fi
build_type="${INFRA_BUILD_TYPE:-Release}"
cmake -S . -B build -G Ninja -DINFRA_WERROR=ON -DCMAKE_BUILD_TYPE="$build_type" \
      -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" >/dev/null
cmake --build build -j "${INFRA_JOBS:-2}"
