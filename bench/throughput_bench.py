#!/usr/bin/env python3
"""Issue 12's throughput figures, for one or more infra binaries side by side
in one run (bench/README.md, "Throughput").

For each binary: record moto_server's replies to an apply, a plan and a
destroy of the generated network stack (bench/gen_network.py) and of
stacks/examples/network-2region through bench/replay_proxy.py; then replay
them with a fixed delay per call (moto's speed out of the figure) and time:
  apply      +DELAY ms, no throttling
  throttled  +DELAY ms, every (region, EC2 action) a token bucket RATE/s burst BURST
  plan       no-op plan (refresh) of the applied stack at +PLAN_DELAY ms
  destroy    +DELAY ms
  example    stacks/examples/network-2region apply at +DELAY ms (NAT waits as moto answers)
and computes from the apply's own log: the DAG critical path (each resource
weighted by its time in provider calls), a simulated Terraform walk (10
slots, the same weights, dependency order) and the throttled run's bound
max over (region, action) of (calls - BURST) / RATE.

usage: bench/throughput_bench.py NAME=BINARY [NAME=BINARY ...] [--vpcs 30] [--delay 100]
"""
import argparse
import heapq
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def http(port, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method="POST" if data or path != "/__bench/stats" else "GET")
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read() or b"{}")


