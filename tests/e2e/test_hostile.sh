#!/usr/bin/env bash
# End-to-end: input an attacker would send. Identifiers that are no UTF-8 text (bytes, overlong
# forms, CR LF, bidirectional overrides), unknown or repeated query arguments, unknown or
# repeated form parts and media_url leaving for another host are refused with 400 naming the
# field, before anything is written: the audit log does not grow, no case opens. Landing URLs
# percent-encode the id. Headers, 405s, file modes.
# usage: test_hostile.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
printf '{"geo_db": ""}' >"$work/config.json"
start_server --config "$work/config.json"
size() { code GET /v1/audit/head "$auditor" >/dev/null; field "d['size']"; }
message() { field "d['error']['message']" | tr -d '"'; }
scan() { code POST "/v1/scan?$1" "$platform" --data-binary "@$work/s/beach.jpg"; }

before=$(size)
check "bytes in content_id 400" test "$(scan 'content_id=%ff%fe-q')" = 400
check "the field is named" test "$(message)" = "query argument content_id is not valid UTF-8"
check "overlong UTF-8 400" test "$(scan 'content_id=%c0%af')" = 400
check "CR LF 400" test "$(scan 'content_id=a%0d%0aSet-Cookie:%20x')" = 400
check "named as a control" test "$(message)" = "query argument content_id has a control character"
check "NUL 400" test "$(scan 'content_id=a%00b')" = 400
check "right-to-left override 400" test "$(scan 'content_id=x%e2%80%aegpj.exe')" = 400
check "uploader_id bytes 400" test "$(scan 'content_id=ok-1&uploader_id=%ff')" = 400
check "unknown argument 400" test "$(scan 'content_id=ok-1&debug=1')" = 400
check "unknown named" test "$(message)" = "unknown query argument debug"
check "repeated argument 400" test "$(scan 'content_id=ok-1&content_id=ok-2')" = 400
check "repeated named" test "$(message)" = "query argument content_id is given twice"
check "media_url to another host 400" test "$(scan 'content_id=ok-1&media_url=//evil.example/x.jpg')" = 400
check "media_url over plain http 400" test "$(scan 'content_id=ok-1&media_url=http://cdn.example/x.jpg')" = 400
form() { code POST /v1/scan "$platform" -F "image=@$work/s/beach.jpg;type=image/jpeg" "$@"; }
check "unknown form part 400" test "$(form -F content_id=ok-1 -F extra=1)" = 400
check "repeated form part 400" test "$(form -F content_id=ok-1 -F content_id=ok-2)" = 400
check "bytes in a form part 400" test "$(form -F "content_id=$(printf 'a\xffb')")" = 400
check "nothing was written" test "$(size)" = "$before"
check "no content stored" test "$(code GET /v1/content/ok-1 "$platform")" = 404
check "no content from the form" test "$(code GET /v1/content/ok-2 "$platform")" = 404

# JSON bodies: jansson holds them to UTF-8; control and bidirectional characters are refused.
check "report id with an override 400" test "$(code POST /v1/reports "$platform" -d '{"content_id":"a\u202eb","category":"ncii"}')" = 400
check "report id with a C1 control 400" test "$(code POST /v1/reports "$platform" -d '{"content_id":"a\u0085b","category":"ncii"}')" = 400
check "report text keeps its lines" test "$(code POST /v1/reports "$platform" -d '{"content_id":"ok-2","category":"ncii","text":"line 1\nline 2"}')" = 201
# Paths and reads: no 5xx, whatever the bytes.
check "path bytes 400" test "$(code GET /v1/content/%ff%fe "$platform")" = 400
check "path control 400" test "$(code GET /v1/content/a%0d%0ab "$platform")" = 400
check "visibility bytes 400" test "$(code GET '/v1/visibility?content_id=%ff&country=MY' "$platform")" = 400
check "queue team bytes 400" test "$(code GET '/v1/queue?team=%ff' "$admin")" = 400
check "unknown argument on a read 400" test "$(code GET '/v1/banks?x=1' "$admin")" = 400
check "compliance page bytes 400" test "$(code GET '/compliance/MY?content=%ff')" = 400
check "a good scan still works" test "$(scan 'content_id=caf%c3%a9-1&uploader_country=MY')" = 201
check "and reads back" test "$(code GET /v1/content/caf%c3%a9-1 "$platform"; field "d['content_id'] == 'caf\\u00e9-1'")" = 200true
# The landing URL encodes the id: "&", "=", "#" and spaces in it cannot point the page at
# other content or another country.
check "a notice on an id with URL syntax" test "$(code POST /v1/notices "$regulator" -d '{"reference":"MCMC/1","items":[{"content_id":"a&country=XX#frag b"}]}')" = 201
check "withheld in MY" test "$(code GET '/v1/visibility?content_id=a%26country%3DXX%23frag%20b&country=MY' "$platform"; field "d['visibility']")" = '200"withheld"'
landing=$(field "d['landing_url']" | tr -d '"')
check "landing URL encoded" test "$landing" = "$url/compliance/MY?content=a%26country%3DXX%23frag%20b"
check "its page says withheld" bash -c "curl -s '$landing' | grep -q 'withheld for viewers in'"
# Answers carry nosniff and no-store; a 405 says what the path takes; a console name too long
# to be a file is no page; an image type jaga does not take is refused naming no library.
check "nosniff" bash -c "curl -s -D - -o /dev/null '$url/healthz' | grep -qi '^x-content-type-options: nosniff'"
check "a new key is not cached" bash -c "curl -s -D - -o /dev/null -H 'Authorization: Bearer $admin' -H 'Content-Type: application/json' -d '{\"role\":\"platform\"}' '$url/v1/keys' | grep -qi '^cache-control: no-store'"
check "405 with Allow" bash -c "curl -s -D - -o /dev/null -X DELETE '$url/v1/scan' | tr -d '\r' | grep -qi '^allow: POST$'"
check "a long console name 404" test "$(code GET "/console/$(printf 'a%.0s' $(seq 80)).js")" = 404
printf '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>' >"$work/x.svg"
check "svg 415" test "$(code POST '/v1/scan?content_id=svg-1' "$platform" --data-binary "@$work/x.svg")" = 415
check "no library named" bash -c "! grep -qi 'vips\|load' '$work/body'"
# The store's files are its owner's alone.
check "store 0600" test "$(stat -c %a "$JAGA_DB")" = 600
check "its log 0600" test "$(stat -c %a "$JAGA_DB-wal")" = 600
kill -TERM "$pid"
wait "$pid"
pid=
chmod 644 "$JAGA_DB"
start_server --config "$work/config.json"
check "a looser store is tightened at start" test "$(stat -c %a "$JAGA_DB")" = 600
kill -TERM "$pid"
wait "$pid"
pid=

finish "hostile input e2e"
