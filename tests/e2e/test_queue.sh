#!/usr/bin/env bash
# End-to-end: reports (rapid, trusted flaggers, joined to one case, bad input), team queues
# routed by config, claims and leases, decisions with statements of reasons, appeals to
# another moderator, escalation by the sweeper, and signed webhooks to a platform endpoint
# (retried, idempotent, dead-lettered and retried by an admin).
# usage: test_queue.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)
# count STATUS: how many webhook deliveries have that status (from the body of a listing).
count() { code GET "/v1/webhooks/deliveries?status=$1" "$admin" >/dev/null; grep -o "\"status\":\"$1\"" "$work/body" | wc -l; }
vis() { code GET "/v1/visibility?content_id=$1&country=$2" "$platform" >/dev/null; field "d['visibility']"; }
python3 "$src/tools/make_mmdb.py" "$work/geo.mmdb"
# Deepfake reports from MY get their first look within 10 s here (5 min in the shipped policy).
sed 's/"first_review_flagged": "5m"/"first_review_flagged": "10s"/' "$src/policy/default.json" >"$work/policy.json"
start_receiver
cat >"$work/config.json" <<JSON
{"geo_db": "$work/geo.mmdb", "policy": "$work/policy.json", "sweep_interval_s": 1,
 "webhook_url": "http://127.0.0.1:$(cat "$work/hook_port")/hooks",
 "webhook_secret_file": "$work/secret", "webhook_backoff_s": 1, "webhook_attempts": 3,
 "teams": [{"team": "malay", "lead": "malay-leads", "jurisdictions": ["MY"]},
           {"team": "indonesian", "jurisdictions": ["ID"]}, {"team": "global"}]}
JSON
# Configs that do not hold: refused at start, saying why (the secret never printed).
refused() { printf '%s' "$1" >"$work/bad.json"; ! "$jaga" serve --config "$work/bad.json" --listen 127.0.0.1:0 >/dev/null 2>"$work/bad.txt" && grep -q "$2" "$work/bad.txt"; }
check "teams not an array" refused '{"teams": {"team": "x"}}' 'teams'
check "team name with a space" refused '{"teams": [{"team": "a b"}]}' 'team'
check "unknown team key" refused '{"teams": [{"team": "a", "queue": 1}]}' 'unknown key'
check "bad jurisdiction" refused '{"teams": [{"team": "a", "jurisdictions": ["XX"]}]}' 'jurisdictions'
(umask 077 && printf 'short' >"$work/short")
check "short webhook secret" refused "{\"webhook_url\": \"http://127.0.0.1:9/\", \"webhook_secret_file\": \"$work/short\"}" '16 bytes'
check "webhook without a secret" refused '{"webhook_url": "http://127.0.0.1:9/"}' 'webhook_secret_file'
cp "$work/secret" "$work/open_secret" && chmod 644 "$work/open_secret"
check "a secret others can read" refused "{\"webhook_url\": \"http://127.0.0.1:9/\", \"webhook_secret_file\": \"$work/open_secret\"}" 'open to others (mode 0644): chmod 600'
check "media origin breaking the policy" refused '{"media_origin": "https://a.example; script-src *"}' 'media_origin'
mod2=$("$jaga" key create --role moderator --team malay 2>/dev/null)
lead=$("$jaga" key create --role moderator --team malay-leads 2>/dev/null)
global=$("$jaga" key create --role moderator --team global 2>/dev/null)
start_server --config "$work/config.json"
check "webhook secret not logged" test "$(grep -c "$(cat "$work/secret")" "$work/err.txt" "$work/out.txt" | awk -F: '{s+=$2} END {print s}')" = 0

