#!/usr/bin/env bash
# End-to-end: a regulator files a notice; its items are withheld in its jurisdiction only,
# each gets a case due at the notice's deadline, its hashes match re-uploads there; a
# decision actions the items; regulators see their own notices only; deadlines breach; the
# regulator withdraws items.
# usage: test_notices.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
regulator_id=$("$jaga" key create --role regulator --jurisdiction ID 2>/dev/null)
street=$("$jaga" hash "$work/s/street.png" | cut -d, -f1)
printf '{"geo_db": ""}' >"$work/config.json"
start_server --config "$work/config.json"
vis() { code GET "/v1/visibility?content_id=$1&country=$2" "$platform" >/dev/null; field "d['visibility']"; }

check "scan post-1" test "$(code POST '/v1/scan?content_id=post-1' "$platform" --data-binary "@$work/s/street.png")" = 201
check "allowed before" test "$(vis post-1 MY)" = '"allow"'

# The MY regulator files: one content, one hash, one URL.
notice="{\"reference\":\"MCMC/2026/77\",\"legal_basis\":\"MY-CMA-233\",\"items\":[{\"content_id\":\"post-1\"},{\"pdq\":\"$street\"},{\"url\":\"https://example.com/p/9\"}]}"
check "file" test "$(code POST /v1/notices "$regulator" -d "$notice")" = 201
id=$(field "d['id']")
check "jurisdiction from the key" test "$(field "d['jurisdiction']")" = '"MY"'
check "deadline 48h from policy" test "$(field "d['deadline_at'] - d['received_at']")" = 172800
check "penalty from policy" test "$(field "d['penalty_per_breach']")" = '{"currency": "MYR", "amount": 5000000.0}'
check "three items pending" test "$(field "[i['status'] for i in d['items']]")" = '["pending", "pending", "pending"]'
check "a case per item" test "$(field "len(set(i['case_id'] for i in d['items']))")" = 3
case1=$(field "d['items'][0]['case_id']")
# Withheld in MY only, provisionally, on the notice.
check "withheld in MY" test "$(vis post-1 MY)" = '"withheld"'
code GET "/v1/visibility?content_id=post-1&country=MY" "$platform" >/dev/null
check "source is the notice" test "$(field "d['provisional']")" = true
check "cites the law" grep -q '"id":"MY-MCMC-2024"' "$work/body"
check "allowed in ID" test "$(vis post-1 ID)" = '"allow"'
# The case carries the notice deadline.
check "case" test "$(code GET "/v1/cases/$case1" "$admin")" = 200
check "case source" test "$(field "d['source']")" = "\"notice:$id\""
# A re-upload of the hashed image matches the regulator's bank and is withheld in MY.
check "re-upload" test "$(code POST '/v1/scan?content_id=post-2' "$platform" --data-binary "@$work/s/street.png")" = 201
check "matched the notice bank" grep -q '"bank":"NOTICES_MY"' "$work/body"
check "re-upload withheld in MY" test "$(vis post-2 MY)" = '"withheld"'
check "re-upload allowed in ID" test "$(vis post-2 ID)" = '"allow"'

# Filing rules.
check "another jurisdiction 403" test "$(code POST /v1/notices "$regulator" -d '{"jurisdiction":"ID","reference":"x","items":[{"content_id":"a"}]}')" = 403
check "platform may not file" test "$(code POST /v1/notices "$platform" -d "$notice")" = 403
check "no items 400" test "$(code POST /v1/notices "$regulator" -d '{"reference":"x","items":[]}')" = 400
check "bad hash 400" test "$(code POST /v1/notices "$regulator" -d '{"reference":"x","items":[{"pdq":"abc"}]}')" = 400
check "bad url 400" test "$(code POST /v1/notices "$regulator" -d '{"reference":"x","items":[{"url":"ftp://x"}]}')" = 400
check "two kinds in an item 400" test "$(code POST /v1/notices "$regulator" -d '{"reference":"x","items":[{"url":"https://x","md5":"00"}]}')" = 400
items=$(python3 -c "print(','.join('{\"content_id\":\"c%d\"}' % i for i in range(1001)))")
check "over 1000 items 400" test "$(code POST /v1/notices "$regulator" -d "{\"reference\":\"x\",\"items\":[$items]}")" = 400
check "unknown field 400" test "$(code POST /v1/notices "$regulator" -d '{"reference":"x","items":[{"content_id":"a"}],"x":1}')" = 400

# An urgent Indonesian notice with its own short deadline, left to breach.
check "urgent ID notice" test "$(code POST /v1/notices "$regulator_id" -d '{"reference":"KOMDIGI-1","urgency":"urgent","deadline":"1s","items":[{"content_id":"post-2"}]}')" = 201
id2=$(field "d['id']")
sleep 2.2

