#!/usr/bin/env python3
"""A man in the middle between two jaga nodes, for the exchange end-to-end test, on 127.0.0.1.

usage: exchange_proxy.py UPSTREAM_URL MODE_FILE PORT_FILE [LAST_REQUEST_FILE]

Forwards every request to UPSTREAM_URL as it came (the signed headers too) and answers what
the upstream answered, except as MODE_FILE says at the time of each answer:
  pass     as it is; the last feed batch holding changes is kept
  tamper   a feed batch with its first change's value altered (or, empty, its "to" moved on)
  replay   the batch kept in pass mode, again
and writes the last signed request it forwarded (path, tab, Authorization) to
LAST_REQUEST_FILE, for a test to send again.
"""
import json
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

upstream, mode_path, port_path = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
last_path = sys.argv[4] if len(sys.argv) > 4 else None
kept = {"batch": None}
lock = threading.Lock()


def mode():
    try:
        return open(mode_path).read().strip() or "pass"
    except OSError:
        return "pass"


def tamper(body):
    batch = json.loads(body)
    if batch["changes"]:
        value = batch["changes"][0]["value"]
        batch["changes"][0]["value"] = value[:-1] + ("0" if value[-1] != "0" else "1")
    else:
        batch["to"] += 1
    return json.dumps(batch).encode()


class Handler(BaseHTTPRequestHandler):
    def forward(self):
        length = int(self.headers.get("Content-Length", 0))
        data = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
        req = urllib.request.Request(upstream + self.path, data=data, headers=headers,
                                     method=self.command)
        try:
            with urllib.request.urlopen(req, timeout=90) as r:
                status, body = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        if last_path and status == 200 and "authorization" in (k.lower() for k in headers):
            with lock, open(last_path, "w") as f:
                f.write(self.path + "\t" + self.headers.get("Authorization", "") + "\n")
        feed = status == 200 and "/feed" in self.path
        now = mode()
        with lock:
            if feed and now == "pass" and json.loads(body)["changes"]:
                kept["batch"] = body
            elif feed and now == "tamper":
                body = tamper(body)
            elif feed and now == "replay" and kept["batch"]:
                body = kept["batch"]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = forward
    do_POST = forward

    def log_message(self, fmt, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_path, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
