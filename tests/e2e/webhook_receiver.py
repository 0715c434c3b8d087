#!/usr/bin/env python3
"""A platform's webhook endpoint for the end-to-end tests, on 127.0.0.1.

usage: webhook_receiver.py SECRET_FILE LOG_FILE PORT_FILE

Verifies each delivery's X-Jaga-Signature (t=UNIX,v1=HMAC-SHA256 over "UNIX." + body, at
most 300 s old), answers 500 to the first attempt of every event (as if its answer were lost:
the delivery was seen, jaga must try again), 200 after, 401 for a bad signature. Each
delivery is logged as one JSON line: event, idempotency key, signature validity, the body.
"""
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

secret = open(sys.argv[1], "rb").read().strip()
log_path, port_path = sys.argv[2], sys.argv[3]
seen = set()


def signed(header, body):
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        t = int(parts["t"])
    except (ValueError, KeyError):
        return False
    want = hmac.new(secret, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - t) <= 300 and hmac.compare_digest(want, parts.get("v1", ""))


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        key = self.headers.get("Idempotency-Key", "")
        ok = signed(self.headers.get("X-Jaga-Signature", ""), body)
        first = key not in seen
        seen.add(key)
        with open(log_path, "a") as log:
            log.write(json.dumps({"event": self.headers.get("X-Jaga-Event"), "key": key,
                                  "delivery": self.headers.get("X-Jaga-Delivery"),
                                  "signed": ok, "first": first,
                                  "body": json.loads(body)}) + "\n")
        self.send_response(401 if not ok else 500 if first else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
with open(port_path, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
