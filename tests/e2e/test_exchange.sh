#!/usr/bin/env bash
# End-to-end: hash exchange between three jaga nodes on loopback. Node a publishes its bank
# NCII; b and c subscribe (c through a man in the middle, tests/e2e/exchange_proxy.py). A hash
# banked at a matches uploads at b and c; its withdrawal stops the matches; b killed in the
# middle of a long sync resumes from its checkpoint with nothing lost or doubled; tampered and
# replayed batches are refused and audited; peers' requests are authenticated and scoped, a
# signed request sent again is refused, and a flood of junk signatures naming a peer does not
# spend that peer's rate; b's verdicts reach a.
# usage: test_exchange.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"

declare -A urls pids admins platforms
# start_node NAME [PORT]: the server of node NAME ($work/NAME.db, config $work/NAME.json) on
# PORT (a free one by default), in urls[NAME] and pids[NAME].
start_node() {
    local name=$1 out="$work/$1.out"
    : >"$out"
    "$jaga" serve --listen "127.0.0.1:${2:-0}" --db "$work/$name.db" --config "$work/$name.json" \
        >"$out" 2>>"$work/$name.err" &
    pids[$name]=$!
    helpers="$helpers $!"
    for _ in $(seq 100); do
        urls[$name]=$(sed -n 's/^jaga serve: listening on //p' "$out")
        [ -n "${urls[$name]}" ] && return 0
        sleep 0.1
    done
    echo "node $name did not start" >&2
    cat "$work/$name.err" >&2
    exit 1
}
at() { url=${urls[$1]}; }
x() { local node=$1; shift; "$jaga" exchange --db "$work/$node.db" "$@"; }
# lookup NODE HEX: whether NODE's banks match the PDQ hash (its matches in $work/body).
matches() {
    at "$1"
    code POST /v1/lookup "${platforms[$1]}" -d "{\"pdq\":[\"$2\"]}" >/dev/null
    grep -q '"bank":"NCII"' "$work/body"
}
# subscription NODE FIELD: a field of NODE's one subscription, read from its store.
subscription() { x "$1" subscriptions | python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['$2'])"; }
# sql NODE QUERY: a query on NODE's store, rows printed one a line.
sql() {
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print('|'.join(map(str,r))) for r in c.execute(sys.argv[2])]" "$work/$1.db" "$2"
}

for node in a b c; do
    admins[$node]=$("$jaga" key --db "$work/$node.db" create --role admin 2>/dev/null)
    platforms[$node]=$("$jaga" key --db "$work/$node.db" create --role platform 2>/dev/null)
    echo '{"exchange_wait_s": 10, "exchange_batch": 20}' >"$work/$node.json"
done
"$jaga" bank --db "$work/a.db" create NCII >/dev/null
"$jaga" bank --db "$work/a.db" create PRIVATE >/dev/null
key_a=$(x a node-key)
key_b=$(x b node-key)
key_c=$(x c node-key)
check "node keys are 64 hex digits" test "${#key_a}${#key_b}${#key_c}" = 646464
check "node keys differ" test "$key_a" != "$key_b" -a "$key_b" != "$key_c"

start_node a
: >"$work/mode"
: >"$work/proxy_port"
python3 "$(dirname "$0")/exchange_proxy.py" "${urls[a]}" "$work/mode" "$work/proxy_port" \
    "$work/last_request" &
helpers="$helpers $!"
wait_for '[ -s "$work/proxy_port" ]' 5
proxy="http://127.0.0.1:$(cat "$work/proxy_port")"

