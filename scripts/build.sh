#!/usr/bin/env bash
# Configures and builds everything into build/ (Ninja, ccache, -Werror).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DINFRA_WERROR=ON >/dev/null
cmake --build build -j "${INFRA_JOBS:-2}"
