#!/usr/bin/env bash
# End-to-end: the moderator and regulator console, its files and headers over HTTP, then in
# real Chromium (Debian's chromium driven by playwright-core from .cache/node).
# usage: test_console.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)
# The platform's media for reviewers, served here from a copy of the web folder.
cp -r "$src/web" "$work/web"
cp "$work/s/beach.jpg" "$work/web/console/sample.jpg"
cat >"$work/config.json" <<JSON
{"geo_db": "", "web_dir": "$work/web",
 "teams": [{"team": "malay", "jurisdictions": ["MY"]}, {"team": "global"}]}
JSON
start_server --config "$work/config.json"
headers() { curl -s -D - -o /dev/null "$url$1"; }

check "console page" test "$(code GET /console/)" = 200
check "html" grep -q '<script src="/console/console.js">' "$work/body"
check "script" test "$(code GET /console/console.js)" = 200
check "content security policy" bash -c "curl -s -D - -o /dev/null '$url/console/' | grep -qi \"content-security-policy: default-src 'none'; script-src 'self'\""
check "no framing" bash -c "curl -s -D - -o /dev/null '$url/console/' | grep -qi 'x-frame-options: DENY'"
check "javascript type" bash -c "curl -s -D - -o /dev/null '$url/console/console.js' | grep -qi 'content-type: text/javascript'"
check "no paths out" test "$(code GET /console/..%2Fcompliance%2Fstrings.json)" = 404
check "no hidden files" test "$(code GET /console/.htaccess)" = 404
check "unknown file 404" test "$(code GET /console/nope.js)" = 404
check "whoami" test "$(code GET /v1/me "$moderator")" = 200
check "moderator of malay" grep -q '"role":"moderator".*"teams":\["malay"\]' "$work/body"
check "whoami needs a key" test "$(code GET /v1/me "")" = 401

check "scan" test "$(code POST '/v1/scan?content_id=post-1&media_url=/console/sample.jpg' "$platform" --data-binary "@$work/s/beach.jpg")" = 201
check "report" test "$(code POST /v1/reports "$platform" -d '{"content_id":"post-1","category":"ncii_deepfake","country":"MY","text":"a fake of me"}')" = 201
check "scan 2" test "$(code POST '/v1/scan?content_id=post-2' "$platform" --data-binary "@$work/s/street.png")" = 201

mkdir -p "$work/shots"
run_browser "the console" 32 console_browser.js "$work/shots" "$moderator" "$regulator" \
    "$platform" "$admin"
[ -n "${JAGA_KEEP_SHOTS:-}" ] && cp -r "$work/shots/." "$JAGA_KEEP_SHOTS/"
kill -TERM "$pid"
wait "$pid"
pid=

finish "console e2e"