# The registry: at a through the API, at b and c with the CLI.
at a
check "peer add 201" test "$(code POST /v1/exchange/peers "${admins[a]}" -d "{\"name\":\"node-b\",\"public_key\":\"$key_b\",\"banks\":\"NCII\"}")" = 201
check "peer add shows its banks" test "$(field 'd["banks"]')" = '"NCII"'
check "peer add c" test "$(code POST /v1/exchange/peers "${admins[a]}" -d "{\"name\":\"node-c\",\"public_key\":\"$key_c\",\"banks\":\"NCII\"}")" = 201
check "peer name taken 409" test "$(code POST /v1/exchange/peers "${admins[a]}" -d "{\"name\":\"node-c\",\"public_key\":\"$key_a\"}")" = 409
check "peer key taken 409" test "$(code POST /v1/exchange/peers "${admins[a]}" -d "{\"name\":\"other\",\"public_key\":\"$key_c\"}")" = 409
check "peer bad name 400" test "$(code POST /v1/exchange/peers "${admins[a]}" -d "{\"name\":\"Node C\",\"public_key\":\"$key_a\"}")" = 400
check "peer bad key 400" test "$(code POST /v1/exchange/peers "${admins[a]}" -d '{"name":"d","public_key":"abc"}')" = 400
check "peer bad banks 400" test "$(code POST /v1/exchange/peers "${admins[a]}" -d "{\"name\":\"d\",\"public_key\":\"$key_a\",\"banks\":\"ncii\"}")" = 400
check "peer url with credentials 400" test "$(code POST /v1/exchange/peers "${admins[a]}" -d "{\"name\":\"d\",\"public_key\":\"$key_a\",\"url\":\"http://u:p@h\"}")" = 400
check "peers only for admins" test "$(code POST /v1/exchange/peers "${platforms[a]}" -d '{}')" = 403
check "peer list" test "$(code GET /v1/exchange/peers "${admins[a]}")" = 200
check "peer list holds both" test "$(field '[p["name"] for p in d["peers"]]')" = '["node-b", "node-c"]'
check "cli peer add at b" x b peer add node-a --key "$key_a" --url "${urls[a]}"
check "cli peer add at c (through the proxy)" x c peer add node-a --key "$key_a" --url "$proxy"
check "cli peer add refuses a bad url" test "$(x b peer add other --key "$key_c" --url ftp://h 2>&1 >/dev/null)" != ""

# Peer requests: signed, known, scoped.
check "feed without a signature 401" test "$(code GET /v1/exchange/NCII/feed "")" = 401
check "feed with an API key 401" test "$(code GET /v1/exchange/NCII/feed "${admins[a]}")" = 401
zeros() { printf '0%.0s' $(seq "$1"); }
fake="JagaPeer $key_b $(date +%s) $(zeros 32) $(zeros 128)"
check "feed with a bad signature 401" test "$(curl -s -o "$work/body" -w '%{http_code}' -H "Authorization: $fake" "$url/v1/exchange/NCII/feed")" = 401
check "the bad signature is said" grep -q "not signed by peer node-b" "$work/body"
old="JagaPeer $key_b 1000000000 $(zeros 32) $(zeros 128)"
check "feed with an old time 401" test "$(curl -s -o "$work/body" -w '%{http_code}' -H "Authorization: $old" "$url/v1/exchange/NCII/feed")" = 401

# Subscriptions: b through the API, c with the CLI; both start pulling once their servers run.
start_node b
at b
check "subscribe 201" test "$(code POST /v1/exchange/subscriptions "${admins[b]}" -d '{"peer":"node-a","bank":"NCII"}')" = 201
check "subscribe made the local bank" test "$(code GET /v1/banks/NCII "${admins[b]}")" = 200
check "the local bank records its origin" grep -q '"description":"from peer node-a, bank NCII"' "$work/body"
check "subscribe twice 409" test "$(code POST /v1/exchange/subscriptions "${admins[b]}" -d '{"peer":"node-a","bank":"NCII"}')" = 409
check "subscribe to an unknown peer 404" test "$(code POST /v1/exchange/subscriptions "${admins[b]}" -d '{"peer":"nobody","bank":"NCII"}')" = 404
check "cli subscribe at c" x c subscribe node-a NCII
check "c cannot read PRIVATE" test "$(x c pull node-a PRIVATE --into FROM_A_PRIVATE 2>&1 >/dev/null | grep -c 403)" = 1
start_node c

# A hash banked at a reaches b and c in real time.
"$make_samples" "$work/s" >/dev/null
street=$("$jaga" hash "$work/s/street.png" | cut -d, -f1)
check "street is not matched at b yet" test "$(matches b "$street"; echo $?)" = 1
at a
check "bank at a" test "$(code POST "/v1/banks/NCII/entries?format=te&labels=category%3Dncii_deepfake" "${admins[a]}" --data-binary "pdq $street")" = 200
check "matches at b" wait_for "matches b $street" 15
check "matches at c" wait_for "matches c $street" 15
check "b's match carries a's labels" grep -q 'category=ncii_deepfake' "$work/body"
at b
check "an upload at b matches" test "$(code POST '/v1/scan?content_id=up-b' "${platforms[b]}" --data-binary @"$work/s/street.png")" = 201
check "the upload's match is a's hash" test "$(field '[m["bank"] for m in d["matches"]]')" = '["NCII"]'
check "the upload at b opened a case" test "$(field 'len(d["cases"])')" = 1
case_b=$(field 'd["cases"][0]["id"]')
at c
check "an upload at c matches" test "$(code POST '/v1/scan?content_id=up-c' "${platforms[c]}" --data-binary @"$work/s/street.png")" = 201
check "the upload's match at c" test "$(field '[m["bank"] for m in d["matches"]]')" = '["NCII"]'