class Env:
    def __init__(self, work):
        self.work = work
        self.moto_port, self.proxy_port = free_port(), free_port()
        env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
        self.moto = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(self.moto_port)],
                                     stdout=open(f"{work}/moto.log", "w"), stderr=subprocess.STDOUT, env=env)
        self.proxy = None
        for _ in range(150):
            try:
                urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{self.moto_port}/moto-api/reset", method="POST"), timeout=2)
                break
            except Exception:
                time.sleep(0.2)

    def start_proxy(self, recording, mode):
        if self.proxy:
            self.proxy.terminate()
            self.proxy.wait()
        self.proxy = subprocess.Popen([sys.executable, f"{ROOT}/bench/replay_proxy.py", "--port", str(self.proxy_port),
                                       "--upstream", str(self.moto_port), "--recording", recording, "--mode", mode,
                                       "--delay-ms", "0"], stdout=open(f"{self.work}/proxy.log", "a"), stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                http(self.proxy_port, "/__bench/stats")
                return
            except Exception:
                time.sleep(0.1)

    def reset_moto(self):
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{self.moto_port}/moto-api/reset", method="POST"))

    def close(self):
        for p in (self.proxy, self.moto):
            if p:
                p.terminate()
                p.wait()


def run_infra(env, binary, stack, state, args, log):
    e = dict(os.environ, AWS_ENDPOINT_URL=f"http://127.0.0.1:{env.proxy_port}", AWS_ACCESS_KEY_ID="test",
             AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="eu-central-1", AWS_CONFIG_FILE="/dev/null",
             AWS_SHARED_CREDENTIALS_FILE="/dev/null", INFRA_LOG="debug", NO_PROXY="127.0.0.1")
    for v in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        e.pop(v, None)
    t0 = time.monotonic()
    with open(log, "w") as err:
        r = subprocess.run([binary, "-C", stack] + args + ["--state", state], env=e, stdout=subprocess.PIPE,
                           stderr=err, stdin=subprocess.DEVNULL, text=True)
    wall = time.monotonic() - t0
    return {"wall": wall, "exit": r.returncode, "out": r.stdout}


def parse_log(log):
    busy, calls, lat = {}, 0, []
    for line in open(log):
        m = re.search(r"executor: (\w+) (\S+) done in (\d+) ms \((\d+) calls, busy (\d+) ms\)", line)
        if m:
            busy[m.group(2)] = int(m.group(5)) / 1000.0
            continue
        m = re.search(r"executor: (\w+) (\S+) done in (\d+) ms", line)  # older binaries
        if m:
            busy[m.group(2)] = int(m.group(3)) / 1000.0
            continue
        m = re.search(r"\baws \S+ \S+ \S+ (\d+)[^\n]*attempt=\d+ ([\d.]+)ms", line)
        if m:
            calls += 1
            lat.append(float(m.group(2)))
    return busy, calls


def graph(binary, stack):
    out = subprocess.run([binary, "-C", stack, "graph", "--format", "json"], stdout=subprocess.PIPE, text=True,
                         env=dict(os.environ, AWS_CONFIG_FILE="/dev/null"), check=True).stdout
    g = json.loads(out)
    deps = {n["address"]: [] for n in g["nodes"]}
    for e in g["edges"]:
        deps[e["from"]].append(e["to"])
    return deps


def critical_path(deps, w):
    memo = {}
    for a in topo(deps):
        memo[a] = w.get(a, 0.0) + max([memo[d] for d in deps[a]] or [0.0])
    return max(memo.values())


def topo(deps):
    order, seen = [], set()
    for a in deps:
        stack = [(a, 0)]
        while stack:
            x, i = stack.pop()
            if i == 0 and x in seen:
                continue
            seen.add(x)
            ds = deps[x]
            if i < len(ds):
                stack.append((x, i + 1))
                if ds[i] not in seen:
                    stack.append((ds[i], 0))
            else:
                order.append(x)
    return order


def terraform_walk(deps, w, slots=10):
    """List scheduling: `slots` resources at once, each as soon as its
    dependencies are done (Terraform's walk with -parallelism=10)."""
    users = {a: [] for a in deps}
    unmet = {a: len(deps[a]) for a in deps}
    for a, ds in deps.items():
        for d in ds:
            users[d].append(a)
    order = {a: i for i, a in enumerate(topo(deps))}
    ready = [(order[a], a) for a in deps if unmet[a] == 0]
    heapq.heapify(ready)
    running, t = [], 0.0
    while ready or running:
        while ready and len(running) < slots:
            _, a = heapq.heappop(ready)
            heapq.heappush(running, (t + w.get(a, 0.0), a))
        t, a = heapq.heappop(running)
        for u in users[a]:
            unmet[u] -= 1
            if unmet[u] == 0:
                heapq.heappush(ready, (order[u], u))
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="+", help="NAME=PATH")
    ap.add_argument("--vpcs", type=int, default=30)
    ap.add_argument("--delay", type=float, default=100)
    ap.add_argument("--plan-delay", type=float, default=50)
    ap.add_argument("--rate", type=float, default=20)
    ap.add_argument("--burst", type=float, default=40)
    ap.add_argument("--only", default="apply,throttled,plan,destroy,example")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    only = set(a.only.split(","))
    work = tempfile.mkdtemp(prefix="infra-throughput-")
    net = f"{work}/net"
    subprocess.run([sys.executable, f"{ROOT}/bench/gen_network.py", net, "--vpcs", str(a.vpcs)], check=True)
    example = f"{work}/stacks/examples/network-2region"
    shutil.copytree(f"{ROOT}/stacks", f"{work}/stacks")
    env = Env(work)
    results = {}
    try:
        for spec in a.binaries:
            name, binary = spec.split("=", 1)
            binary = os.path.abspath(binary)
            res = results[name] = {}
            rec = f"{work}/{name}.recording.json"
            # 1. record at moto's speed
            env.reset_moto()
            env.start_proxy(rec, "record")
            for stack, tag in ((net, "net"), (example, "ex")):
                st = f"{work}/{name}-{tag}-rec.db"
                for args in (["apply", "--auto-approve"], ["plan", "--detailed-exitcode"], ["destroy", "--auto-approve"]):
                    r = run_infra(env, binary, stack, st, args, f"{work}/{name}-{tag}-rec-{args[0]}.log")
                    print(f"[{name}] record {tag} {args[0]}: exit {r['exit']} {r['wall']:.1f}s", flush=True)
            http(env.proxy_port, "/__bench/save")
            env.start_proxy(rec, "replay")
            deps = graph(binary, net)

            def replay(tag, stack, state, args, delay, rate=0.0, burst=0.0, rewind=True):
                http(env.proxy_port, "/__bench/rewind" if rewind else "/__bench/reset")
                http(env.proxy_port, "/__bench/config", {"delay_ms": delay, "throttle_rate": rate, "throttle_burst": burst})
                log = f"{work}/{name}-{tag}.log"
                r = run_infra(env, binary, stack, state, args, log)
                r["proxy"] = http(env.proxy_port, "/__bench/stats")
                r["busy"], r["calls"] = parse_log(log)
                r.pop("out")
                print(f"[{name}] {tag}: exit {r['exit']} wall {r['wall']:.2f}s calls {r['proxy']['requests']} "
                      f"throttled {r['proxy']['throttled']} misses {r['proxy']['misses']} "
                      f"max in flight {r['proxy']['max_in_flight']} empty seconds {r['proxy'].get('empty_seconds')}", flush=True)
                return r

            state = f"{work}/{name}-net.db"
            if "apply" in only:
                r = res["apply"] = replay("apply", net, state, ["apply", "--auto-approve"], a.delay)
                r["critical_path"] = critical_path(deps, r["busy"])
                r["terraform_walk"] = terraform_walk(deps, r["busy"])
            if "plan" in only:
                res["plan"] = replay("plan", net, state, ["plan", "--detailed-exitcode"], a.plan_delay, rewind=False)
            if "destroy" in only:
                res["destroy"] = replay("destroy", net, state, ["destroy", "--auto-approve"], a.delay, rewind=False)
            if "throttled" in only:
                r = res["throttled"] = replay("throttled", net, f"{work}/{name}-thr.db", ["apply", "--auto-approve"],
                                              a.delay, a.rate, a.burst)
                per = r["proxy"]["per_action"]
                r["bucket_bound"] = max([(c - t - a.burst) / a.rate for c, t in per.values()] + [0.0])
            if "example" in only:
                r = res["example"] = replay("example", example, f"{work}/{name}-ex.db", ["apply", "--auto-approve"], a.delay)
                exdeps = graph(binary, example)
                r["critical_path"] = critical_path(exdeps, r["busy"])
                r["terraform_walk"] = terraform_walk(exdeps, r["busy"])
    finally:
        env.close()
    for name, res in results.items():
        for k, r in res.items():
            r.pop("busy", None)
    print(json.dumps(results, indent=1, default=str))
    print("\nsummary")
    for name, res in results.items():
        ap_ = res.get("apply", {})
        th = res.get("throttled", {})
        ex = res.get("example", {})
        if ap_:
            print(f"{name}: apply {ap_['wall']:.2f}s exit {ap_['exit']} calls {ap_['proxy']['requests']} misses {ap_['proxy']['misses']} "
                  f"max in flight {ap_['proxy']['max_in_flight']} | critical path {ap_['critical_path']:.2f}s "
                  f"(ratio {ap_['wall'] / ap_['critical_path']:.2f}) | terraform walk {ap_['terraform_walk']:.1f}s "
                  f"(speed-up {ap_['terraform_walk'] / ap_['wall']:.1f}x)")
        if th:
            bound = max(th["bucket_bound"], ap_.get("wall", 0))
            print(f"{name}: throttled {th['wall']:.2f}s exit {th['exit']} throttled {th['proxy']['throttled']} of "
                  f"{th['proxy']['requests']} | bucket bound {th['bucket_bound']:.2f}s | ratio to max(bound, unthrottled) "
                  f"{th['wall'] / bound:.2f} | empty seconds {th['proxy'].get('empty_seconds')}")
        if "plan" in res:
            print(f"{name}: no-op plan {res['plan']['wall']:.2f}s exit {res['plan']['exit']} calls {res['plan']['proxy']['requests']}")
        if "destroy" in res:
            print(f"{name}: destroy {res['destroy']['wall']:.2f}s exit {res['destroy']['exit']} calls {res['destroy']['proxy']['requests']}")
        if ex:
            print(f"{name}: network-2region {ex['wall']:.2f}s exit {ex['exit']} | critical path {ex['critical_path']:.2f}s | "
                  f"terraform walk {ex['terraform_walk']:.2f}s")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print("kept", work)


if __name__ == "__main__":
    main()