# Each regulator sees its own notices only; another's answers 404.
check "MY list" test "$(code GET /v1/notices "$regulator")" = 200
check "MY sees one" test "$(field "[n['reference'] for n in d['notices']]")" = '["MCMC/2026/77"]'
check "ID notice hidden from MY" test "$(code GET "/v1/notices/$id2" "$regulator")" = 404
check "ID sees its own" test "$(code GET "/v1/notices/$id2" "$regulator_id")" = 200
check "breached" test "$(field "[d['breached'], d['items'][0]['status']]")" = '[1, "breached"]'
check "admin sees all" test "$(code GET /v1/notices "$admin")" = 200
check "two notices" test "$(field "len(d['notices'])")" = 2
check "auditor reads one" test "$(code GET "/v1/notices/$id" "$auditor")" = 200
check "unknown notice 404" test "$(code GET /v1/notices/999 "$admin")" = 404

# A decision: withhold in MY on the law, by whoever holds the case. The item is actioned,
# the hold becomes final.
check "decision unclaimed 409" test "$(code POST "/v1/cases/$case1/decision" "$admin" -d '{"action":"no_violation"}')" = 409
check "claim" test "$(code POST "/v1/cases/$case1/claim" "$admin")" = 200
check "decision needs ground" test "$(code POST "/v1/cases/$case1/decision" "$admin" -d '{"action":"remove","category":"ncii"}')" = 400
check "withhold needs countries" test "$(code POST "/v1/cases/$case1/decision" "$admin" -d '{"action":"withhold","ground":"terms","category":"ncii"}')" = 400
check "unknown category 400" test "$(code POST "/v1/cases/$case1/decision" "$admin" -d '{"action":"remove","ground":"terms","category":"spam"}')" = 400
check "decide" test "$(code POST "/v1/cases/$case1/decision" "$admin" -d '{"action":"withhold","countries":["MY"],"ground":"law","legal":"MY-CMA-233","category":"ncii_deepfake","note":"confirmed"}')" = 200
check "lifted the hold" test "$(field "[d['status'], d['lifted'], d['restrictions']]")" = '["decided", 1, 1]'
code GET "/v1/visibility?content_id=post-1&country=MY" "$platform" >/dev/null
check "final, not provisional" test "$(field "[d['visibility'], d['provisional']]")" = '["withheld", false]'
check "item actioned" test "$(code GET "/v1/notices/$id" "$regulator"; field "d['items'][0]['status']")" = '200"actioned"'
check "time to action" test "$(field "d['items'][0]['seconds_to_action'] >= 0")" = true
check "decided twice 409" test "$(code POST "/v1/cases/$case1/decision" "$admin" -d '{"action":"no_violation"}')" = 409
check "unknown case 404" test "$(code POST /v1/cases/999/decision "$admin" -d '{"action":"no_violation"}')" = 404
check "platform may not decide" test "$(code POST "/v1/cases/$case1/decision" "$platform" -d '{"action":"no_violation"}')" = 403
# no_violation lifts a provisional hold without another.
case2=$(code GET "/v1/notices/$id2" "$regulator_id" >/dev/null; field "d['items'][0]['case_id']")
check "ID hold" test "$(vis post-2 ID)" = '"withheld"'
check "claim ID case" test "$(code POST "/v1/cases/$case2/claim" "$admin")" = 200
check "a withhold in ID on MY's law 400" test "$(code POST "/v1/cases/$case2/decision" "$admin" -d '{"action":"withhold","countries":["ID"],"ground":"law","legal":"MY-CMA-233","category":"ncii"}')" = 400
check "ID's own laws offered" grep -q "no legal reference of ID.*ID-" "$work/body"
check "no violation" test "$(code POST "/v1/cases/$case2/decision" "$admin" -d '{"action":"no_violation","note":"lawful"}')" = 200
check "hold lifted in ID" test "$(vis post-2 ID)" = '"allow"'
# One case per content and jurisdiction: ID's decision leaves MY's hold on the same content
# (its match of MY's notice bank) to MY's own case, still open in its queue.
check "MY's hold stays" test "$(vis post-2 MY)" = '"withheld"'
check "MY's case open" test "$(code GET /v1/content/post-2 "$admin"; field "sorted([c['status'] for c in d['cases']])")" = '200["decided", "open"]'
check "item naming a notice's item 400" test "$(code POST /v1/notices "$regulator" -d '{"reference":"x","items":[{"content_id":"notice:1/item:1"}]}')" = 400
check "late action" test "$(code GET "/v1/notices/$id2" "$regulator_id"; field "[d['items'][0]['status'], d['penalty_exposure']['amount'] >= 0]")" = '200["actioned_late", true]'

