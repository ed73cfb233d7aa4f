#!/usr/bin/env python3
"""A delay-injecting HTTP proxy for bench/apply_delay_bench.sh: forwards
every request to moto_server on 127.0.0.1:UPSTREAM after DELAY_MS, and
CreateNatGateway after NAT_MS more (standing in for the NAT gateway's
pending wait). Usage: delay_proxy.py PORT UPSTREAM DELAY_MS NAT_MS"""
import http.client
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, UPSTREAM, DELAY, NAT = (int(a) for a in sys.argv[1:5])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def relay(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        wait = DELAY / 1000.0
        if b"Action=CreateNatGateway" in body:
            wait += NAT / 1000.0
        time.sleep(wait)
        conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
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

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = relay


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
