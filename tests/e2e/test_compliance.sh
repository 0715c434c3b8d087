#!/usr/bin/env bash
# End-to-end: the compliance landing page over HTTP, then in real Chromium (headless, Debian's
# chromium driven by playwright-core from .cache/node): the text per language, escaping, and
# no third-party requests.
# usage: test_compliance.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
printf '{"geo_db": ""}' >"$work/config.json"
start_server --config "$work/config.json"

check "scan" test "$(code POST '/v1/scan?content_id=post-1' "$platform" --data-binary "@$work/s/street.png")" = 201
check "notice" test "$(code POST /v1/notices "$regulator" -H 'Content-Type: application/json' --data-binary '{"reference":"MCMC/1","items":[{"content_id":"post-1"}]}')" = 201
check "block VN" test "$(code PUT /v1/country-blocks/VN "$admin" -d '{"reason":"court_order","legal":"VN-D147-2024"}')" = 200
check "landing page" test "$(code GET '/compliance/MY?content=post-1')" = 200
check "html" grep -q '<html lang="ms">' "$work/body"
check "no scripts" bash -c "! grep -qi '<script' '$work/body'"
check "content security policy" bash -c "curl -s -D - -o /dev/null '$url/compliance/MY' | grep -qi \"content-security-policy: default-src 'none'; style-src 'unsafe-inline'\""
check "unknown country 404" test "$(code GET /compliance/XYZ)" = 404
check "unassigned country 404" test "$(code GET /compliance/XX)" = 404
check "long content id 400" test "$(code GET "/compliance/MY?content=$(printf 'a%.0s' $(seq 300))")" = 400

run_browser "the compliance pages" 18 compliance_browser.js
kill -TERM "$pid"
wait "$pid"
pid=

finish "compliance e2e"
