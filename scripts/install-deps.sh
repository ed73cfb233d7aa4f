#!/usr/bin/env bash
# Installs the Debian packages infra builds and tests with (Debian 12).
# moto_server, boto3 and the AWS CLI come with the machine (PyPI is not
# reachable here); their absence is reported, and tests needing them fail.
set -euo pipefail
pkgs=(g++ cmake ninja-build ccache pkg-config
      libyaml-cpp-dev libcurl4-openssl-dev libssl-dev libfmt-dev libsqlite3-dev sqlite3
      nlohmann-json3-dev libpugixml-dev libcli11-dev libzip-dev
      libgtest-dev libgmock-dev googletest libbenchmark-dev python3)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
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
