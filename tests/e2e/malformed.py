#!/usr/bin/env python3
"""Malformed input on every route of a running jaga server, then its invariants.

For each route that `jaga serve --routes` lists (read from ROUTES), generated values go into
every path segment the route leaves open, every query argument it takes, every field of a
valid JSON body (and of the objects in its arrays) and every part of an upload form: each
byte 0x00-0xff, overlong and cut UTF-8, surrogates, bidirectional overrides, huge, negative
and fractional numbers, wrong JSON types, empty and over-long text; then duplicated and
unknown arguments, fields and parts, empty, truncated, garbage, deeply nested and oversized
bodies. Asserted, each request: no 5xx, an answer at all, and an error answer (4xx) leaves the
audit log as it was. At the end: /v1/audit/leaves serves every leaf, their hashes rebuild
the signed head's root, and the queue lists every case the store holds open.

usage: malformed.py URL ROUTES STORE KEYS_JSON SAMPLE_JPEG
Prints "ok NAME" or "FAIL NAME: why" per invariant and a count of requests; exits 1 on any
failure.
"""
import hashlib
import json
import random
import select
import socket
import sqlite3
import sys
import time
import urllib.parse

url, routes_file, store, keys_file, jpeg_file = sys.argv[1:6]
host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
keys = json.load(open(keys_file))
jpeg = open(jpeg_file, "rb").read()
rng = random.Random(20)
failures = []
sent = 0


def request(method, target, key=None, body=b"", headers=()):
    """The status of one request (raw bytes on a fresh connection), or None without one."""
    global sent
    sent += 1
    head = [f"{method} ".encode() + target + b" HTTP/1.1", b"Host: x", b"Connection: close"]
    if key:
        head.append(b"Authorization: Bearer " + key.encode())
    for name, value in headers:
        head.append(name + b": " + value)
    if body or method in ("POST", "PUT", "PATCH"):
        head.append(b"Content-Length: %d" % len(body))
    data = b"\r\n".join(head) + b"\r\n\r\n"
    try:
        with socket.create_connection((host, port), timeout=30) as s:
            s.sendall(data)
            # The body a piece at a time, stopping once an answer has come (a request
            # refused on its headers is answered before its body is read).
            for at in range(0, len(body), 65536):
                if select.select([s], [], [], 0)[0]:
                    break
                try:
                    s.sendall(body[at:at + 65536])
                except OSError:
                    break
            answer = b""
            while len(answer) < 64:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
        return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else None
    except (OSError, ValueError, IndexError):
        return None


def get_json(target, key):
    with socket.create_connection((host, port), timeout=30) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                  f"Authorization: Bearer {key}\r\n\r\n".encode())
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    if b"chunked" in head.lower():
        out, rest = b"", body
        while rest:
            size, _, rest = rest.partition(b"\r\n")
            n = int(size, 16)
            if n == 0:
                break
            out, rest = out + rest[:n], rest[n + 2:]
        body = out
    return json.loads(body)


def audit_size():
    return get_json("/v1/audit/head", keys["admin"])["size"]


def enc(raw):
    """raw bytes percent-encoded for a query value or a path segment."""
    return urllib.parse.quote_from_bytes(raw, safe=b"").encode()


# Malformed text, as bytes: every byte alone and inside text, broken UTF-8, hostile Unicode.
NASTY = [b"", b"a" * 5000, b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
         b"\xe2\x80", b"\xe2\x80\xae", b"\xef\xbb\xbf", b"a\r\nSet-Cookie: x", b"..", b"../../etc",
         b"%00", b"-1", b"0", b"99999999999999999999999", b"1e308", b"1.5", b"NaN", b"-0",
         b"<script>", b"' OR 1=1 --", b"\\", b" "]
BYTES = [bytes([b]) for b in range(256)]


def values(spread):
    """The nasty values and a share of the 256 single bytes (all of them when spread is 1)."""
    start = rng.randrange(spread)
    return NASTY + [b"x" + b + b"y" for b in BYTES[start::spread]]