# Reports: acknowledged with an id and a receipt time; a deepfake from MY (by address) is a
# rapid report; a second report of the same content joins its case.
check "categories are public" test "$(code GET /v1/categories "")" = 200
check "deepfake category listed" test "$(field "[c['dsa_specification'] for c in d['categories'] if c['code'] == 'ncii_deepfake']")" = '["KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE"]'
check "scan" test "$(code POST '/v1/scan?content_id=post-1' "$platform" --data-binary "@$work/s/street.png")" = 201
check "report" test "$(code POST /v1/reports "$platform" -d '{"content_id":"post-1","category":"ncii_deepfake","reporter_id":"user-42","text":"this is a fake of me","reporter_ip":"1.2.3.4","language":"ms"}')" = 201
check "acknowledged" test "$(field "[d['report_id'] > 0, d['received_at'] > 0, d['rapid'], d['content_known']]")" = '[true, true, true, true]'
case1=$(field "d['case_id']")
# The Malay team's queue, with the deadline counting down; other teams' queues are closed.
check "queue" test "$(code GET '/v1/queue?team=malay' "$moderator")" = 200
check "the case waits" test "$(field "[c['id'] for c in d['cases']] == [$case1] and d['cases'][0]['seconds_left'] <= 10")" = true
check "other team 403" test "$(code GET '/v1/queue?team=indonesian' "$moderator")" = 403
check "held while it waits" test "$(vis post-1 MY)" = '"withheld"'
check "flagger report" test "$(code POST /v1/reports "$flagger" -d '{"content_id":"post-1","category":"ncii","country":"MY"}')" = 201
check "trusted and joined" test "$(field "[d['trusted_flagger'], d['case_id'] == $case1]")" = '[true, true]'
# Bad input: a clear 400 and nothing stored; unknown content is kept.
check "unknown category 400" test "$(code POST /v1/reports "$platform" -d '{"content_id":"post-1","category":"spam"}')" = 400
long=$(head -c 2100 /dev/zero | tr '\0' a)
check "oversized text 400" test "$(code POST /v1/reports "$platform" -d "{\"content_id\":\"post-1\",\"category\":\"scam\",\"text\":\"$long\"}")" = 400
check "no content 400" test "$(code POST /v1/reports "$platform" -d '{"category":"scam"}')" = 400
check "bad address 400" test "$(code POST /v1/reports "$platform" -d '{"content_id":"x","category":"scam","reporter_ip":"nope"}')" = 400
check "malformed JSON 400" test "$(code POST /v1/reports "$platform" -d '{"content_id":')" = 400
check "unknown content kept" test "$(code POST /v1/reports "$platform" -d '{"content_id":"never-scanned","category":"scam","country":"ID"}')" = 201
check "held, not lost" test "$(field "[d['content_known'], d['case_id'] > 0]")" = '[false, true]'
case_id=$(field "d['case_id']")
check "routed to the Indonesian team" test "$(code GET "/v1/cases/$case_id" "$admin"; field "d['team']")" = '200"indonesian"'
check "another team's case 404" test "$(code GET "/v1/cases/$case_id" "$moderator")" = 404

# Reports sent together share commits, and each is acknowledged with its own id.
for i in $(seq 24); do
    curl -s -w "\n" -H "Authorization: Bearer $platform" -H "Content-Type: application/json" \
        -d "{\"content_id\":\"burst-$i\",\"category\":\"scam\",\"country\":\"BR\"}" \
        "$url/v1/reports" >"$work/burst-$i" &
done
wait_for '[ "$(cat "$work"/burst-* | grep -c report_id)" = 24 ]'
check "a burst of reports acknowledged" test "$(cat "$work"/burst-* | python3 -c "import json,sys; print(len({json.loads(l)['report_id'] for l in sys.stdin}))")" = 24
check "all of them queued" test "$(code GET '/v1/queue?team=global' "$admin"; field "len([c for c in d['cases'] if c['content_id'].startswith('burst-')])")" = '20024'

# The sweeper escalates it once its first look is overdue, and tells the platform.
escalated() { code GET "/v1/cases/$case1" "$admin" >/dev/null; grep -q '"status":"escalated"' "$work/body"; }
wait_for escalated
check "escalated" test "$(code GET "/v1/cases/$case1" "$admin"; field "[d['status'], d['team'], d['breaches']]")" = '200["escalated", "malay-leads", 1]'
check "escalation event" grep -q '"event": "case.escalated"' "$work/hooks.log"
check "malay team's queue empty" test "$(code GET '/v1/queue?team=malay' "$moderator"; field "d['cases']")" = '200[]'

