#!/usr/bin/env python3
"""Delay / throttle / record-replay proxy for the throughput benchmarks
(bench/throughput_bench.sh, issue 12). One asyncio process on 127.0.0.1:

  record   forward every request to moto_server and keep its reply, keyed by
           (region, method, path, X-Amz-Target, form body without ClientToken)
           and the request's occurrence number of that key;
  replay   answer from the recording (the n-th occurrence of a key gets the
           n-th recorded reply, the last one after that): moto's own speed is
           out of the figure; a request never recorded is forwarded (a miss);
  forward  always forward.

Every reply is held DELAY ms (the network + service time of a real call).
With a throttle, each (region, EC2 action) has a token bucket of BURST
tokens refilled at RATE per second, as EC2's request limits are applied; a
request that finds it empty gets EC2's RequestLimitExceeded (HTTP 503).

Control (JSON over HTTP on the same port, never forwarded):
  POST /__bench/config  {"mode":..,"delay_ms":..,"throttle_rate":..,"throttle_burst":..}
  POST /__bench/reset   forget the statistics
  POST /__bench/rewind  forget the statistics and the occurrence counters (replay from the start)
  POST /__bench/save    write the recording to the --recording file
  GET  /__bench/stats   requests, throttled, misses, max in flight, per (region, action) counts,
                        one-second bins with no request between the first and the last
usage: replay_proxy.py --port P --upstream MOTO_PORT [--recording FILE] [--mode replay]
"""
import argparse
import asyncio
import json
import os
import re
import time
from urllib.parse import parse_qsl, urlencode

THROTTLE_BODY = (b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>"
                 b"<Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error>"
                 b"</Errors><RequestID>bench-proxy</RequestID></Response>")
SCOPE = re.compile(rb"Credential=[^/]+/\d+/([^/]+)/([^/]+)/")


