#!/usr/bin/env bash
# The main job: install what is missing, build, start moto_server (a local
# AWS emulator) on a free loopback port, apply the reference two-region
# network stack to it, list the state, show that a second plan has no
# changes, and stop the server. Nothing touches real AWS.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/install-deps.sh
scripts/build.sh

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
work=$(mktemp -d)
MOTO_IAM_LOAD_MANAGED_POLICIES=true moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
cleanup() {
  kill "$moto_pid" 2>/dev/null || true
  wait "$moto_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 150); do
  curl -fs -X POST "http://127.0.0.1:$port/moto-api/reset" >/dev/null 2>&1 && break
  sleep 0.2
done

# Point infra (and any AWS tool) at the emulator only.
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=eu-central-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN

# A scratch copy of the stacks, so state (.infra/) never lands in the tree.
cp -r "$root/stacks" "$work/stacks"
stack="$work/stacks/examples/network-2region"
infra="$root/build/infra"

echo "== infra apply (moto_server at 127.0.0.1:$port)"
"$infra" -C "$stack" apply --auto-approve
echo
echo "== infra state list"
"$infra" -C "$stack" state list
echo
echo "== infra plan (second run: expect no changes)"
"$infra" -C "$stack" plan --detailed-exitcode
echo
echo "quickstart: done; stopping moto_server."
