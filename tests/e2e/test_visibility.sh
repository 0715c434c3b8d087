#!/usr/bin/env bash
# End-to-end: the policy at scan time (restrictions and cases stored with the content),
# visibility by country and by IP (a geo database the test writes), batches, country blocks,
# restarts, and policy reloads that keep the last good policy.
# usage: test_visibility.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)
python3 "$src/tools/make_mmdb.py" "$work/geo.mmdb"
cp "$src/policy/default.json" "$work/policy.json"
"$jaga" bank create NCII --description "unverified hashes" >/dev/null
printf 'signal_type,signal,quality,labels\npdq,%s,90,category=ncii_deepfake\n' "$beach" |
    "$jaga" bank import NCII - >/dev/null
printf '{"geo_db": "%s", "policy": "%s"}' "$work/geo.mmdb" "$work/policy.json" >"$work/config.json"
start_server --config "$work/config.json"
vis() { code GET "/v1/visibility?content_id=$1&$2" "$platform"; }

# A scan that matches an unverified NCII bank: held everywhere, provisionally, with a case.
check "scan" test "$(code POST '/v1/scan?content_id=post-1' "$platform" --data-binary "@$work/s/beach.jpg")" = 201
check "restriction stored" test "$(field "d['restrictions'][0]['visibility']")" = '"withheld"'
check "restriction everywhere" test "$(field "d['restrictions'][0]['scope']")" = '"*"'
check "restriction provisional" test "$(field "d['restrictions'][0]['provisional']")" = true
check "restriction from the rule" test "$(field "d['restrictions'][0]['source']")" = '"rule:ncii-hash-match"'
check "case opened" test "$(field "d['cases'][0]['status']")" = '"open"'
check "case priority" test "$(field "d['cases'][0]['priority']")" = 1
check "case team" test "$(field "d['cases'][0]['team']")" = '"ncii'"\""
check "scan of a clean image" test "$(code POST '/v1/scan?content_id=post-2' "$platform" --data-binary "@$work/s/street.png")" = 201
check "no restriction" test "$(field "d['restrictions']")" = '[]'

# Visibility by country.
check "withheld in MY" test "$(vis post-1 country=MY)" = 200
check "withheld" test "$(field "d['visibility']")" = '"withheld"'
check "reason" test "$(field "d['reason']")" = '"ncii_hash_match"'
check "ground terms" test "$(field "d['ground']")" = '"terms"'
check "landing url" grep -q "\"landing_url\":\"$url/compliance/MY?content=post-1\"" "$work/body"
check "clean content allowed" test "$(vis post-2 country=MY)" = 200
check "allow" test "$(field "d['visibility']")" = '"allow"'
check "unknown content allowed" test "$(vis nope country=BR)" = 200
check "unnamed country: default jurisdiction" test "$(field "d['jurisdiction']")" = '"ZZ"'
check "an EU member answers to the EU" test "$(vis nope country=FR)" = 200
check "FR's jurisdiction is EU" test "$(field "d['jurisdiction']")" = '"EU"'
# By IP, from the geo database.
check "by IPv4" test "$(vis post-2 ip=1.2.3.4)" = 200
check "country from IPv4" test "$(field "d['country']")" = '"MY"'
check "by IPv6" test "$(vis post-2 ip=2001:db8::7)" = 200
check "country from IPv6" test "$(field "d['jurisdiction']")" = '"IN"'
check "address not in the database" test "$(vis post-2 ip=192.0.2.200)" = 200
check "regional code: no country" test "$(vis post-2 ip=192.0.2.1; field "d['country']")" = 200null
check "unknown address: no country" test "$(field "d['country']")" = null
check "unknown address: default jurisdiction" test "$(field "d['jurisdiction']")" = '"ZZ"'
check "bad ip 400" test "$(vis post-2 ip=1.2.3)" = 400
check "says ip" grep -q 'ip is not an IPv4 or IPv6 address' "$work/body"
check "bad country 400" test "$(vis post-2 country=Malaysia)" = 400
check "unassigned country 400" test "$(vis post-2 country=XX)" = 400
check "no place 400" test "$(vis post-2 '')" = 400
check "no content 400" test "$(code GET '/v1/visibility?country=MY' "$platform")" = 400

# Batches: one answer per id, in order.
check "batch" test "$(code POST /v1/visibility/batch "$platform" -d '{"country":"ID","content_ids":["post-1","post-2","nope"]}')" = 200
check "batch items" test "$(field "[i['visibility'] for i in d['items']]")" = '["withheld", "allow", "allow"]'
check "batch by ip" test "$(code POST /v1/visibility/batch "$platform" -d '{"ip":"10.1.2.3","content_ids":["post-2"]}')" = 200
check "batch country from ip" test "$(field "d['country']")" = '"ID"'
ids=$(python3 -c "print(','.join('\"c%d\"' % i for i in range(1001)))")
check "batch over 1000 400" test "$(code POST /v1/visibility/batch "$platform" -d "{\"country\":\"MY\",\"content_ids\":[$ids]}")" = 400
check "batch both places 400" test "$(code POST /v1/visibility/batch "$platform" -d '{"country":"MY","ip":"1.2.3.4","content_ids":["a"]}')" = 400
check "batch unknown field 400" test "$(code POST /v1/visibility/batch "$platform" -d '{"country":"MY","content_ids":["a"],"x":1}')" = 400
check "batch malformed 400" test "$(code POST /v1/visibility/batch "$platform" -d '{"country":')" = 400