# JSON values of every kind, for a field whatever its type.
JSON_NASTY = [None, True, 0, -1, -9223372036854775809, 18446744073709551616, 1e308, -1.5, "",
              "a" * 70000, "\u202e", "\ud800", "a\u0000b", "a\u0085b", "\r\n", [], [None] * 3,
              {}, {"x": 1}, "-1", "99999999999999999999", "..", "<img src=x>"]

# A valid body for every JSON route, filled with the seeded objects' ids (the routes' fields
# as docs/api.md gives them).
PDQ = "f" * 64


def templates(seed):
    return {
        "POST /v1/lookup": {"pdq": [PDQ], "md5": "0" * 32, "sha256": "0" * 64,
                            "banks": ["NCII_DEEPFAKES"]},
        "POST /v1/banks": {"name": "FUZZ_BANK", "description": "d", "signal_types": ["pdq"],
                           "pdq_threshold": 31, "verified": False, "enabled": True},
        "PATCH /v1/banks/*": {"description": "d", "signal_types": ["pdq"], "pdq_threshold": 20,
                              "verified": True, "enabled": True},
        "POST /v1/banks/*/withdraw": {"signal_type": "pdq", "values": [PDQ]},
        "POST /v1/keys": {"role": "regulator", "jurisdiction": "MY", "teams": [], "name": "k"},
        "POST /v1/visibility/batch": {"country": "MY", "content_ids": ["c-1", "c-2"],
                                      "sensitive_filter": False},
        "PUT /v1/country-blocks/*": {"reason": "court_order", "legal": "ID"},
        "POST /v1/notices": {"reference": "MCMC/1", "legal_basis": "MY-CMA-233",
                             "urgency": "normal", "deadline": "48h",
                             "penalty": {"currency": "MYR", "amount": 5000},
                             "items": [{"content_id": "c-1"}, {"pdq": PDQ}, {"md5": "0" * 32},
                                       {"url": "https://example.org/x"}]},
        "POST /v1/reports": {"content_id": "c-1", "category": "ncii_deepfake",
                             "reporter_id": "u-1", "text": "this is me", "country": "MY",
                             "reporter_ip": "203.0.113.7", "language": "ms"},
        "POST /v1/cases/*/decision": {"action": "withhold", "countries": ["MY"], "ground": "law",
                                      "legal": "MY-OSA-2025", "category": "ncii_deepfake",
                                      "note": "n", "everywhere": False},
        "POST /v1/cases/*/appeal": {"appellant": "u-1", "text": "not me"},
        "POST /v1/streams": {"url": "http://127.0.0.1:1/x.ts", "content_id": "s-1",
                             "uploader_id": "u", "uploader_country": "MY", "media_url": "/m",
                             "seconds_per_hash": 1},
        "POST /v1/exchange/*/feedback": {"verdicts": [{"signal_type": "pdq", "value": PDQ,
                                                       "verdict": "confirmed", "at": 1}]},
        "POST /v1/exchange/peers": {"name": "peer-x", "public_key": "00" * 32,
                                    "url": "http://127.0.0.1:1", "banks": "NCII_DEEPFAKES"},
        "POST /v1/exchange/subscriptions": {"peer": "peer-x", "bank": "B",
                                            "local_bank": "FROM_X"},
    }


# Path segments a route leaves open: real objects first, then malformed ones.
def segments(pattern, seed):
    real = {"/v1/content/*": seed["content"], "/v1/banks/*": "NCII_DEEPFAKES",
            "/v1/cases/*": str(seed["case"]), "/v1/notices/*": str(seed["notice"]),
            "/v1/keys/*": "000000000000", "/v1/country-blocks/*": "XX",
            "/compliance/*": "MY", "/console/*": "console.js", "/v1/media/*": seed["content"],
            "/v1/exchange/*": "NCII_DEEPFAKES"}
    for prefix, value in real.items():
        if pattern.startswith(prefix):
            return value.encode()
    return b"1"


def fill(pattern, seed, which=None, value=None):
    """The pattern's path with each "*" a real segment, but the which-th one value."""
    out, n = [], 0
    for part in pattern.split("/"):
        if part == "*":
            out.append(value if n == which else enc(segments(pattern, seed)))
            n += 1
        else:
            out.append(part.encode())
    return b"/".join(out)


