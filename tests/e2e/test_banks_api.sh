#!/usr/bin/env bash
# End-to-end: banks over HTTP, and every change matching (or not) before it is acknowledged.
# usage: test_banks_api.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
start_server
street=$("$jaga" hash "$work/s/street.png" | cut -d, -f1)
lookup() { code POST /v1/lookup "$platform" -d "{\"pdq\":[\"$1\"]}"; }

check "list for platform" test "$(code GET /v1/banks "$platform")" = 200
check "list shows the bank" grep -q '"name":"NCII_DEEPFAKES"' "$work/body"
check "list not for regulator" test "$(code GET /v1/banks "$regulator")" = 403
check "create only admin" test "$(code POST /v1/banks "$platform" -d '{"name":"MY_NOTICES"}')" = 403
check "create" test "$(code POST /v1/banks "$admin" -d '{"name":"MY_NOTICES","description":"MCMC","signal_types":["pdq","md5"],"pdq_threshold":20,"verified":true}')" = 201
check "created fields" grep -q '"name":"MY_NOTICES","description":"MCMC","signal_types":\["pdq","md5"\],"pdq_threshold":20,"verified":true,"enabled":true' "$work/body"
check "create twice 409" test "$(code POST /v1/banks "$admin" -d '{"name":"MY_NOTICES"}')" = 409
check "bad name 400" test "$(code POST /v1/banks "$admin" -d '{"name":"my notices"}')" = 400
check "unknown field 400" test "$(code POST /v1/banks "$admin" -d '{"name":"X","colour":1}')" = 400
check "bad threshold 400" test "$(code POST /v1/banks "$admin" -d '{"name":"Y","pdq_threshold":99}')" = 400
check "get" test "$(code GET /v1/banks/MY_NOTICES "$auditor")" = 200
check "get unknown 404" test "$(code GET /v1/banks/NOPE "$platform")" = 404

# Import: matched as soon as the response is in.
lookup "$street" >/dev/null
check "no match before" grep -q '"matches":\[\]' "$work/body"
printf 'signal_type,signal,quality,labels\npdq,%s,90,notice=MY-2026-7\n' "$street" >"$work/notice.csv"
check "import" test "$(code POST /v1/banks/MY_NOTICES/entries "$admin" --data-binary "@$work/notice.csv")" = 200
check "import report" grep -q '"records":1,"added":1' "$work/body"
lookup "$street" >/dev/null
check "matched at once" grep -q '"bank":"MY_NOTICES","signal_type":"pdq","distance":0,"entry_id":[0-9]*,"labels":"notice=MY-2026-7"' "$work/body"
printf 'signal_type,signal\npdq,xyz\n' >"$work/bad.csv"
check "malformed import 400" test "$(code POST /v1/banks/MY_NOTICES/entries "$admin" --data-binary "@$work/bad.csv")" = 400
check "problem with line" grep -q '"problems":\[{"line":2,"message":"pdq value must be 64 hex digits' "$work/body"
check "import te" test "$(code POST '/v1/banks/MY_NOTICES/entries?format=te' "$admin" --data-binary "md5 d41d8cd98f00b204e9800998ecf8427e")" = 200
check "bad format 400" test "$(code POST '/v1/banks/MY_NOTICES/entries?format=xml' "$admin" -d x)" = 400
check "import not for platform" test "$(code POST /v1/banks/MY_NOTICES/entries "$platform" --data-binary "@$work/notice.csv")" = 403

# Export, then withdrawal: gone from matching before the answer.
check "export csv" test "$(code GET /v1/banks/MY_NOTICES/entries "$auditor")" = 200
check "export holds the entry" grep -q "^pdq,$street,90,notice=MY-2026-7,active," "$work/body"
check "withdraw" test "$(code POST /v1/banks/MY_NOTICES/withdraw "$admin" -d "{\"signal_type\":\"pdq\",\"values\":[\"$street\",\"$beach\"]}")" = 200
check "withdraw report" grep -q '"withdrawn":1,"unknown":1' "$work/body"
lookup "$street" >/dev/null
check "withdrawn stops matching" grep -q '"matches":\[\]' "$work/body"
check "withdraw bad body" test "$(code POST /v1/banks/MY_NOTICES/withdraw "$admin" -d '{"values":[]}')" = 400

# Settings: disabling a bank stops its matches, a threshold takes effect.
lookup "$beach" >/dev/null
check "beach matches" grep -q '"bank":"NCII_DEEPFAKES"' "$work/body"
check "disable" test "$(code PATCH /v1/banks/NCII_DEEPFAKES "$admin" -d '{"enabled":false}')" = 200
lookup "$beach" >/dev/null
check "disabled bank silent" grep -q '"matches":\[\]' "$work/body"
check "enable" test "$(code PATCH /v1/banks/NCII_DEEPFAKES "$admin" -d '{"enabled":true,"pdq_threshold":0}')" = 200
near=$("$jaga" hash "$work/s/beach-half-size.jpg" | cut -d, -f1)
lookup "$near" >/dev/null
check "threshold 0 holds" grep -q '"matches":\[\]' "$work/body"
check "rename refused" test "$(code PATCH /v1/banks/NCII_DEEPFAKES "$admin" -d '{"name":"X"}')" = 400