# The lead claims it; the case page shows its reports, sources and signals.
check "claim" test "$(code POST '/v1/queue/claim?team=malay-leads' "$lead")" = 200
check "got the case" test "$(field "[d['case']['id'], d['case']['status']]")" = "[$case1, \"claimed\"]"
check "empty queue: no case" test "$(code POST '/v1/queue/claim?team=malay-leads' "$lead"; field "d['case']")" = '200null'
check "case page" test "$(code GET "/v1/cases/$case1" "$lead")" = 200
check "reports shown, reporters not" test "$(field "[[r['reporter'], r['rapid']] for r in d['reports']]")" = '[["user", true], ["trusted_flagger", false]]'
check "no reporter ids" test "$(grep -c user-42 "$work/body")" = 0
check "content signals" test "$(field "d['content']['signals']['pdq'] != ''")" = true
check "not held by you 409" test "$(code POST "/v1/cases/$case1/decision" "$admin" -d '{"action":"no_violation"}')" = 409
# A preview says what each place will see and writes nothing.
check "preview" test "$(code POST "/v1/cases/$case1/decision" "$lead" -d '{"action":"no_violation","preview":true}')" = 200
check "preview: MY cleared, the hold stays elsewhere" test "$(field "[d['preview'], d['status'], sorted((e['place'], e['before'], e['after']) for e in d['effect'])]")" = '[true, "claimed", [["*", "withheld", "withheld"], ["MY", "withheld", "allow"]]]'
check "preview: no decision id" test "$(field "'id' in d['decision']")" = false
check "preview: nothing changed" test "$(vis post-1 MY)" = '"withheld"'
check "preview not a boolean 400" test "$(code POST "/v1/cases/$case1/decision" "$lead" -d '{"action":"no_violation","preview":1}')" = 400
check "decide" test "$(code POST "/v1/cases/$case1/decision" "$lead" -d '{"action":"withhold","countries":["MY"],"ground":"law","legal":"MY-OSA-2025","category":"ncii_deepfake","note":"confirmed with the person depicted"}')" = 200
check "the answer says the effect" test "$(field "[d['preview'], sorted((e['place'], e['after']) for e in d['effect'])]")" = '[false, [["*", "withheld"], ["MY", "withheld"]]]'
check "decided" test "$(field "[d['status'], d['decision']['action']]")" = '["decided", "withhold"]'
check "withheld in MY, final" test "$(vis post-1 MY)" = '"withheld"'
# The report's provisional hold everywhere stays elsewhere, for the platform's own case.
check "still held elsewhere" test "$(vis post-1 BR)" = '"withheld"'
code GET '/v1/queue?team=global' "$admin" >/dev/null
wide=$(field "[c['id'] for c in d['cases'] if c['content_id'] == 'post-1' and c['jurisdiction'] == '*'][0]")
check "the platform's case waits in global's queue" test -n "$wide"
code GET "/v1/cases/$case1" "$admin" >/dev/null
check "statement of reasons" test "$(field "[d['decisions'][0]['statement_of_reasons'][k] for k in ['decision_ground','category','source_type','automated_decision']]")" = '["DECISION_GROUND_ILLEGAL_CONTENT", "STATEMENT_CATEGORY_CYBER_VIOLENCE", "SOURCE_TRUSTED_FLAGGER", "AUTOMATED_DECISION_NOT_AUTOMATED"]'
check "history" test "$(field "[e['kind'] for e in d['history']][:1] + [e['kind'] for e in d['history']][-2:]")" = '["opened", "decided", "passed_on"]'

