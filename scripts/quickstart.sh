#!/usr/bin/env bash
# The main job: install what is missing, build, start moto_server (a local
# AWS emulator) on a free loopback port, apply the reference deployment
# (stacks/lamp-dr: a LAMP application in eu-central-1 with a pilot light in
# eu-west-1) to it, show that a second plan has no changes, plan and apply
# the failover (-var dr_active=true, from the DR region alone), disarm the
# old primary's automation once it "answers" again, print the DR readiness
# checks and summary (automation state included), and stop the server. Nothing touches
# real AWS. The steps after it: docs/disaster-recovery.md.
# INFRA_QUICKSTART_SKIP_BUILD=1 uses an existing build/ as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ "${INFRA_QUICKSTART_SKIP_BUILD:-}" != 1 ]; then
  scripts/install-deps.sh
  scripts/build.sh
fi

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

# A scratch copy of the stack, so state (.infra/) never lands in the tree.
cp -r "$root/stacks/lamp-dr" "$work/lamp-dr"
stack="$work/lamp-dr"
infra="$root/build/infra"

echo "== 1. deploy: infra apply (moto_server at 127.0.0.1:$port)"
"$infra" -C "$stack" apply --auto-approve
echo
echo "== 2. re-plan: expect no changes"
"$infra" -C "$stack" plan --detailed-exitcode
echo
echo "== 3. failover plan, made from the DR region alone (also the drill)"
"$infra" -C "$stack" plan -var dr_active=true --region dr -out failover.plan
echo
echo "== 4. failover: apply exactly that plan"
"$infra" -C "$stack" apply failover.plan
echo
echo "== 5. the primary answers again: disarm its stale automation (in place)"
"$infra" -C "$stack" apply --auto-approve -var dr_active=true
echo
echo "== 6. DR readiness: the checks against refreshed state, and the summary"
"$infra" -C "$stack" plan -var dr_active=true --detailed-exitcode | sed -n '/^Check/,$p;/^No changes/p'
"$infra" -C "$stack" output dr_readiness
echo
echo "quickstart: done (failback: docs/disaster-recovery.md); stopping moto_server."
