#!/usr/bin/env python3
"""A small stand-in for the two GitHub endpoints the action talks to
(GitHub itself is unreachable in tests): the Actions OIDC token endpoint
(GET /oidc/token?...&audience=A with `Authorization: bearer T`, answers
{"value": "<id token>"}) and the issue-comments REST API (list, create,
update, kept in memory). Every request is appended as one JSON line to
LOG (method, path, query, authorization, body).

Usage: github_stand_in.py PORT_FILE LOG  (listens on 127.0.0.1, a free
port written to PORT_FILE once it is listening).
"""
import json
import re
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ID_TOKEN = "stand-in.oidc.jwt"
comments = {}  # id -> {"id", "body", "issue"}
next_id = [1000]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self, method):
        url = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        with open(sys.argv[2], "a", encoding="utf-8") as log:
            log.write(json.dumps({"method": method, "path": url.path, "query": urllib.parse.parse_qs(url.query),
                                  "authorization": self.headers.get("Authorization", ""), "body": raw}) + "\n")
        if method == "GET" and url.path == "/oidc/token":
            return self.reply(200, {"count": 1, "value": ID_TOKEN})
        m = re.fullmatch(r"/repos/[^/]+/[^/]+/issues/(\d+)/comments", url.path)
        if m and method == "GET":
            page = int(urllib.parse.parse_qs(url.query).get("page", ["1"])[0])
            mine = [c for c in comments.values() if c["issue"] == int(m.group(1))]
            return self.reply(200, mine if page == 1 else [])
        if m and method == "POST":
            next_id[0] += 1
            c = {"id": next_id[0], "issue": int(m.group(1)), "body": json.loads(raw)["body"]}
            comments[c["id"]] = c
            return self.reply(201, c)
        m = re.fullmatch(r"/repos/[^/]+/[^/]+/issues/comments/(\d+)", url.path)
        if m and method == "PATCH" and int(m.group(1)) in comments:
            c = comments[int(m.group(1))]
            c["body"] = json.loads(raw)["body"]
            return self.reply(200, c)
        return self.reply(404, {"message": "Not Found"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