# The platform hears the decision, signed; the first answer was lost, so it came again with
# the same idempotency key.
wait_for '[ "$(grep -c "\"event\": \"case.decided\"" "$work/hooks.log")" -ge 2 ]'
check "decision delivered twice" test "$(grep -c '"event": "case.decided"' "$work/hooks.log")" = 2
check "signed, one key" test "$(python3 -c "
import json
d = [json.loads(l) for l in open('$work/hooks.log') if '\"case.decided\"' in l]
print(all(x['signed'] for x in d), len({x['key'] for x in d}), d[0]['body'] == d[1]['body'], d[0]['body']['decision']['action'])")" = 'True 1 True withhold'
check "delivered" test "$(code GET '/v1/webhooks/deliveries?status=delivered' "$admin"; field "sorted(x['attempts'] for x in d['deliveries'])")" = '200[2, 2]'

# Appeals go to another moderator; overturned, the content is back.
check "appeal" test "$(code POST "/v1/cases/$case1/appeal" "$platform" -d '{"appellant":"uploader-9","text":"this is not the person"}')" = 200
check "appealed" test "$(field "d['status']")" = '"appealed"'
check "the decider cannot take it" test "$(code POST "/v1/cases/$case1/claim" "$lead")" = 409
lead2=$("$jaga" key create --role moderator --team malay-leads 2>/dev/null)
check "another lead claims" test "$(code POST '/v1/queue/claim?team=malay-leads' "$lead2"; field "d['case']['id']")" = "200$case1"
check "overturn" test "$(code POST "/v1/cases/$case1/decision" "$lead2" -d '{"action":"overturn","note":"a different person"}')" = 200
check "closed" test "$(field "d['status']")" = '"closed"'
check "MY back under the hold everywhere" test "$(code GET '/v1/visibility?content_id=post-1&country=MY' "$platform"; field "[d['visibility'], d['provisional']]")" = '200["withheld", true]'
check "appeal twice 409" test "$(code POST "/v1/cases/$case1/appeal" "$platform" -d '{"appellant":"uploader-9"}')" = 409

# The platform's endpoint is down: dead-lettered after 3 attempts, visible to admins, retried.
check "the appeal's decision delivered" wait_for '[ "$(count delivered)" = 3 ]'
kill "$receiver"
wait "$receiver" 2>/dev/null
check "claim global" test "$(code POST "/v1/cases/$case_id/claim" "$admin")" = 200
check "decide unknown content" test "$(code POST "/v1/cases/$case_id/decision" "$admin" -d '{"action":"no_violation"}')" = 200
wait_for '[ "$(count dead)" = 1 ]'
code GET '/v1/webhooks/deliveries?status=dead' "$admin" >/dev/null
check "dead letter" test "$(field "[d['deliveries'][0]['attempts'], d['deliveries'][0]['event']]")" = '[3, "case.decided"]'
dead=$(field "d['deliveries'][0]['id']")
check "dead letters are admins' only" test "$(code GET '/v1/webhooks/deliveries?status=dead' "$moderator")" = 403
start_receiver
kill -TERM "$pid"
wait "$pid"
sed -i "s|127.0.0.1:[0-9]*/hooks|127.0.0.1:$(cat "$work/hook_port")/hooks|" "$work/config.json"
start_server --config "$work/config.json"
check "retry" test "$(code POST "/v1/webhooks/deliveries/$dead/retry" "$admin")" = 200
check "delivered after retry" wait_for '[ "$(count delivered)" = 4 ]'
check "retry of a delivered one 409" test "$(code POST "/v1/webhooks/deliveries/$dead/retry" "$admin")" = 409
# The platform's case decided by a team whose remit is everywhere: the content is back.
check "claim the platform's case" test "$(code POST "/v1/cases/$wide/claim" "$admin")" = 200
check "no violation everywhere" test "$(code POST "/v1/cases/$wide/decision" "$admin" -d '{"action":"no_violation"}')" = 200
check "restored" test "$(vis post-1 MY) $(vis post-1 BR)" = '"allow" "allow"'
kill -TERM "$pid"
wait "$pid"
pid=

finish "queue e2e"