class State:
    def __init__(self, args):
        self.upstream = args.upstream
        self.recording_file = args.recording
        self.mode = args.mode
        self.delay = args.delay_ms / 1000.0
        self.rate = 0.0
        self.burst = 0.0
        self.recording = {}
        if self.recording_file and os.path.exists(self.recording_file):
            with open(self.recording_file) as f:
                self.recording = {k: [(s, h, b.encode("latin-1")) for s, h, b in v] for k, v in json.load(f).items()}
        self.reset()

    def reset(self, rewind=True):
        if rewind:
            self.seen = {}
        self.buckets = {}
        self.requests = 0
        self.throttled = 0
        self.misses = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.per_action = {}
        self.bins = {}
        self.first = None

    def stats(self):
        out = {"requests": self.requests, "throttled": self.throttled, "misses": self.misses,
               "max_in_flight": self.max_in_flight, "recorded_keys": len(self.recording),
               "per_action": {f"{r} {a}": v for (r, a), v in sorted(self.per_action.items())}}
        if self.bins:
            lo, hi = min(self.bins), max(self.bins)
            empty = [b for b in range(lo, hi + 1) if b not in self.bins]
            out["seconds"] = hi - lo + 1
            out["empty_seconds"] = len(empty)
            longest, run, prev = 0, 0, None
            for b in empty:
                run = run + 1 if prev is not None and b == prev + 1 else 1
                longest, prev = max(longest, run), b
            out["longest_empty_run_s"] = longest
        return out

    def take_token(self, region, action):
        if self.rate <= 0:
            return True
        now = time.monotonic()
        tokens, last = self.buckets.get((region, action), (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        ok = tokens >= 1
        self.buckets[(region, action)] = (tokens - 1 if ok else tokens, now)
        return ok


def request_key(region, method, path, headers, body):
    target = headers.get(b"x-amz-target", b"").decode()
    ctype = headers.get(b"content-type", b"").decode()
    if "x-www-form-urlencoded" in ctype:
        params = [(k, v) for k, v in parse_qsl(body.decode("latin-1"), keep_blank_values=True) if k != "ClientToken"]
        text = urlencode(params)
    else:
        text = body.decode("latin-1")
    return f"{region} {method} {path} {target}\n{text}"


async def read_request(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    method, path, _ = lines[0].split(b" ", 2)
    headers = {}
    for line in lines[1:]:
        if b":" in line:
            k, v = line.split(b":", 1)
            headers[k.strip().lower()] = v.strip()
    n = int(headers.get(b"content-length", b"0") or 0)
    body = await reader.readexactly(n) if n else b""
    return method.decode(), path.decode(), headers, head, body


async def forward(state, head, body):
    r, w = await asyncio.open_connection("127.0.0.1", state.upstream)
    # Ask for a closed connection so the reply ends at EOF.
    head = re.sub(rb"(?im)^connection:[^\r\n]*\r\n", b"", head)
    head = head[:-2] + b"Connection: close\r\n\r\n"
    w.write(head + body)
    await w.drain()
    data = await r.read()
    w.close()
    hdr, _, payload = data.partition(b"\r\n\r\n")
    lines = hdr.split(b"\r\n")
    status = int(lines[0].split(b" ")[1])
    headers = []
    chunked = False
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        name = k.strip().lower().decode()
        if name == "transfer-encoding" and b"chunked" in v.lower():
            chunked = True
        if name in ("connection", "content-length", "transfer-encoding", "date", "server"):
            continue
        headers.append((k.strip().decode(), v.strip().decode()))
    if chunked:
        out, rest = b"", payload
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        payload = out
    return status, headers, payload


def reply_bytes(status, headers, body, keep_alive):
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}.get(status, "Status")
    out = [f"HTTP/1.1 {status} {reason}"]
    out += [f"{k}: {v}" for k, v in headers]
    out += [f"Content-Length: {len(body)}", "Connection: " + ("keep-alive" if keep_alive else "close"), "", ""]
    return "\r\n".join(out).encode("latin-1") + body


async def control(state, method, path, body):
    if path == "/__bench/config":
        cfg = json.loads(body or b"{}")
        state.mode = cfg.get("mode", state.mode)
        state.delay = cfg.get("delay_ms", state.delay * 1000) / 1000.0
        state.rate = float(cfg.get("throttle_rate", state.rate))
        state.burst = float(cfg.get("throttle_burst", state.burst))
        state.buckets = {}
        return {"ok": True}
    if path in ("/__bench/reset", "/__bench/rewind"):
        state.reset(rewind=path.endswith("rewind"))
        return {"ok": True}
    if path == "/__bench/save":
        with open(state.recording_file, "w") as f:
            json.dump({k: [(s, h, b.decode("latin-1")) for s, h, b in v] for k, v in state.recording.items()}, f)
        return {"ok": True, "keys": len(state.recording)}
    return state.stats()


async def serve_one(state, method, path, headers, head, body):
    if path.startswith("/__bench/"):
        return 200, [("Content-Type", "application/json")], json.dumps(await control(state, method, path, body)).encode()
    m = SCOPE.search(headers.get(b"authorization", b""))
    region = m.group(1).decode() if m else "-"
    service = m.group(2).decode() if m else "-"
    action = "-"
    if b"Action=" in body:
        action = body.split(b"Action=", 1)[1].split(b"&", 1)[0].decode()
    elif b"x-amz-target" in headers:
        action = headers[b"x-amz-target"].decode().rsplit(".", 1)[-1]
    now = time.monotonic()
    if state.first is None:
        state.first = now
    b = int(now - state.first)
    state.bins[b] = state.bins.get(b, 0) + 1
    state.requests += 1
    counts = state.per_action.setdefault((region, action), [0, 0])
    counts[0] += 1
    if service == "ec2" and not state.take_token(region, action):
        state.throttled += 1
        counts[1] += 1
        await asyncio.sleep(state.delay)
        return 503, [("Content-Type", "text/xml")], THROTTLE_BODY
    key = request_key(region, method, path, headers, body)
    n = state.seen.get(key, 0)
    state.seen[key] = n + 1
    await asyncio.sleep(state.delay)
    if state.mode == "replay" and key in state.recording:
        replies = state.recording[key]
        return replies[min(n, len(replies) - 1)]
    if state.mode == "replay":
        state.misses += 1
    reply = await forward(state, head, body)
    if state.mode == "record":
        state.recording.setdefault(key, []).append(reply)
    return reply


async def handle(state, reader, writer):
    try:
        while True:
            try:
                method, path, headers, head, body = await read_request(reader)
            except (asyncio.IncompleteReadError, ConnectionError, ValueError):
                break
            keep = headers.get(b"connection", b"").lower() != b"close"
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
            try:
                status, rh, rb = await serve_one(state, method, path, headers, head, body)
            finally:
                state.in_flight -= 1
            writer.write(reply_bytes(status, rh, rb, keep))
            await writer.drain()
            if not keep:
                break
    finally:
        writer.close()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--upstream", type=int, required=True)
    ap.add_argument("--recording")
    ap.add_argument("--mode", default="forward", choices=["record", "replay", "forward"])
    ap.add_argument("--delay-ms", type=float, default=100)
    args = ap.parse_args()
    state = State(args)
    server = await asyncio.start_server(lambda r, w: handle(state, r, w), "127.0.0.1", args.port, backlog=1024)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