# Verdicts: b's reviewer says it was a false positive; a sees it per entry.
check "cli feedback from b" x b feedback node-a NCII pdq "$street" false_positive
check "feedback on an unknown entry fails" test "$(x b feedback node-a NCII pdq "$(printf 'ab%.0s' $(seq 32))" confirmed 2>&1 >/dev/null | grep -c 'holds none')" = 1
at a
check "a lists the verdict" test "$(code GET /v1/exchange/NCII/feedback "${admins[a]}")" = 200
check "the verdict is b's, false_positive" test "$(field '[(v["peer"], v["verdict"], v["value"]) for v in d["verdicts"]]')" = "[[\"node-b\", \"false_positive\", \"$street\"]]"
check "cli verdicts at a" test "$(x a verdicts NCII | cut -d' ' -f3,4)" = "node-b false_positive"
check "the verdict is in a's audit log" test "$(sql a "select count(*) from audit_leaves where kind = 'feedback.put'")" = 1
# A moderator at b decides the case its upload opened: b's server sends the verdict to a.
moderator_b=$("$jaga" key --db "$work/b.db" create --role moderator --team ncii 2>/dev/null)
at b
check "b's moderator claims the case" test "$(code POST "/v1/cases/$case_b/claim" "$moderator_b" -d '{}')" = 200
check "b's moderator decides: remove" test "$(code POST "/v1/cases/$case_b/decision" "$moderator_b" -d '{"action":"remove","ground":"terms","category":"ncii_deepfake"}')" = 200
check "the decision's verdict reaches a" wait_for '[ "$(x a verdicts NCII | cut -d" " -f4)" = confirmed ]' 15
check "b sent it once" test "$(sql b "select count(*) from verdict_outbox where sent_at > 0")" = 1

# A signed request sent again, byte for byte, is refused: c's last pull through the proxy.
check "c's pulls were recorded" wait_for '[ -s "$work/last_request" ]' 15
IFS=$'\t' read -r replay_path replay_auth <"$work/last_request"
check "a replayed request 401" test "$(curl -s -o "$work/body" -w '%{http_code}' -H "Authorization: $replay_auth" "${urls[a]}$replay_path")" = 401
check "the replay is said" grep -q "served already" "$work/body"

# A withdrawal at a stops the matches.
at a
check "withdraw at a" test "$(code POST /v1/banks/NCII/withdraw "${admins[a]}" -d "{\"signal_type\":\"pdq\",\"values\":[\"$street\"]}")" = 200
check "no match at b" wait_for "! matches b $street" 15
check "no match at c" wait_for "! matches c $street" 15

# b killed in the middle of a long sync: nothing lost, nothing doubled.
kill -TERM "${pids[b]}"
wait "${pids[b]}" 2>/dev/null
python3 -c "import random; random.seed(7); print('\n'.join('pdq %064x' % random.getrandbits(256) for _ in range(6000)))" >"$work/bulk.te"
at a
check "bank 6000 at a" test "$(code POST '/v1/banks/NCII/entries?format=te' "${admins[a]}" --data-binary @"$work/bulk.te")" = 200
head=$(sql a "select max(seq) from entry_changes where bank_id = (select id from banks where name = 'NCII')")
start_node b
check "b is mid-sync" wait_for '[ "$(subscription b cursor)" -gt 100 ]' 30
kill -KILL "${pids[b]}"
wait "${pids[b]}" 2>/dev/null
stopped_at=$(subscription b cursor)
echo "b was stopped at change $stopped_at of $head"
check "b stopped short of the end ($stopped_at of $head)" test "$stopped_at" -lt "$head"
check "b holds exactly the entries up to its cursor" test "$(sql b "select count(*) from entries")" = "$(sql a "select count(distinct entry_id) from entry_changes where seq <= $stopped_at and bank_id = (select id from banks where name = 'NCII')")"
start_node b
check "b caught up after the restart" wait_for '[ "$(subscription b cursor)" = "$head" ]' 60
"$jaga" bank --db "$work/a.db" export NCII --format csv --all | cut -d, -f1-5 | sort >"$work/a.csv"
"$jaga" bank --db "$work/b.db" export NCII --format csv --all | cut -d, -f1-5 | sort >"$work/b.csv"
check "b's bank is a's, entry for entry" cmp -s "$work/a.csv" "$work/b.csv"
check "b holds 6001 entries, none twice" test "$(sql b "select count(*), count(distinct value) from entries")" = "6001|6001"
check "b's batches chain without a gap" test "$(sql b "select data from audit_leaves where kind = 'exchange.batch' order by idx" | python3 -c "
import json, sys
prev = 0
for line in sys.stdin:
    b = json.loads(line)
    if b['from'] != prev: print('gap', prev, b); sys.exit()
    prev = b['to']
