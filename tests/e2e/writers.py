#!/usr/bin/env python3
"""Every writer of a running jaga server, each first while its store cannot be written, then
once it can: acknowledged or rolled back, never half-written.

MODE "fsize" makes each of the server's writes past a file's end fail (its RLIMIT_FSIZE set
to 0 through prlimit: an I/O error on commit); MODE "full" fills the filesystem the store lives
on (DISK, a small tmpfs) with a filler file: disk full. For each writer, in a sequence that
builds on itself (a bank, its entries, keys, country blocks, a scan with its case, a report,
a notice and its withdrawal, claims, a decision, an appeal, a delivery's retry, peers, a
peer's signed feedback and a subscription, a video job): broken, the answer is 503 with Retry-After and the store holds
exactly what it held before (every table, compared row by row) while reads keep answering;
healed, the same request is acknowledged. Afterwards the caller restarts the server and
calls this again with MODE "check": every acknowledged write is still there.

usage: writers.py URL STORE PID KEYS_JSON JPEG MODE [DISK]
       writers.py URL STORE - KEYS_JSON - check
Prints a line per check ("ok ..." or "FAIL ..."); exits 1 on any failure.
"""
import hashlib
import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

url, store, pid, keys_file, jpeg_file, mode = sys.argv[1:7]
disk = sys.argv[7] if len(sys.argv) > 7 else None
keys = json.load(open(keys_file))
failures = 0
state_file = store + ".acknowledged.json"


def check(what, ok):
    global failures
    print(("ok " if ok else "FAIL ") + what, flush=True)
    failures += 0 if ok else 1


def call(method, path, key="admin", body=None, ctype="application/json"):
    data = (json.dumps(body).encode() if isinstance(body, (dict, list))
            else body if body is not None else b"" if method != "GET" else None)
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Authorization", peer_sign(method, path, data or b"") if key == "peer"
                   else "Bearer " + keys[key])
    if data is not None:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            status, headers, raw = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, headers, raw = e.code, e.headers, e.read()
    try:
        answer = json.loads(raw) if raw else None
    except ValueError:
        answer = None
    return status, headers, answer


def dump():
    """Every row of every table, as a set of lines (another process's read-only view)."""
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return set(db.iterdump())
    finally:
        db.close()


def identity(row):
    """A dumped row's table and first column (its key), or the whole line for the rest."""
    m = re.match(r'INSERT INTO "(\w+)" VALUES\(((?:\'(?:[^\']|\'\')*\'|[^,)\'])*)', row)
    return (m.group(1), m.group(2)) if m else row


filler = os.path.join(disk, "filler") if disk else None


def break_store():
    if mode == "fsize":
        hard = resource.prlimit(int(pid), resource.RLIMIT_FSIZE)[1]
        resource.prlimit(int(pid), resource.RLIMIT_FSIZE, (0, hard))
    else:
        try:  # until the disk is full (it may be so already: then the file cannot be made)
            with open(filler, "wb") as f:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
        except OSError:
            pass


def heal_store():
    if mode == "fsize":
        hard = resource.prlimit(int(pid), resource.RLIMIT_FSIZE)[1]
        resource.prlimit(int(pid), resource.RLIMIT_FSIZE, (hard, hard))
    elif os.path.exists(filler):
        os.unlink(filler)


# A peer node's Ed25519 key, made and used through the openssl command (docs/exchange.md
# gives what a peer signs), one for each mode, beside the keys (a full disk holds the store).
peer_key = os.path.join(os.path.dirname(os.path.abspath(keys_file)), f"{mode}.peer.pem")


def peer_public_key():
    if not os.path.exists(peer_key):
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", peer_key],
                       check=True, capture_output=True)
    der = subprocess.run(["openssl", "pkey", "-in", peer_key, "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout
    return der[-32:].hex()


def peer_sign(method, target, body):
    when, nonce = str(int(time.time())), os.urandom(16)
    digest = hashlib.sha256(b"jaga-exchange-request-v2\0" + method.encode() + b"\0" +
                            target.encode() + b"\0" + when.encode() + b"\0" + nonce +
                            hashlib.sha256(body).digest()).digest()
    with open(peer_key + ".digest", "wb") as f:
        f.write(digest)
    signature = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", peer_key, "-rawin",
                                "-in", peer_key + ".digest"], check=True,
                               capture_output=True).stdout
    return f"JagaPeer {peer_public_key()} {when} {nonce.hex()} {signature.hex()}"


jpeg = open(jpeg_file, "rb").read() if jpeg_file != "-" else b""
PDQ = "e" * 64
tag = mode  # ids differ between the two modes' runs on one store
ctx = {}


