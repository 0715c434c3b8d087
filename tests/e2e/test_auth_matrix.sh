#!/usr/bin/env bash
# End-to-end: every route x every role. The expected roles are written out here, by hand,
# and the server's own route list (jaga serve --routes) must hold exactly these routes, so a
# new route cannot go untested. Each route is also called without a key, with a malformed
# key, a revoked one and a wrong secret.
# usage: test_auth_matrix.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"

# METHOD PATH ROLES (the roles that may call it; "public" for no key; "peer" for other jaga
# nodes only, whose signed requests test_exchange.sh makes: no API key passes)
matrix='GET /healthz public
GET /v1/config/check admin
GET /metrics admin,auditor
POST /v1/hash admin,platform
POST /v1/lookup admin,platform
POST /v1/scan admin,platform
POST /v1/scan/video admin,platform
GET /v1/scan/jobs/* admin,platform
POST /v1/streams admin,platform
GET /v1/streams/* admin,platform
DELETE /v1/streams/* admin,platform
GET /v1/content/* admin,platform,auditor
GET /v1/banks admin,platform,auditor
POST /v1/banks admin
GET /v1/banks/* admin,platform,auditor
PATCH /v1/banks/* admin
POST /v1/banks/*/entries admin
GET /v1/banks/*/entries admin,auditor
POST /v1/banks/*/withdraw admin
POST /v1/keys admin
GET /v1/keys admin
DELETE /v1/keys/* admin
GET /v1/visibility admin,platform
POST /v1/visibility/batch admin,platform
GET /v1/country-blocks admin,auditor
PUT /v1/country-blocks/* admin
DELETE /v1/country-blocks/* admin
POST /v1/notices regulator
GET /v1/notices admin,regulator,auditor
GET /v1/notices/* admin,regulator,auditor
POST /v1/notices/*/items/*/withdraw regulator
POST /v1/reports admin,platform,flagger
GET /v1/categories public
GET /v1/queue admin,moderator
POST /v1/queue/claim admin,moderator
GET /v1/cases/* admin,moderator,auditor
POST /v1/cases/*/claim admin,moderator
POST /v1/cases/*/release admin,moderator
POST /v1/cases/*/decision admin,moderator
POST /v1/cases/*/appeal admin,platform
GET /v1/webhooks/deliveries admin
POST /v1/webhooks/deliveries/*/retry admin
GET /compliance/* public
GET /console/ public
GET /console/* public
GET /v1/me admin,platform,moderator,regulator,auditor,flagger
GET /v1/audit/key public
GET /v1/audit/head admin,auditor
GET /v1/audit/proof/inclusion admin,auditor
GET /v1/audit/proof/consistency admin,auditor
GET /v1/audit/leaves admin,auditor
GET /v1/transparency admin,regulator,auditor
GET /transparency public
GET /v1/media/* admin,platform,moderator
GET /v1/exchange/*/feed peer
POST /v1/exchange/*/feedback peer
GET /v1/exchange/*/feedback admin,auditor
GET /v1/exchange/peers admin,auditor
POST /v1/exchange/peers admin
DELETE /v1/exchange/peers/* admin
GET /v1/exchange/subscriptions admin,auditor
POST /v1/exchange/subscriptions admin'
check "the matrix names every route" test "$("$jaga" serve --routes | cut -d' ' -f1-3 | sort)" = "$(echo "$matrix" | sort)"

start_server
last=${platform: -1}
wrong_secret="${platform%?}$([ "$last" = 0 ] && echo 1 || echo 0)"
declare -A keys=([admin]=$admin [platform]=$platform [moderator]=$moderator
    [regulator]=$regulator [auditor]=$auditor [flagger]=$flagger)
# A concrete path and a body for each route: harmless (a bad body or an unknown name is
# fine for an allowed role: anything but 401 and 403 shows the role passed).
concrete() {
    case "$1" in
    /v1/content/*) echo /v1/content/none ;;
    /v1/scan/jobs/\*) echo /v1/scan/jobs/999 ;;
    /v1/streams/\*) echo /v1/streams/999 ;;
    /v1/media/\*) echo '/v1/media/none?variant=blurred' ;;
    /v1/exchange/peers/\*) echo /v1/exchange/peers/nobody ;;
    /v1/exchange/\*/feed) echo /v1/exchange/NCII_DEEPFAKES/feed ;;
    /v1/exchange/\*/feedback) echo /v1/exchange/NCII_DEEPFAKES/feedback ;;
    /v1/banks/\*/entries) echo /v1/banks/NCII_DEEPFAKES/entries ;;
    /v1/banks/\*/withdraw) echo /v1/banks/NOPE/withdraw ;;
    /v1/banks/\*) echo /v1/banks/NOPE ;;
    /v1/keys/\*) echo /v1/keys/000000000000 ;;
    /v1/country-blocks/\*) echo /v1/country-blocks/XX ;;
    /v1/notices/\*/items/\*/withdraw) echo /v1/notices/999/items/1/withdraw ;;
    /v1/notices/\*) echo /v1/notices/999 ;;
    /v1/cases/\*/decision) echo /v1/cases/999/decision ;;
    /v1/cases/\*/claim) echo /v1/cases/999/claim ;;
    /v1/cases/\*/release) echo /v1/cases/999/release ;;
    /v1/cases/\*/appeal) echo /v1/cases/999/appeal ;;
    /v1/webhooks/deliveries/\*/retry) echo /v1/webhooks/deliveries/999/retry ;;
    /v1/cases/\*) echo /v1/cases/999 ;;
    /compliance/\*) echo /compliance/MY ;;
    /console/\*) echo /console/console.js ;;
    /v1/visibility) echo '/v1/visibility?content_id=a&country=MY' ;;
    /v1/audit/leaves) echo '/v1/audit/leaves?start=0' ;;
    *) echo "$1" ;;
    esac
}
while read -r method pattern roles; do
    path=$(concrete "$pattern")
    body=()
    [ "$method" = POST ] || [ "$method" = PATCH ] || [ "$method" = PUT ] && body=(-d '{"x":1}')
    if [ "$roles" = public ]; then
        check "$method $pattern without a key" test "$(code "$method" "$path" "" "${body[@]}")" = 200
        continue
    fi
    check "$method $pattern no key 401" test "$(code "$method" "$path" "" "${body[@]}")" = 401
    check "$method $pattern malformed key 401" test "$(code "$method" "$path" "jaga_x" "${body[@]}")" = 401
    check "$method $pattern revoked key 401" test "$(code "$method" "$path" "$revoked" "${body[@]}")" = 401
    check "$method $pattern wrong secret 401" test "$(code "$method" "$path" "$wrong_secret" "${body[@]}")" = 401
    for role in admin platform moderator regulator auditor flagger; do
        got=$(code "$method" "$path" "${keys[$role]}" "${body[@]}")
        if [ "$roles" = peer ]; then
            check "$method $pattern $role key 401 (peers only)" test "$got" = 401
        elif [[ ",$roles," == *",$role,"* ]]; then
            check "$method $pattern $role allowed ($got)" test "$got" != 401 -a "$got" != 403
        else
            check "$method $pattern $role 403" test "$got" = 403
        fi
    done
