#!/usr/bin/env bash
# Apply wall time of stacks/examples/network-2region against moto_server
# behind a delay-injecting proxy (every AWS call +DELAY_MS, CreateNatGateway
# +NAT_MS more, standing in for the NAT gateway's pending wait), compared
# with the critical-path bound: the longest chain of dependent resources in
# the DAG, each weighted by its own measured duration (calls + waits). Also
# counts the refresh calls of a plan against the applied stack.
# Usage: bench/apply_delay_bench.sh [build dir]   (DELAY_MS=100 NAT_MS=3000)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${1:-build}
infra="$root/$build/infra"
delay=${DELAY_MS:-100}
nat=${NAT_MS:-3000}
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
moto_port=$(free_port)
proxy_port=$(free_port)
moto_server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
python3 "$root/bench/delay_proxy.py" "$proxy_port" "$moto_port" "$delay" "$nat" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
trap 'kill $moto_pid $proxy_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 150); do
  curl -fs -X POST "http://127.0.0.1:$moto_port/moto-api/reset" >/dev/null 2>&1 && break
  sleep 0.2
done
export AWS_ENDPOINT_URL="http://127.0.0.1:$proxy_port" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_DEFAULT_REGION=eu-central-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
unset AWS_PROFILE AWS_SESSION_TOKEN
cp -r "$root/stacks" "$work/stacks"
stack="$work/stacks/examples/network-2region"

"$infra" -C "$stack" graph --format json >"$work/graph.json"
start=$(date +%s.%N)
INFRA_LOG=debug "$infra" -C "$stack" apply --auto-approve >"$work/apply.out" 2>"$work/apply.log"
end=$(date +%s.%N)
INFRA_LOG=debug "$infra" -C "$stack" plan --detailed-exitcode >"$work/plan.out" 2>"$work/plan.log" || true

python3 - "$work" "$start" "$end" <<'EOF'
import json, re, sys
work, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
wall = end - start
g = json.load(open(f"{work}/graph.json"))
dur = {}
for line in open(f"{work}/apply.log"):
    m = re.search(r"executor: create (\S+) done in (\d+) ms", line)
    if m: dur[m.group(1)] = int(m.group(2)) / 1000.0
deps = {n["address"]: [] for n in g["nodes"]}
for e in g["edges"]: deps[e["from"]].append(e["to"])
region = {n["address"]: n["region"] for n in g["nodes"]}
memo = {}
def longest(a):
    if a not in memo:
        memo[a] = dur.get(a, 0.0) + max([longest(d) for d in deps[a]] or [0.0])
    return memo[a]
cp = max(longest(a) for a in deps)
# With the rollout rule as an extra constraint: a node of a later region
# starts after every node of earlier regions that does not depend on it.
order = []
for n in g["nodes"]:
    if n["region"] not in order: order.append(n["region"])
rank = {a: order.index(region[a]) for a in deps}
users = {a: [] for a in deps}
for a, ds in deps.items():
    for d in ds: users[d].append(a)
def descendants(a):
    seen, stack = set(), list(users[a])
    while stack:
        x = stack.pop()
        if x not in seen:
            seen.add(x); stack.extend(users[x])
    return seen
memo2 = {}
def finish(a):
    if a not in memo2:
        before = [finish(d) for d in deps[a]]
        desc = descendants(a)
        before += [finish(b) for b in deps if rank[b] < rank[a] and b not in desc]
        memo2[a] = dur.get(a, 0.0) + max(before or [0.0])
    return memo2[a]
cp_rollout = max(finish(a) for a in deps)
calls = sum(1 for l in open(f"{work}/apply.log") if re.search(r"\baws \S+ \S+ \S+ \d+ attempt=", l))
refresh_calls = sum(1 for l in open(f"{work}/plan.log") if re.search(r"\baws \S+ \S+ \S+ \d+ attempt=", l))
print(f"resources: {len(deps)}  apply API calls: {calls}  wall: {wall:.2f}s")
print(f"critical path (DAG only): {cp:.2f}s  ratio {wall/cp:.2f}")
print(f"critical path (DAG + region rollout order): {cp_rollout:.2f}s  ratio {wall/cp_rollout:.2f}")
print(f"refresh (plan after apply): {refresh_calls} API calls for {len(deps)} resources")
print("plan exit:", open(f"{work}/plan.out").read().strip().splitlines()[-1])
EOF