# Blurred content and the viewer's sensitive-content filter: on (the default) it is blurred,
# off it is shown; the more severe restrictions hold either way.
check "report for blur" test "$(code POST /v1/reports "$platform" -d '{"content_id":"post-blur","category":"adult_content","country":"FR"}')" = 201
blur_case=$(field "d['case_id']")
check "claim it" test "$(code POST "/v1/cases/$blur_case/claim" "$admin")" = 200
check "decide blur" test "$(code POST "/v1/cases/$blur_case/decision" "$admin" -d '{"action":"blur","ground":"terms","category":"adult_content"}')" = 200
check "filter on by default" test "$(vis post-blur country=FR; field "[d['visibility'], d['sensitive_filter']]")" = '200["blur", true]'
check "filter off" test "$(vis post-blur 'country=FR&sensitive_filter=off'; field "d['visibility']")" = '200"allow"'
check "filter off, withheld still" test "$(vis post-1 'country=MY&sensitive_filter=off'; field "d['visibility']")" = '200"withheld"'
check "filter bad value 400" test "$(vis post-blur 'country=FR&sensitive_filter=maybe')" = 400
check "batch filter off" test "$(code POST /v1/visibility/batch "$platform" -d '{"country":"FR","sensitive_filter":false,"content_ids":["post-blur"]}'; field "d['items'][0]['visibility']")" = '200"allow"'
check "batch filter not a boolean 400" test "$(code POST /v1/visibility/batch "$platform" -d '{"country":"FR","sensitive_filter":"no","content_ids":["post-blur"]}')" = 400

# A whole country blocked: everything there withheld, on the law cited; elsewhere untouched.
check "block VN" test "$(code PUT /v1/country-blocks/VN "$admin" -d '{"reason":"court_order","legal":"VN-D147-2024"}')" = 200
check "block logged" grep -q 'country VN blocked (court_order)' "$work/err.txt"
check "blocked country" test "$(vis post-2 country=VN)" = 200
check "withheld by the block" test "$(field "[d['visibility'], d['country_block']]")" = '["withheld", true]'
check "block cites the law" grep -q '"citation":"Decree 147/2024/ND-CP' "$work/body"
check "others untouched" test "$(vis post-2 country=MY)" = 200
check "still allowed elsewhere" test "$(field "d['visibility']")" = '"allow"'
check "block list" test "$(code GET /v1/country-blocks "$auditor")" = 200
check "block listed" grep -q '"country":"VN","reason":"court_order"' "$work/body"
check "block bad country 400" test "$(code PUT /v1/country-blocks/VNM "$admin" -d '{"reason":"x"}')" = 400
check "block without reason 400" test "$(code PUT /v1/country-blocks/TH "$admin" -d '{}')" = 400

# Acknowledged changes survive kill -9.
kill -KILL "$pid"
wait "$pid" 2>/dev/null
pid=
start_server --config "$work/config.json"
check "restrictions loaded" grep -q '2 restrictions' "$work/err.txt"
check "restriction after kill -9" test "$(vis post-1 country=AU; field "d['visibility']")" = '200"withheld"'
check "block after kill -9" test "$(vis post-2 country=VN; field "d['country_block']")" = 200true
check "unblock" test "$(code DELETE /v1/country-blocks/VN "$admin")" = 200
check "unblocked" test "$(vis post-2 country=VN; field "d['visibility']")" = '200"allow"'
check "unblock again 404" test "$(code DELETE /v1/country-blocks/VN "$admin")" = 404

# Policy reloads on SIGHUP: a broken file keeps the last good policy; a good one takes over.
echo '{"format": "jaga-policy-1", "version": ' >"$work/policy.json"
kill -HUP "$pid"
sleep 0.5
check "broken policy refused" grep -q 'policy not reloaded, 2026-12-default stays in force: .*policy.json:2:' "$work/err.txt"
check "still serving" test "$(vis post-1 country=MY)" = 200
sed 's/"2026-12-default"/"2026-12-test"/' "$src/policy/default.json" >"$work/policy.json"
kill -HUP "$pid"
sleep 0.5
check "new policy in force" grep -q 'policy 2026-12-test in force (was 2026-12-default)' "$work/err.txt"
kill -TERM "$pid"
wait "$pid"
pid=

# Without a geo database, a country is needed.
printf '{"geo_db": "", "policy": "%s"}' "$work/policy.json" >"$work/nogeo.json"
start_server --config "$work/nogeo.json"
check "no geo: ip refused 503" test "$(vis post-2 ip=1.2.3.4)" = 503
check "no geo: country works" test "$(vis post-2 country=MY)" = 200
kill -TERM "$pid"
wait "$pid"
pid=
# A policy that does not load keeps the server from starting, with the reason.
echo '[]' >"$work/bad-policy.json"
printf '{"policy": "%s"}' "$work/bad-policy.json" >"$work/badpol.json"
check "bad policy: no start" test "$("$jaga" serve --config "$work/badpol.json" --listen 127.0.0.1:0 2>"$work/bad.txt" >/dev/null; echo $?)" = 1
check "bad policy: says why" grep -q 'bad-policy.json:1: (document): a policy is a JSON object' "$work/bad.txt"

finish "visibility e2e"
