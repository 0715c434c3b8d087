#!/usr/bin/env bash
# End-to-end: the audit log. Changes made through the API are leaves; the public key, signed
# heads, inclusion and consistency proofs over HTTP check out; `jaga audit verify` passes on
# the store as jaga left it and fails once a leaf is edited behind its back; `jaga audit
# watch` follows the log and raises an alert when the log is rewritten and re-signed.
# usage: test_audit.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"

field() { python3 -c "import json,sys; d=json.load(open('$work/body')); print(eval(sys.argv[1]))" "$1"; }

check "a log from the set-up" "$jaga" audit head >/dev/null
start_server
check "scan" test "$(code POST '/v1/scan?content_id=post-1' "$platform" --data-binary "@$work/s/street.png")" = 201
check "report" test "$(code POST /v1/reports "$platform" -d '{"content_id":"post-1","category":"ncii_deepfake","reporter_id":"user-42","text":"this is a fake of me","country":"MY"}')" = 201
check "key public" test "$(code GET /v1/audit/key)" = 200
pub=$(field "d['public_key']")
check "key is 32 bytes" test "${#pub}" = 64
check "head" test "$(code GET /v1/audit/head "$auditor")" = 200
size1=$(field "d['size']")
root1=$(field "d['root']")
check "head covers the changes" test "$size1" -gt 10
check "leaves" test "$(code GET '/v1/audit/leaves?start=0&count=1000' "$auditor")" = 200
check "the report is a leaf" grep -q '"kind\\":\\"report.add' "$work/body"
check "no reporter in clear" test "$(grep -c 'user-42\|fake of me' "$work/body")" = 0
check "leaves page bound" test "$(code GET '/v1/audit/leaves?start=0&count=5000' "$auditor")" = 400
check "leaves start required" test "$(code GET '/v1/audit/leaves' "$auditor")" = 400

# An inclusion proof of every leaf, checked here against the signed root (RFC 9162 2.1.3.2).
cat >"$work/proofs.py" <<'PY'
import hashlib, json, sys, urllib.request
url, key, size, root = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def get(path):
    req = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + key})
    return json.load(urllib.request.urlopen(req))
def node(l, r):
    return hashlib.sha256(b"\x01" + l + r).digest()
leaves = get("/v1/audit/leaves?start=0&count=1000")["leaves"]
for leaf in leaves[:size]:
    h = hashlib.sha256(b"\x00" + leaf["data"].encode()).digest()
    assert h.hex() == leaf["hash"], leaf["index"]
    p = get("/v1/audit/proof/inclusion?index=%d&size=%d" % (leaf["index"], size))
    fn, sn, r = leaf["index"], size - 1, h
    for step in p["proof"]:
        s = bytes.fromhex(step)
        if sn == 0:
            sys.exit("proof too long")
        if fn & 1 or fn == sn:
            r = node(s, r)
            while not fn & 1 and fn:
                fn >>= 1; sn >>= 1
        else:
            r = node(r, s)
        fn >>= 1; sn >>= 1
    assert sn == 0 and r.hex() == root, leaf["index"]
print(len(leaves[:size]))
PY
check "every inclusion proof holds" test "$(python3 "$work/proofs.py" "$url" "$auditor" "$size1" "$root1")" = "$size1"
check "proof beyond the log 400" test "$(code GET "/v1/audit/proof/inclusion?index=0&size=99999" "$auditor")" = 400
check "proof bad number 400" test "$(code GET "/v1/audit/proof/inclusion?index=x&size=1" "$auditor")" = 400

export JAGA_KEY=$auditor
watch_state="$work/watch.json"
check "watch first look" "$jaga" audit watch "$url" --once --state "$watch_state"
check "block" test "$(code PUT /v1/country-blocks/KP "$admin" -d '{"reason":"court_order"}')" = 200
check "watch: consistent" sh -c "'$jaga' audit watch '$url' --once --state '$watch_state' | grep -q 'consistent with $size1'"
check "consistency proof" test "$(code GET "/v1/audit/proof/consistency?from=$size1&to=$(($size1 + 1))" "$auditor")" = 200
kill -TERM "$pid"
wait "$pid"
pid=

check "verify" sh -c "'$jaga' audit verify | grep -q 'the audit log verifies'"
check "verify with the public key alone" "$jaga" audit verify --public-key "$pub"
check "verify with another key fails" test "$("$jaga" audit verify --public-key "$(printf '%064d' 0)" >/dev/null; echo $?)" = 1

# Behind jaga's back: one leaf edited.
cp "$JAGA_DB" "$work/clean.db"
python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute(\"UPDATE audit_leaves SET data = replace(data, 'ncii_deepfake', 'spam') WHERE kind = 'report.add'\")
db.commit()" "$JAGA_DB"
"$jaga" audit verify >"$work/verify.txt"
check "verify reports the edit" test $? = 1
check "verify names the leaf" grep -q "does not match its stored hash" "$work/verify.txt"

# The whole log rewritten and re-signed with the server's own key: a local verify cannot
# tell, the watcher holding an earlier head can.
cp "$work/clean.db" "$JAGA_DB"
rm -f "$JAGA_DB-wal" "$JAGA_DB-shm"
python3 - "$JAGA_DB" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT idx, data FROM audit_leaves ORDER BY idx").fetchall()
db.execute("DELETE FROM audit_nodes")
db.execute("DELETE FROM audit_heads")
level = []
for idx, data in rows:
    data = data.replace("ncii_deepfake", "spam")
    h = hashlib.sha256(b"\x00" + data.encode()).digest()
    db.execute("UPDATE audit_leaves SET data = ?, hash = ? WHERE idx = ?", (data, h, idx))
    level.append(h)
k = 1
while len(level) > 1:
    level = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
             for i in range(0, len(level) - 1, 2)]
    for i, h in enumerate(level):
        db.execute("INSERT INTO audit_nodes VALUES (?, ?, ?)", (k, i, h))
    k += 1
db.commit()
PY
check "the rewritten log verifies locally" sh -c "'$jaga' audit verify >/dev/null"
start_server
"$jaga" audit watch "$url" --once --state "$watch_state" >"$work/watch.txt"
check "watch alerts" test $? = 1
check "watch says rewritten" grep -q "ALERT: .*not consistent" "$work/watch.txt"
kill -TERM "$pid"
wait "$pid"
pid=

finish "audit e2e"