def steps():
    """(writer, method, path, key, body, content type, the codes that acknowledge it)."""
    bank = f"W_{tag.upper()}"
    j = "application/json"
    yield "create a bank", "POST", "/v1/banks", "admin", {"name": bank}, j, (201,)
    yield "update a bank", "PATCH", f"/v1/banks/{bank}", "admin", {"description": "d"}, j, (200,)
    yield ("import entries", "POST", f"/v1/banks/{bank}/entries?format=te", "admin",
           f"pdq {PDQ}\n".encode(), "text/plain", (200,))
    yield ("withdraw entries", "POST", f"/v1/banks/{bank}/withdraw", "admin",
           {"signal_type": "pdq", "values": [PDQ]}, j, (200,))
    yield "create a key", "POST", "/v1/keys", "admin", {"role": "auditor", "name": tag}, j, (201,)
    yield "revoke a key", "DELETE", lambda: f"/v1/keys/{ctx['key']}", "admin", None, j, (200,)
    country = "VN" if tag == "fsize" else "IN"
    yield ("block a country", "PUT", f"/v1/country-blocks/{country}", "admin",
           {"reason": "court_order"}, j, (200, 201))
    yield ("lift a block", "DELETE", f"/v1/country-blocks/{country}", "admin", None, j, (200,))
    content = f"w-{tag}"
    yield ("scan an image", "POST", f"/v1/scan?content_id={content}&uploader_country=MY",
           "platform", jpeg, "image/jpeg", (201,))
    yield ("file a report", "POST", "/v1/reports", "platform",
           {"content_id": content, "category": "ncii_deepfake", "country": "MY"}, j, (201,))
    yield ("file a notice", "POST", "/v1/notices", "regulator",
           {"reference": f"W/{tag}", "items": [{"content_id": content}]}, j, (201,))
    yield ("withdraw a notice item", "POST",
           lambda: f"/v1/notices/{ctx['notice']}/items/{ctx['item']}/withdraw", "regulator",
           None, j, (200,))
    yield "claim from the queue", "POST", "/v1/queue/claim?team=ncii", "admin", None, j, (200,)
    yield ("release a case", "POST", lambda: f"/v1/cases/{ctx['case']}/release", "admin",
           None, j, (200,))
    yield ("claim a case", "POST", lambda: f"/v1/cases/{ctx['case']}/claim", "admin", None,
           j, (200,))
    yield ("decide a case", "POST", lambda: f"/v1/cases/{ctx['case']}/decision", "admin",
           {"action": "withhold", "countries": ["MY"], "ground": "terms",
            "category": "ncii_deepfake"}, j, (200,))
    yield ("appeal a decision", "POST", lambda: f"/v1/cases/{ctx['case']}/appeal", "platform",
           {"appellant": "u-1", "text": "not me"}, j, (200, 201))
    yield ("retry a delivery", "POST", lambda: f"/v1/webhooks/deliveries/{ctx['delivery']}/retry",
           "admin", None, j, (200,))
    peer = f"peer-{tag}"
    yield ("add a peer", "POST", "/v1/exchange/peers", "admin",
           {"name": peer, "public_key": peer_public_key(), "url": "http://127.0.0.1:9",
            "banks": "NCII_DEEPFAKES"}, j, (201,))
    yield ("take a peer's feedback", "POST", "/v1/exchange/NCII_DEEPFAKES/feedback", "peer",
           {"verdicts": [{"signal_type": "pdq", "value": os.environ["BEACH_PDQ"],
                          "verdict": "confirmed", "at": int(time.time()) - 5}]}, j, (200,))
    yield ("subscribe to a peer", "POST", "/v1/exchange/subscriptions", "admin",
           {"peer": peer, "bank": "B", "local_bank": f"FROM_{tag.upper()}"}, j, (201,))
    yield "revoke a peer", "DELETE", f"/v1/exchange/peers/{peer}", "admin", None, j, (200,)
    yield ("queue a video job", "POST", f"/v1/scan/video?content_id=v-{tag}", "platform", jpeg,
           "video/mp4", (202,))


def settle():
    """Waits (up to 10 s) until no webhook delivery is pending: the background writes it
    makes would otherwise land between a step's two looks at the store."""
    for _ in range(100):
        _, _, pending = call("GET", "/v1/webhooks/deliveries?status=pending")
        if not pending["deliveries"]:
            return
        time.sleep(0.1)


def learn(writer, answer):
    """What later steps need from an acknowledgement."""
    settle()
    if writer == "create a key":
        ctx["key"] = answer["prefix"]
    elif writer == "file a notice":
        ctx["notice"], ctx["item"] = answer["id"], answer["items"][0]["id"]
    elif writer == "claim from the queue":
        ctx["case"] = answer["case"]["id"]
    elif writer == "appeal a decision":  # deliveries to the closed port die soon after
        _, _, dead = call("GET", "/v1/webhooks/deliveries?status=dead")
        ctx["delivery"] = dead["deliveries"][0]["id"] if dead["deliveries"] else 0


if mode == "check":
    # Every row the store held before the restart is there after it, by its table and key (a
    # start may move a row on: a video job runs again, the store's generation changes).
    acknowledged = json.load(open(state_file))
    now = {identity(row) for row in dump()}
    lost = [row for row in acknowledged if identity(row) not in now]
    for row in lost[:5]:
        print("  lost: " + row[:200])
    check(f"every acknowledged row is in the store after the restart ({len(lost)} lost)",
          not lost)
    sys.exit(1 if failures else 0)

for writer, method, path, key, body, ctype, codes in steps():
    path = path() if callable(path) else path
    if writer == "retry a delivery":
        if not ctx.get("delivery"):
            check(f"{writer}: a dead delivery to retry", False)
            continue
    before = dump()
    break_store()
    status, headers, _ = call(method, path, key, body, ctype)
    read_status = call("GET", "/v1/banks", "admin")[0]
    heal_store()
    after = dump()
    check(f"{writer}, store broken: 503 with Retry-After ({status})",
          status == 503 and headers.get("Retry-After") is not None)
    check(f"{writer}, store broken: the store is as it was", before == after)
    check(f"{writer}, store broken: reads answer ({read_status})", read_status == 200)
    status, _, answer = call(method, path, key, body, ctype)
    why = f": {answer['error']['message']}" if status not in codes and answer and "error" in answer else ""
    check(f"{writer}, store healed: acknowledged ({status}{why})", status in codes)
    if status in codes:
        learn(writer, answer)
json.dump(sorted(dump()), open(state_file, "w"))
sys.exit(1 if failures else 0)