# The MY regulator withdraws the items of a new notice: a content it alone withholds and a
# hash. The hold ends, the case closes, the hash stops matching; only MY's regulator may, once.
overlay=$("$jaga" hash "$work/s/overlay.png" | cut -d, -f1)
check "notice to withdraw" test "$(code POST /v1/notices "$regulator" -d "{\"reference\":\"MCMC/2026/78\",\"items\":[{\"content_id\":\"post-5\"},{\"pdq\":\"$overlay\"}]}")" = 201
id3=$(field "d['id']")
item5=$(field "d['items'][0]['id']")
item_hash=$(field "d['items'][1]['id']")
case5=$(field "d['items'][0]['case_id']")
check "post-5 withheld in MY" test "$(vis post-5 MY)" = '"withheld"'
withdraw() { code POST "/v1/notices/$1/items/$2/withdraw" "$3"; }
check "ID's regulator cannot withdraw 404" test "$(withdraw "$id3" "$item5" "$regulator_id")" = 404
check "platform cannot withdraw 403" test "$(withdraw "$id3" "$item5" "$platform")" = 403
check "item of another notice 404" test "$(withdraw "$id" "$item5" "$regulator")" = 404
check "unknown item 404" test "$(withdraw "$id3" 99999 "$regulator")" = 404
check "still withheld" test "$(vis post-5 MY)" = '"withheld"'
check "withdraw the content" test "$(withdraw "$id3" "$item5" "$regulator")" = 200
check "hold lifted, case closed" test "$(field "[d['status'], d['lifted'], d['case_closed']]")" = '["withdrawn", 1, true]'
check "post-5 allowed in MY" test "$(vis post-5 MY)" = '"allow"'
check "withdrawn twice 409" test "$(withdraw "$id3" "$item5" "$regulator")" = 409
check "case closed" test "$(code GET "/v1/cases/$case5" "$admin"; field "[d['status'], [h['kind'] for h in d['history']][-2:]]")" = '200["closed", ["notice_withdrawn", "closed"]]'
check "re-upload matches the hash" test "$(code POST '/v1/scan?content_id=post-6' "$platform" --data-binary "@$work/s/overlay.png")" = 201
check "post-6 withheld in MY" test "$(vis post-6 MY)" = '"withheld"'
check "withdraw the hash" test "$(withdraw "$id3" "$item_hash" "$regulator")" = 200
check "hash out of the bank" test "$(field "d['entry_withdrawn']")" = true
check "no match after" test "$(code POST '/v1/scan?content_id=post-7' "$platform" --data-binary "@$work/s/overlay.png")" = 201
check "no notice bank match" test "$(grep -c NOTICES_MY "$work/body")" = 0
check "post-7 allowed in MY" test "$(vis post-7 MY)" = '"allow"'
check "items read withdrawn" test "$(code GET "/v1/notices/$id3" "$regulator"; field "[[i['status'] for i in d['items']], d['pending'], d['breached']]")" = '200[["withdrawn", "withdrawn"], 0, 0]'
# A decided item: the decision was the platform's and stands.
item1=$(code GET "/v1/notices/$id" "$regulator" >/dev/null; field "d['items'][0]['id']")
check "withdraw a decided item" test "$(withdraw "$id" "$item1" "$regulator")" = 200
check "nothing lifted" test "$(field "[d['lifted'], d['case_closed']]")" = '[0, false]'
check "decision stands" test "$(vis post-1 MY)" = '"withheld"'
check "still actioned" test "$(code GET "/v1/notices/$id" "$regulator"; field "d['items'][0]['status']")" = '200"actioned"'

# Survives a kill -9.
kill -KILL "$pid"
wait "$pid" 2>/dev/null
pid=
start_server --config "$work/config.json"
check "notice after kill -9" test "$(code GET "/v1/notices/$id" "$regulator"; field "d['items'][0]['status']")" = '200"actioned"'
check "decision after kill -9" test "$(vis post-1 MY)" = '"withheld"'
check "re-upload after kill -9" test "$(code POST '/v1/scan?content_id=post-3' "$platform" --data-binary "@$work/s/street.png")" = 201
check "notice bank after kill -9" test "$(vis post-3 MY)" = '"withheld"'
check "withdrawal after kill -9" test "$(code GET "/v1/notices/$id3" "$regulator"; field "[i['status'] for i in d['items']]")" = '200["withdrawn", "withdrawn"]'
check "withdrawn hold after kill -9" test "$(vis post-5 MY)" = '"allow"'
check "withdrawn hash after kill -9" test "$(code POST '/v1/scan?content_id=post-8' "$platform" --data-binary "@$work/s/overlay.png")" = 201
check "no notice bank match after kill -9" test "$(vis post-8 MY)" = '"allow"'
kill -TERM "$pid"
wait "$pid"
pid=

finish "notices e2e"
