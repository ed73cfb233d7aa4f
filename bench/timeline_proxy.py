#!/usr/bin/env python3
"""A delay-injecting HTTP proxy that also records a timeline, for
bench/lamp_dr_failover.sh: forwards every request to moto_server on
127.0.0.1:UPSTREAM after DELAY_MS and appends one JSON line per call to LOG:
{"t0": start, "t1": end (seconds, time.time()), "region": the SigV4 scope's
region, "service": its service, "op": Action= / X-Amz-Target / method+path}.
Usage: timeline_proxy.py PORT UPSTREAM DELAY_MS LOG"""
import http.client
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, UPSTREAM, DELAY = (int(a) for a in sys.argv[1:4])
LOG = open(sys.argv[4], "a", buffering=1)
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def relay(self):
        t0 = time.time()
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        scope = re.search(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/", self.headers.get("Authorization", ""))
        region, service = scope.groups() if scope else ("?", "?")
        m = re.search(rb"Action=([A-Za-z0-9]+)", body)
        target = self.headers.get("X-Amz-Target")
        op = m.group(1).decode() if m else (target.split(".")[-1] if target else f"{self.command} {self.path.split('?')[0]}")
        time.sleep(DELAY / 1000.0)
        conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        conn.close()
        with LOCK:
            LOG.write(json.dumps({"t0": t0, "t1": time.time(), "region": region, "service": service, "op": op,
                                  "status": resp.status}) + "\n")

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = relay


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