print(prev)")" = "$head"
bulk_hash=$(sed -n 4500p "$work/bulk.te" | cut -d' ' -f2)
check "a bulk hash matches at b" wait_for "matches b $bulk_hash" 10

# c through a tampering man in the middle: refused, audited, nothing applied. c first finishes
# the bulk sync, so that its cursor stands still unless a batch is applied.
check "c caught up with the bulk" wait_for '[ "$(subscription c cursor)" = "$head" ]' 60
c_cursor=$(subscription c cursor)
echo tamper >"$work/mode"
portrait=$("$jaga" hash "$work/s/portrait.webp" | cut -d, -f1)
at a
code POST '/v1/banks/NCII/entries?format=te' "${admins[a]}" --data-binary "pdq $portrait" >/dev/null
check "c refused the tampered batch" wait_for '[ "$(subscription c rejected)" -ge 1 ]' 15
check "c says why" test "$(subscription c last_error | cut -d: -f1)" = signature
check "c's cursor did not move" test "$(subscription c cursor)" = "$c_cursor"
check "the refusal is in c's audit log" test "$(sql c "select count(*) from audit_leaves where kind = 'exchange.reject' and data like '%\"reason\":\"signature\"%'")" -ge 1
check "c does not match the tampered hash" test "$(matches c "$portrait"; echo $?)" = 1
echo replay >"$work/mode"
check "c refused a replayed batch" wait_for '[ "$(subscription c last_error | cut -d: -f1)" = order ]' 30
check "the replay is in c's audit log" test "$(sql c "select count(*) from audit_leaves where kind = 'exchange.reject' and data like '%\"reason\":\"order\"%'")" -ge 1
check "c's cursor still did not move" test "$(subscription c cursor)" = "$c_cursor"
echo pass >"$work/mode"
check "c recovers once the batches are honest" wait_for "matches c $portrait" 90
check "c caught up with a" wait_for '[ "$(subscription c cursor)" -gt "$head" ]' 30

# A revoked peer is refused; the subscription says so.
at a
check "revoke c at a" test "$(code DELETE /v1/exchange/peers/node-c "${admins[a]}")" = 200
check "revoke twice 404" test "$(code DELETE /v1/exchange/peers/node-c "${admins[a]}")" = 404
check "c's pull refused" test "$(x c pull node-a NCII 2>&1 >/dev/null | grep -c 401)" = 1
at b
check "subscriptions list" test "$(code GET /v1/exchange/subscriptions "${admins[b]}")" = 200
check "subscriptions list holds b's" test "$(field '[(s["peer"], s["remote_bank"], s["bank"]) for s in d["subscriptions"]]')" = '[["node-a", "NCII", "NCII"]]'
check "subscriptions not for platform keys" test "$(code GET /v1/exchange/subscriptions "${platforms[b]}")" = 403

# Stops are prompt with long polls waiting.
for node in a b c; do kill -TERM "${pids[$node]}"; done
for node in a b c; do
    check "node $node stopped cleanly" wait "${pids[$node]}"
done
check "a's audit log verifies" "$jaga" audit --db "$work/a.db" verify

# Peers are rate limited per source address: a again, where b knows it, allowing one request
# in 20 s.
echo '{"rate_per_key": 0.05, "burst_per_key": 1}' >"$work/a.json"
start_node a "${urls[a]##*:}"
# A flood naming b's public key (it is public) with junk signatures from another loopback
# address spends that address's tokens (a bad signature costs more than one), never b's.
junk() { curl -s -m 5 -o /dev/null -w '%{http_code} ' --interface 127.0.0.2 -H "Authorization: JagaPeer $key_b $(date +%s) $(zeros 32) $(zeros 128)" "${urls[a]}/v1/exchange/NCII/feed"; }
flood=$(for _ in 1 2 3 4 5 6; do junk; done)
check "the flood is refused, then turned away ($flood)" test "$flood" = "401 429 429 429 429 429 "
check "b's first pull passes" x b pull node-a NCII
check "b's second pull meets the rate limit" test "$(x b pull node-a NCII 2>&1 >/dev/null | grep -c 'too many requests')" = 1
kill -TERM "${pids[a]}"
check "a stopped cleanly again" wait "${pids[a]}"
check "b's audit log verifies" "$jaga" audit --db "$work/b.db" verify

finish "exchange e2e"
