#!/usr/bin/env bash
# The action's install step: puts infra on PATH for the job. The release's
# .deb when the action's ref (GITHUB_ACTION_REF) is a release with one
# (GitHub REST API at GITHUB_API_URL), installed with apt so its Depends
# come along; otherwise a build of the action's own source tree (the
# Debian packages from scripts/install-deps.sh, ccache in
# INFRA_CCACHE_DIR, which action.yml caches between runs).
set -euo pipefail
src=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/../.." && pwd)}
repo=${GITHUB_ACTION_REPOSITORY:-${GITHUB_REPOSITORY:-}}
ref=${GITHUB_ACTION_REF:-}
api=${GITHUB_API_URL:-https://api.github.com}
bin_dir=${RUNNER_TEMP:-/tmp}/infra-bin
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

if command -v infra >/dev/null && [ "${INFRA_REUSE_INSTALLED:-false}" = true ]; then
  echo "infra action: using $(command -v infra)"; exit 0
fi

deb_url=""
if [ -n "$repo" ] && [ -n "$ref" ]; then
  auth=(); [ -n "${GITHUB_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $GITHUB_TOKEN")
  if release=$(curl -fsSL "${auth[@]}" "$api/repos/$repo/releases/tags/$ref" 2>/dev/null); then
    deb_url=$(python3 -c 'import json,sys
for a in json.load(sys.stdin).get("assets", []):
    if a.get("name", "").endswith("_amd64.deb"): print(a["browser_download_url"]); break' <<<"$release" || true)
  fi
fi

if [ -n "$deb_url" ]; then
  echo "infra action: installing the release package $deb_url"
  deb=${RUNNER_TEMP:-/tmp}/infra.deb
  curl -fsSL -o "$deb" "$deb_url"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$deb"
else
  echo "infra action: no release .deb for ${ref:-this ref}; building from source"
  "$src/scripts/install-deps.sh"
  export CCACHE_DIR=${INFRA_CCACHE_DIR:-$HOME/.cache/infra-ccache}
  cmake -S "$src" -B "$src/build-action" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DINFRA_BUILD_TESTS=OFF -DINFRA_BUILD_BENCH=OFF >/dev/null
  cmake --build "$src/build-action" --target infra -j "$(nproc)"
  mkdir -p "$bin_dir"
  cp "$src/build-action/infra" "$bin_dir/infra"
  echo "$bin_dir" >>"${GITHUB_PATH:-/dev/null}"
  export PATH="$bin_dir:$PATH"
fi
infra version