done <<<"$matrix"
kill -TERM "$pid"
wait "$pid"
pid=

# Per object, with docs/review.md's teams: a regulator sees and withdraws its own notices and
# items, never another jurisdiction's on the same content; a moderator decides only in its
# teams' remit.
cat >"$work/teams.json" <<'JSON'
{"teams": [
  {"team": "ncii-my", "lead": "ncii-leads", "jurisdictions": ["MY"], "specialties": ["ncii"]},
  {"team": "malay", "lead": "malay-leads", "jurisdictions": ["MY"], "languages": ["ms"]},
  {"team": "indonesian", "jurisdictions": ["ID"]},
  {"team": "global"}]}
JSON
regulator_id=$("$jaga" key create --role regulator --jurisdiction ID 2>/dev/null)
indonesian=$("$jaga" key create --role moderator --team indonesian,malay 2>/dev/null)
start_server --config "$work/teams.json"
check "config check names unheld teams" test "$(code GET /v1/config/check "$admin"; field "[d['ok'], 'global' in d['unreachable_teams'], 'malay' in d['unreachable_teams']]")" = '200[false, true, false]'
grep -q "no moderator key works in" "$work/err.txt"
check "start warns of unheld teams" test $? = 0
code POST /v1/notices "$regulator_id" -d '{"reference":"ID/1","items":[{"content_id":"shared"}]}' >/dev/null
id_notice=$(field "d['id']")
check "MY notice on the same content" test "$(code POST /v1/notices "$regulator" -d '{"reference":"MY/1","items":[{"content_id":"shared"}]}')" = 201
my_notice=$(field "d['id']")
check "MY cannot read ID's notice" test "$(code GET "/v1/notices/$id_notice" "$regulator")" = 404
check "MY lists its own only" test "$(code GET /v1/notices "$regulator"; field "[n['id'] for n in d['notices']]")" = "200[$my_notice]"
check "MY item naming ID's item 400" test "$(code POST /v1/notices "$regulator" -d "{\"reference\":\"MY/2\",\"items\":[{\"content_id\":\"notice:$id_notice/item:0\"}]}")" = 400
code GET "/v1/notices/$my_notice" "$regulator" >/dev/null
my_case=$(field "d['items'][0]['case_id']")
code GET "/v1/notices/$id_notice" "$regulator_id" >/dev/null
id_case=$(field "d['items'][0]['case_id']")
check "two cases, one per jurisdiction" test "$my_case" != "$id_case"
check "ID case claimed by its team" test "$(code POST "/v1/cases/$id_case/claim" "$indonesian")" = 200
check "MY case claimed via malay" test "$(code POST "/v1/cases/$my_case/claim" "$indonesian")" = 200
check "out-of-remit platform-wide 403" test "$(code POST "/v1/cases/$my_case/decision" "$indonesian" -d '{"action":"remove","ground":"terms","category":"ncii_deepfake"}')" = 403
check "ID decides no violation" test "$(code POST "/v1/cases/$id_case/decision" "$indonesian" -d '{"action":"no_violation"}')" = 200
check "MY's order stands" test "$(code GET '/v1/visibility?content_id=shared&country=MY' "$platform"; field "d['visibility']")" = '200"withheld"'
check "MY's item still pending" test "$(code GET "/v1/notices/$my_notice" "$regulator"; field "d['items'][0]['status'] != 'actioned'")" = 200true
id_item=$(code GET "/v1/notices/$id_notice" "$regulator_id" >/dev/null; field "d['items'][0]['id']")
my_item=$(code GET "/v1/notices/$my_notice" "$regulator" >/dev/null; field "d['items'][0]['id']")
check "MY cannot withdraw ID's item" test "$(code POST "/v1/notices/$id_notice/items/$id_item/withdraw" "$regulator")" = 404
check "MY cannot withdraw through its own notice" test "$(code POST "/v1/notices/$my_notice/items/$id_item/withdraw" "$regulator")" = 404
check "ID cannot withdraw MY's item" test "$(code POST "/v1/notices/$my_notice/items/$my_item/withdraw" "$regulator_id")" = 404
check "MY's order still stands" test "$(code GET '/v1/visibility?content_id=shared&country=MY' "$platform"; field "d['visibility']")" = '200"withheld"'
check "MY withdraws its own" test "$(code POST "/v1/notices/$my_notice/items/$my_item/withdraw" "$regulator")" = 200
check "visible in MY after" test "$(code GET '/v1/visibility?content_id=shared&country=MY' "$platform"; field "d['visibility']")" = '200"allow"'
kill -TERM "$pid"
wait "$pid"
pid=

finish "auth matrix e2e"
