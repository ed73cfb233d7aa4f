#!/usr/bin/env bash
# Installs the Debian packages infra builds and tests with (Debian 12).
# moto_server, boto3 and the AWS CLI come with the machine (PyPI is not
# reachable here); their absence is reported, and tests needing them fail.
set -euo pipefail
pkgs=(g++ cmake ninja-build ccache pkg-config
      libyaml-cpp-dev libcurl4-openssl-dev libssl-dev libfmt-dev libsqlite3-dev sqlite3
      nlohmann-json3-dev libpugixml-dev libcli11-dev libzip-dev
      libgtest-dev libgmock-dev googletest libbenchmark-dev python3
      dpkg-dev nodejs)  # dpkg-dev: cpack's Depends (dpkg-shlibdeps); nodejs: the action-validator below
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's npm package, unless an npm came with nodejs (NodeSource's does).
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
for tool in moto_server aws; do
  command -v "$tool" >/dev/null || echo "WARNING: $tool not found; integration tests will fail" >&2
done
python3 -c 'import boto3' 2>/dev/null || echo "WARNING: python3 boto3 not found; integration tests will fail" >&2
# The GitHub workflow/action checker the action tests run (tests/action/):
# @action-validator/cli from npm, pinned, into a local prefix (.tools/npm).
av_prefix="$(cd "$(dirname "$0")/.." && pwd)/.tools/npm"
if [ ! -x "$av_prefix/node_modules/.bin/action-validator" ]; then
  npm install --prefix "$av_prefix" --no-audit --no-fund --silent @action-validator/cli@0.6.0 ||
    echo "WARNING: npm could not install @action-validator/cli; the action tests will fail" >&2
fi
