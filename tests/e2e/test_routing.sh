#!/usr/bin/env bash
# End-to-end: the routing example of docs/review.md, read from the doc itself, routes as the
# doc says (an NCII bank match on an upload from MY and a rapid Malay deepfake report from MY to
# ncii-my, an Indonesian notice to indonesian, anything else to global); a team no key holds is
# reported at start and by GET /v1/config/check; scripts/run's demo moderator key holds every
# team the demo routes to, escalations included.
# usage: test_routing.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)

# The doc's "teams" block, as a config.
python3 - "$src/docs/review.md" "$work/config.json" <<'PY'
import json, re, sys
doc = open(sys.argv[1]).read()
block = re.search(r'```json\n("teams": \[.*?\])\n```', doc, re.S).group(1)
json.dump(json.loads("{" + block + "}"), open(sys.argv[2], "w"))
PY
check "the doc's example is a config" test -s "$work/config.json"
street=$("$jaga" hash "$work/s/street.png" | cut -d, -f1)
"$jaga" bank create NCII >/dev/null
echo "pdq $street" | "$jaga" bank import NCII --format te --labels category=ncii_deepfake - >/dev/null
regulator_id=$("$jaga" key create --role regulator --jurisdiction ID 2>/dev/null)
for teams in ncii-my,ncii-leads indonesian,indonesian-lead global,global-lead; do
    "$jaga" key create --role moderator --team "$teams" >/dev/null 2>&1
done

start_server --config "$work/config.json"
case_of() { code GET "/v1/content/$1" "$admin" >/dev/null; field "[[c['jurisdiction'], c['language'], c['team']] for c in d['cases']]"; }
# case_at ID: a case's jurisdiction, language and team.
case_at() { code GET "/v1/cases/$1" "$admin" >/dev/null; field "[d['jurisdiction'], d['language'], d['team']]"; }
check "upload from MY" test "$(code POST '/v1/scan?content_id=up-my&uploader_country=MY' "$platform" --data-binary "@$work/s/street.png")" = 201
check "an NCII match from MY goes to ncii-my, in Malay" test "$(case_of up-my)" = '[["MY", "ms", "ncii-my"]]'
check "rapid report" test "$(code POST /v1/reports "$platform" -d '{"content_id":"clip-1","category":"ncii_deepfake","country":"MY","language":"ms"}')" = 201
check "a rapid Malay deepfake report from MY goes to ncii-my" test "$(case_at "$(field "d['case_id']")")" = '["MY", "ms", "ncii-my"]'
check "ID notice" test "$(code POST /v1/notices "$regulator_id" -d '{"reference":"KOMDIGI-7","items":[{"content_id":"post-id"}]}')" = 201
check "an Indonesian notice goes to indonesian" test "$(case_at "$(field "d['items'][0]['case_id']")")" = '["ID", "id", "indonesian"]'
check "a report from BR" test "$(code POST /v1/reports "$platform" -d '{"content_id":"post-br","category":"scam","country":"BR"}')" = 201
check "anything else goes to global" test "$(case_at "$(field "d['case_id']")")" = '["ZZ", "en", "global"]'
# No key works in malay's lead team (server_lib's moderator works in malay): said at start and
# on request.
check "the start warns of unheld teams" grep -q 'warning: cases can reach teams no moderator key works in: \["malay-leads"\]' "$work/err.txt"
check "config check names them" test "$(code GET /v1/config/check "$admin"; field "[d['ok'], d['unreachable_teams']]")" = '200[false, ["malay-leads"]]'
"$jaga" key create --role moderator --team malay-leads >/dev/null 2>&1
check "with a key for them, the config is whole" test "$(code GET /v1/config/check "$admin"; field "[d['ok'], d['unreachable_teams']]")" = '200[true, []]'
kill -TERM "$pid"
wait "$pid"
pid=

# The demo: its moderator key (read from scripts/run) holds every team its cases reach.
demo_teams=$(sed -n 's/.*--role moderator --team \([^ ]*\) .*/\1/p' "$src/scripts/run")
check "scripts/run makes a moderator key" test -n "$demo_teams"
export JAGA_DB="$work/demo.db"
demo_admin=$("$jaga" key create --role admin 2>/dev/null)
demo_platform=$("$jaga" key create --role platform 2>/dev/null)
"$jaga" key create --role moderator --team "$demo_teams" >/dev/null 2>&1
start_server
check "the demo's config is whole" test "$(code GET /v1/config/check "$demo_admin"; field "[d['ok'], d['unreachable_teams']]")" = '200[true, []]'
check "no warning at start" test "$(grep -c 'warning: cases can reach' "$work/err.txt")" = 0
check "the README's rapid report" test "$(code POST /v1/reports "$demo_platform" -d '{"content_id":"demo-2","category":"ncii_deepfake","country":"MY"}')" = 201
code GET "/v1/cases/$(field "d['case_id']")" "$demo_admin" >/dev/null
team=$(field "d['team']" | tr -d '"')
lead=$(field "d['lead_team']" | tr -d '"')
check "its team is the demo moderator's ($team)" grep -qw "$team" <<<"${demo_teams//,/ }"
check "so is its escalation team ($lead)" grep -qw "$lead" <<<"${demo_teams//,/ }"
kill -TERM "$pid"
wait "$pid"
pid=

finish "routing e2e"