# Keys over HTTP: admins only; the key is in the creation answer only, and works at once.
check "key create not for platform" test "$(code POST /v1/keys "$platform" -d '{"role":"auditor"}')" = 403
check "key create" test "$(code POST /v1/keys "$admin" -d '{"role":"regulator","jurisdiction":"ID","name":"Komdigi"}')" = 201
new_key=$(python3 -c "import json,sys; print(json.load(open('$work/body'))['key'])")
new_prefix=$(python3 -c "import json,sys; print(json.load(open('$work/body'))['prefix'])")
check "new key authenticates" test "$(code GET /v1/banks "$new_key")" = 403
check "key body malformed" test "$(code POST /v1/keys "$admin" -d '{"role":')" = 400
check "key body unknown field" test "$(code POST /v1/keys "$admin" -d '{"role":"admin","x":1}')" = 400
check "key scope checked" test "$(code POST /v1/keys "$admin" -d '{"role":"regulator"}')" = 400
check "key list" test "$(code GET /v1/keys "$admin")" = 200
check "list has no secrets" bash -c "! grep -q '\"key\"' '$work/body' && grep -q '$new_prefix' '$work/body'"
check "key revoke" test "$(code DELETE "/v1/keys/$new_prefix" "$admin")" = 200
check "revoked key refused" test "$(code GET /v1/banks "$new_key")" = 401
check "revoke unknown" test "$(code DELETE /v1/keys/000000000000 "$admin")" = 404

# Everything survives a restart; the index comes back from its snapshot.
check "first start built the index" grep -q 'PDQ index built from the store' "$work/err.txt"
kill -TERM "$pid"
wait "$pid"
pid=
check "snapshot saved at stop" test -s "$JAGA_DB.index"
start_server
check "index loaded from the snapshot" grep -q 'PDQ index loaded from its snapshot' "$work/err.txt"
check "bank after restart" test "$(code GET /v1/banks/MY_NOTICES "$platform")" = 200
check "counts after restart" grep -q '"active_entries":1,"withdrawn_entries":1' "$work/body"
lookup "$beach" >/dev/null
check "settings after restart" grep -q '"bank":"NCII_DEEPFAKES","signal_type":"pdq","distance":0' "$work/body"
kill -TERM "$pid"
wait "$pid"
pid=

# A change behind the server's back (the CLI, while it is down) makes the snapshot stale.
check "CLI withdrawal" "$jaga" bank withdraw NCII_DEEPFAKES pdq "$beach"
echo '{"max_body_bytes": 10000, "max_import_bytes": 400000}' >"$work/small.json"
start_server --config "$work/small.json"
check "stale snapshot not used" grep -q 'PDQ index built from the store' "$work/err.txt"
grep -q 'PDQ index built from the store' "$work/err.txt" || sed 's/^/server: /' "$work/err.txt" >&2
lookup "$beach" >/dev/null
check "the change holds" grep -q '"matches":\[\]' "$work/body"

# Imports are spooled, not held in memory: far over max_body_bytes, under max_import_bytes.
python3 -c "
import random
random.seed(7)
print('signal_type,signal,quality,labels')
for i in range(3000):
    print('pdq,%064x,80,batch=7' % random.getrandbits(256))
" >"$work/big.csv"
check "big import" test "$(code POST /v1/banks/MY_NOTICES/entries "$admin" --data-binary "@$work/big.csv")" = 200
check "big import report" grep -q '"records":3000,"added":3000' "$work/body"
head -c 500000 /dev/zero >"$work/huge.csv"
check "import over max_import 413" test "$(code POST /v1/banks/MY_NOTICES/entries "$admin" --data-binary "@$work/huge.csv")" = 413
check "json body still capped" test "$(code POST /v1/banks "$admin" -H "Content-Type: application/json" --data-binary "@$work/big.csv")" = 413
# Exports stream page by page: every entry, in order, once.
check "big export" test "$(code GET '/v1/banks/MY_NOTICES/entries?all=1' "$admin")" = 200
check "export lines" test "$(wc -l <"$work/body")" -eq 3003
check "export complete" bash -c "tail -n +2 '$work/big.csv' | cut -d, -f2 | sort >'$work/want'; grep ',batch=7,' '$work/body' | cut -d, -f2 | sort | cmp -s - '$work/want'"
check "export te" test "$(code GET '/v1/banks/MY_NOTICES/entries?format=te' "$auditor")" = 200
check "export unknown bank" test "$(code GET /v1/banks/NOPE/entries "$admin")" = 404

# A kill -9 right after the acknowledgements: the bank changes are in the store, and the
# index (its snapshot now stale) is rebuilt from it.
one=$(sed -n 2p "$work/big.csv" | cut -d, -f2)
check "withdraw one" test "$(code POST /v1/banks/MY_NOTICES/withdraw "$admin" -d "{\"signal_type\":\"pdq\",\"values\":[\"$one\"]}")" = 200
kill -KILL "$pid"
wait "$pid" 2>/dev/null
pid=
start_server
check "rebuilt after kill -9" grep -q 'PDQ index built from the store' "$work/err.txt"
lookup "$(sed -n 3p "$work/big.csv" | cut -d, -f2)" >/dev/null
check "import survives kill -9" grep -q '"labels":"batch=7"' "$work/body"
lookup "$one" >/dev/null
check "withdrawal survives kill -9" grep -q '"matches":\[\]' "$work/body"
kill -TERM "$pid"
wait "$pid"
pid=

finish "banks api e2e"
