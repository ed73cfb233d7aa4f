#!/usr/bin/env bash
# The lamp-dr failover apply through a delay proxy (every AWS call +DELAY_MS,
# default 100): deploys stacks/lamp-dr straight to moto_server, saves the
# failover plan (-var dr_active=true --region dr) without delay, then applies
# it through bench/timeline_proxy.py and prints the wall time, the calls,
# how many ran at once, and the timeline (one line per call, offset from the
# apply's start). moto settles everything at once, so no AWS wait is
# modelled: wall time minus modelled waits is the wall time.
# Usage: bench/lamp_dr_failover.sh [build dir]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${1:-build}
infra="$root/$build/infra"
delay=${DELAY_MS:-100}
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
moto_port=$(free_port)
proxy_port=$(free_port)
MOTO_IAM_LOAD_MANAGED_POLICIES=true moto_server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
python3 "$root/bench/timeline_proxy.py" "$proxy_port" "$moto_port" "$delay" "$work/calls.jsonl" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
trap 'kill $moto_pid $proxy_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 150); do
  curl -fs -X POST "http://127.0.0.1:$moto_port/moto-api/reset" >/dev/null 2>&1 && break
  sleep 0.2
done
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=eu-central-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN
cp -r "$root/stacks/lamp-dr" "$work/lamp-dr"
stack="$work/lamp-dr"

AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" "$infra" -C "$stack" apply --auto-approve >"$work/deploy.out"
AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" "$infra" -C "$stack" plan -var dr_active=true --region dr \
  -out failover.plan >"$work/plan.out"
grep '^Plan:' "$work/plan.out"
start=$(date +%s.%N)
AWS_ENDPOINT_URL="http://127.0.0.1:$proxy_port" "$infra" -C "$stack" apply failover.plan >"$work/apply.out"
end=$(date +%s.%N)

python3 - "$work/calls.jsonl" "$start" "$end" "$delay" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1])]
start, end, delay = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
calls.sort(key=lambda c: c["t0"])
wall = end - start
busy = sum(c["t1"] - c["t0"] for c in calls)
events = sorted([(c["t0"], 1) for c in calls] + [(c["t1"], -1) for c in calls])
now = peak = 0
for _, d in events:
    now += d
    peak = max(peak, now)
# Rounds of calls: a call that starts after every earlier call ended begins a new round.
rounds, edge = 0, -1.0
for c in calls:
    if c["t0"] >= edge:
        rounds += 1
    edge = max(edge, c["t1"]) if c["t0"] < edge else c["t1"]
print(f"failover apply: {len(calls)} calls, wall {wall:.2f} s (modelled AWS waits: 0 s), "
      f"{busy:.2f} s of calls, at most {peak} at once, {rounds} sequential rounds "
      f"(at {delay} ms a call: {rounds * delay / 1000:.1f} s of delay on the critical path)")
regions = sorted({c["region"] for c in calls})
print("regions called:", ", ".join(regions))
print("timeline (s from the apply's start):")
for c in calls:
    bar = " " * int((c["t0"] - start) * 20) + "#" * max(1, int((c["t1"] - c["t0"]) * 20))
    print(f"  {c['t0'] - start:6.2f} {c['t1'] - start:6.2f}  {c['region']:<12} {c['service']:<24} {c['op']:<34} {bar}")
PY
echo
sed -n '/^Apply complete/p;/^Checks:/p' "$work/apply.out"
