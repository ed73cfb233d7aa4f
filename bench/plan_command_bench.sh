#!/usr/bin/env bash
# Times the whole `infra plan --refresh=false` command, as a user runs it, on
# the 10,000-resource generated stack (bench/gen_stack.py) against a state
# file of 10,000 resources that matches it (written by `plan_bench
# --materialize` through the real executor and state store). No network.
# usage: bench/plan_command_bench.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=${1:-build}
runs=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cmake --build "$root/$build" -j2 --target infra plan_bench >/dev/null
work=$(mktemp -d /tmp/infra-plan-command-XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_stack.py" "$work/stack" >/dev/null
export INFRA_STATE_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
# Loopback only, and no credentials are needed without refresh.
export AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
"$root/$build/bench/plan_bench" --materialize "$work/stack"
echo "resources in state: $("$root/$build/infra" -C "$work/stack" state list | wc -l)"
for i in $(seq "$runs"); do
  set +e
  /usr/bin/time -f "run $i: %e s wall, %U s user, %S s sys, %M KB max RSS" \
    "$root/$build/infra" -C "$work/stack" plan --refresh=false --detailed-exitcode >"$work/plan.out" 2>"$work/plan.err"
  code=$?
  set -e
  tail -1 "$work/plan.err"
  echo "  exit code $code (0 = no changes): $(head -1 "$work/plan.out")"
  if [ "$code" != 0 ]; then head -20 "$work/plan.out" "$work/plan.err"; exit 1; fi
done