def good_query(params, seed):
    known = {"content_id": seed["content"], "country": "MY", "content": seed["content"],
             "team": "ncii", "variant": "blurred", "format": "te", "start": "0", "count": "5",
             "index": "0", "size": "1", "from": "0", "to": "1", "jurisdiction": "MY",
             "status": "dead", "limit": "5", "wait": "0", "cursor": "0"}
    return {p: known.get(p, "1").encode() for p in params}


def query_string(args):
    return b"&".join(enc(k.encode()) + b"=" + v for k, v in args)


def key_for(roles):
    if roles in ("public", "peer"):
        return None
    allowed = roles.split(",")
    return keys["admin"] if "admin" in allowed else keys[allowed[0]]


def body_for(method, pattern, body_mode):
    if body_mode == "json":
        return b"{}"
    if pattern in ("/v1/scan", "/v1/hash"):
        return jpeg
    return b"pdq " + PDQ.encode() + b"\n" if body_mode == "spooled" else b""


def cases(route, seed, tmpl):
    """(method, target, key, body, headers, what) for every malformed request of a route."""
    method, pattern, roles, body_mode, params = route
    params = [] if params == "-" else params.split(",")
    key = key_for(roles)
    ctype = [(b"Content-Type", b"application/json")] if body_mode == "json" else []
    base_body = (json.dumps(tmpl).encode() if tmpl is not None
                 else body_for(method, pattern, body_mode))
    path = fill(pattern, seed)
    query = good_query(params, seed)

    def target(p=path, args=None):
        args = list(query.items()) if args is None else args
        return p + (b"?" + query_string(args) if args else b"")

    yield method, target(), key, base_body, ctype, "as documented"
    for i in range(pattern.count("*")):
        for v in values(16):
            yield (method, target(fill(pattern, seed, i, enc(v))), key, base_body, ctype,
                   f"segment {i} {v[:20]!r}")
        yield method, target(fill(pattern, seed, i, b"")), key, base_body, ctype, "empty segment"
    spread = 1 if pattern == "/v1/scan" else 24
    for name in params:
        for v in values(spread):
            args = [(k, enc(v) if k == name else x) for k, x in query.items()]
            yield method, target(args=args), key, base_body, ctype, f"?{name}={v[:20]!r}"
        args = list(query.items()) + [(name, b"again")]
        yield method, target(args=args), key, base_body, ctype, f"?{name} twice"
        args = [(k, x) for k, x in query.items() if k != name] + [(name, None)]
        raw = b"&".join(enc(k.encode()) + (b"=" + x if x is not None else b"") for k, x in args)
        yield method, path + b"?" + raw, key, base_body, ctype, f"?{name} without ="
    yield method, target(args=list(query.items()) + [("debug", b"1")]), key, base_body, ctype, \
        "unknown argument"
    yield method, path + b"?" + b"&".join([b"a=1"] * 40), key, base_body, ctype, "40 arguments"
    yield method, target(path + b"/extra"), key, base_body, ctype, "extra segment"
    if roles == "peer":
        for h in (b"JagaPeer", b"JagaPeer a b c d", b"JagaPeer " + b"x" * 5000,
                  b"JagaPeer k 99999999999999999999 n s", b"JagaPeer k -1 \xff s"):
            yield method, target(), None, base_body, ctype + [(b"Authorization", h)], \
                f"peer header {h[:30]!r}"
    if tmpl is not None:
        yield from json_cases(method, target(), key, tmpl)
    if method in ("POST", "PUT", "PATCH"):
        for body, what in ((b"", "empty body"), (b"\x00" * 100, "NUL body"),
                           (bytes(rng.randrange(256) for _ in range(3000)), "garbage body"),
                           (base_body[: len(base_body) // 2], "cut body"),
                           (b"[" * 100000, "deep nesting"), (b"x" * (2 << 20), "2 MiB body")):
            yield method, target(), key, body, ctype, what
        if body_mode == "raw" and pattern in ("/v1/scan", "/v1/hash", "/v1/scan/video"):
            yield from form_cases(method, target(path, []), key, params, query)
        if body_mode == "json":
            yield method, target(), key, base_body, [(b"Content-Type", b"text/plain")], \
                "JSON as text/plain"


def json_cases(method, target, key, tmpl):
    ctype = [(b"Content-Type", b"application/json")]
    fields = [((), k) for k in tmpl]
    for k, v in tmpl.items():  # one level down: objects and the objects in arrays
        if isinstance(v, dict):
            fields += [((k,), kk) for kk in v]
        if isinstance(v, list) and v and isinstance(v[0], dict):
            fields += [((k, 0), kk) for kk in v[0]]

    def put(path, name, value, drop=False):
        doc = json.loads(json.dumps(tmpl))
        obj = doc
        for step in path:
            obj = obj[step]
        if drop:
            obj.pop(name, None)
        else:
            obj[name] = value
        return json.dumps(doc).encode()

    for path, name in fields:
        label = "/".join(map(str, path + (name,)))
        for v in JSON_NASTY:
            yield method, target, key, put(path, name, v), ctype, f"{label}={json.dumps(v)[:20]}"
        yield method, target, key, put(path, name, None, drop=True), ctype, f"{label} missing"
    body = json.dumps(tmpl).encode()
    yield method, target, key, body[:-1] + b',"unknown":1}', ctype, "unknown field"
    first = next(iter(tmpl))
    yield method, target, key, body[:-1] + b',"%s":1}' % first.encode(), ctype, "duplicate key"
    for raw in (b"null", b"[]", b"\"x\"", b"{", b"{\"a\":}", b"{\"\xff\":1}", b"{}" * 2):
        yield method, target, key, raw, ctype, f"body {raw[:20]!r}"


def form_cases(method, target, key, params, query):
    field = "video" if target.startswith(b"/v1/scan/video") else "image"
    media = jpeg

    def form(parts, boundary=b"XyZ"):
        out = b""
        for name, value in parts:
            out += (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"" + name +
                    b"\"\r\n\r\n" + value + b"\r\n")
        return out + b"--" + boundary + b"--\r\n"

    ctype = [(b"Content-Type", b"multipart/form-data; boundary=XyZ")]
    good = [(k.encode(), v) for k, v in query.items()]
    yield method, target, key, form(good + [(field.encode(), media)]), ctype, "form"
    for name in params:
        for v in values(32):
            parts = [(k, v if k == name.encode() else x) for k, x in good]
            yield method, target, key, form(parts + [(field.encode(), media)]), ctype, \
                f"part {name}={v[:20]!r}"
    yield method, target, key, form(good + [(b"extra", b"1"), (field.encode(), media)]), ctype, \
        "unknown part"
    yield method, target, key, form(good + good[:1] + [(field.encode(), media)]), ctype, \
        "repeated part"
    yield method, target, key, form(good + [(b"\xff\"\r\n", b"1")]), ctype, "bad part name"
    yield method, target, key, form(good + [(field.encode(), media)])[:300], ctype, "cut form"
    for t in (b"multipart/form-data", b"multipart/form-data; boundary=",
              b"multipart/form-data; boundary=" + b"b" * 300):
        yield method, target, key, form(good), [(b"Content-Type", t)], f"form type {t[:40]!r}"
    yield method, target, key, form([(b"p%d" % i, b"1") for i in range(40)]), ctype, "40 parts"


def seed_objects():
    """A scan (with its case), a notice and a report to aim at."""
    content = "seed-1"
    request("POST", b"/v1/scan?content_id=" + content.encode() + b"&uploader_country=MY",
            keys["admin"], jpeg)
    report = {"content_id": content, "category": "ncii_deepfake", "country": "MY"}
    request("POST", b"/v1/reports", keys["admin"], json.dumps(report).encode(),
            [(b"Content-Type", b"application/json")])
    notice = {"reference": "SEED/1", "items": [{"content_id": content}]}
    request("POST", b"/v1/notices", keys["regulator"], json.dumps(notice).encode(),
            [(b"Content-Type", b"application/json")])
    notices = get_json("/v1/notices", keys["regulator"])["notices"]
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    case = db.execute("SELECT min(id) FROM cases").fetchone()[0]
    db.close()
    return {"content": content, "notice": notices[0]["id"], "case": case}


def fail(what):
    failures.append(what)
    if len(failures) <= 30:
        print(f"FAIL {what}", flush=True)


routes = [line.split() for line in open(routes_file) if line.strip()]
seed = seed_objects()
tmpls = templates(seed)
json_routes = {f"{r[0]} {r[1]}" for r in routes if r[3] == "json"}
missing = json_routes - set(tmpls)
if missing:
    fail(f"no body template for {sorted(missing)}")
started = time.monotonic()
statuses = {}
size = audit_size()
for route in routes:
    name = f"{route[0]} {route[1]}"
    for method, target, key, body, headers, what in cases(route, seed, tmpls.get(name)):
        status = request(method, target, key, body, headers)
        statuses[status] = statuses.get(status, 0) + 1
        if status is None:
            fail(f"{name} {what}: no answer")
        elif status >= 500:
            fail(f"{name} {what}: {status}")
        elif status >= 400 and route[0] != "GET":
            now = audit_size()
            if now != size:
                fail(f"{name} {what}: {status} but the audit log grew {size} -> {now}")
        if status is not None and status < 400 and route[0] != "GET":
            size = audit_size()
elapsed = time.monotonic() - started
print(f"sent {sent} requests in {elapsed:.0f} s; answers by status: "
      + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str)), flush=True)

