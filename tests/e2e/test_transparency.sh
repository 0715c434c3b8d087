#!/usr/bin/env bash
# End-to-end: transparency reports over HTTP (JSON and RFC 4180 CSV, a regulator held to its
# own jurisdiction, bad queries refused), the same figures from `jaga report transparency`,
# and the public page in real Chromium: its tree head, its inline SVG charts, nothing from
# elsewhere.
# usage: test_transparency.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"

field() { python3 -c "import json,sys; d=json.load(open('$work/body')); print(eval(sys.argv[1]))" "$1"; }
# figure QUARTER SECTION DIMENSION SUBDIMENSION QUANTITY: from the last JSON report answered.
figure() { python3 -c "
import json, sys
d = json.load(open('$work/body'))
v = [r['value'] for r in d['rows'] if [r['quarter'], r['section'], r['dimension'], r['subdimension'], r['quantity']] == sys.argv[1:6]]
print(v[0] if v else None)" "$@"; }
decide() {
    code POST "/v1/cases/$1/claim" "$admin" >/dev/null
    code POST "/v1/cases/$1/decision" "$admin" -d "$2"
}

start_server
check "notice" test "$(code POST /v1/notices "$regulator" -d '{"reference":"MCMC/9","legal_basis":"MY-OSA-2025","items":[{"content_id":"post-1"},{"content_id":"post-2"}]}')" = 201
notice_case=$(field "d['items'][0]['case_id']")
check "decide the notice's first item" test "$(decide "$notice_case" '{"action":"withhold","countries":["MY"],"ground":"law","legal":"MY-OSA-2025","category":"ncii"}')" = 200
check "report 1" test "$(code POST /v1/reports "$platform" -d '{"content_id":"post-3","category":"hate_speech","country":"FR"}')" = 201
fr_case=$(field "d['case_id']")
check "report 2" test "$(code POST /v1/reports "$platform" -d '{"content_id":"post-3","category":"hate_speech","country":"FR"}')" = 201
check "flagger report" test "$(code POST /v1/reports "$flagger" -d '{"content_id":"post-4","category":"ncii","country":"MY"}')" = 201
check "decide FR" test "$(decide "$fr_case" '{"action":"remove","ground":"terms","category":"hate_speech"}')" = 200

check "report json" test "$(code GET '/v1/transparency?from=0' "$auditor")" = 200
check "notices received" test "$(figure all orders MY MY-OSA-2025 notices_received)" = 1.0
check "items" test "$(figure all orders MY MY-OSA-2025 items_received)" = 2.0
check "actioned" test "$(figure all orders MY MY-OSA-2025 items_actioned)" = 1.0
check "user reports" test "$(figure all notices hate_speech user reports_received)" = 2.0
check "flagger reports" test "$(figure all notices ncii trusted_flagger reports_received)" = 1.0
check "decisions" test "$(figure all actions remove terms decisions)" = 1.0
size=$(field "d['tree_head']['size']")
check "the head it carries is the auditor's" test "$(code GET "/v1/audit/proof/consistency?from=$size&to=$size" "$auditor")" = 200
check "regulator held to MY" test "$(code GET '/v1/transparency?from=0&jurisdiction=FR' "$regulator")" = 200
check "regulator sees no FR reports" test "$(figure all notices hate_speech user reports_received)" = None
check "regulator sees MY" test "$(figure all notices ncii trusted_flagger reports_received)" = 1.0
check "csv" test "$(code GET '/v1/transparency?from=0&format=csv' "$auditor")" = 200
check "csv parses (RFC 4180)" python3 -c "
import csv, sys
rows = list(csv.reader(open('$work/body', newline='')))
assert rows[0] == ['quarter', 'section', 'dimension', 'subdimension', 'quantity', 'value'], rows[0]
assert all(len(r) == 6 for r in rows)
assert ['all', 'notices', 'hate_speech', 'user', 'reports_received', '2'] in rows
assert open('$work/body', 'rb').read().count(b'\r\n') == len(rows)"
check "csv content type" bash -c "curl -s -D - -o /dev/null -H 'Authorization: Bearer $auditor' '$url/v1/transparency?from=0&format=csv' | grep -qi 'content-type: text/csv'"
check "html not over the API" test "$(code GET '/v1/transparency?from=0&format=html' "$auditor")" = 400
check "bad period" test "$(code GET '/v1/transparency?from=10&to=5' "$auditor")" = 400
check "bad time" test "$(code GET '/v1/transparency?from=yesterday' "$auditor")" = 400
check "bad jurisdiction" test "$(code GET '/v1/transparency?from=0&jurisdiction=mys' "$auditor")" = 400
check "platform may not" test "$(code GET '/v1/transparency?from=0' "$platform")" = 403

# The public page under the latest signed head.
check "head" test "$(code GET /v1/audit/head "$auditor")" = 200
head_size=$(field "d['size']")
head_root=$(field "d['root']")
check "public page" test "$(code GET /transparency)" = 200
check "page carries the head" grep -q "<code id=\"tree-root\">$head_root</code>" "$work/body"
check "page csp" bash -c "curl -s -D - -o /dev/null '$url/transparency' | grep -qi \"content-security-policy: default-src 'none'; style-src 'unsafe-inline'\""
check "page has no scripts" bash -c "! grep -qi '<script' '$work/body'"
SCREENSHOT="$work/transparency.png" run_browser "the transparency page" 12 transparency_browser.js "$head_size" "$head_root"
kill -TERM "$pid"
wait "$pid"
pid=

# The CLI computes the same figures from the store.
"$jaga" report transparency --from 2020-01-01 --format json >"$work/body"
check "cli report" test $? = 0
check "cli: same user reports" test "$(figure all notices hate_speech user reports_received)" = 2.0
check "cli: csv" sh -c "'$jaga' report transparency --from 0 --format csv | head -1 | grep -q '^quarter,section'"
check "cli: html" sh -c "'$jaga' report transparency --from 0 --format html | grep -q 'data-chart=\"notices\"'"
check "cli: bad format" test "$("$jaga" report transparency --from 0 --format pdf >/dev/null 2>&1; echo $?)" = 2
check "cli: from required" test "$("$jaga" report transparency >/dev/null 2>&1; echo $?)" = 2

finish "transparency e2e"