# The invariants after it all.
if request("GET", b"/healthz") != 200:
    fail("the server answers /healthz")
head = get_json("/v1/audit/head", keys["admin"])
hashes, start = [], 0
while start < head["size"]:
    page = get_json(f"/v1/audit/leaves?start={start}&count=1000", keys["admin"])
    leaves = page["leaves"] if isinstance(page, dict) else page
    if not leaves:
        break
    for leaf in leaves:
        data = (bytes.fromhex(leaf["data_hex"]) if "data_hex" in leaf
                else leaf["data"].encode())
        if leaf["index"] != len(hashes):
            fail(f"leaf {len(hashes)} missing from /v1/audit/leaves")
        if hashlib.sha256(b"\x00" + data).hexdigest() != leaf["hash"]:
            fail(f"leaf {leaf['index']}'s data does not hash to its hash")
        hashes.append(bytes.fromhex(leaf["hash"]))
    start += len(leaves)


def root(nodes):
    if len(nodes) == 1:
        return nodes[0]
    k = 1
    while k * 2 < len(nodes):
        k *= 2
    return hashlib.sha256(b"\x01" + root(nodes[:k]) + root(nodes[k:])).digest()


if len(hashes) != head["size"]:
    fail(f"/v1/audit/leaves served {len(hashes)} of {head['size']} leaves")
elif not hashes or root(hashes).hex() != head["root"]:
    fail("the served leaves do not rebuild the head's root")
else:
    print(f"ok every one of {len(hashes)} leaves served; they rebuild the head's root")
# The store read beside the server (another process: SQLite's locks hold), read-only.
db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
waiting = {}
for case_id, team in db.execute(
        "SELECT id, team FROM cases WHERE status IN ('open', 'escalated', 'appealed')"):
    waiting.setdefault(team, set()).add(case_id)
db.close()
for team, ids in sorted(waiting.items()):
    queue = get_json(f"/v1/queue?team={urllib.parse.quote(team)}", keys["admin"])
    listed = {c["id"] for c in queue["cases"]}
    if len(ids) > 200:  # the queue answers the 200 most urgent
        fail(f"team {team} has {len(ids)} open cases, more than the queue lists")
    elif ids != listed:
        fail(f"the queue of {team} lists {sorted(listed)[:10]} for open {sorted(ids)[:10]}")
print(f"ok the queues list every one of {sum(map(len, waiting.values()))} open cases "
      f"in {len(waiting)} teams")
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
