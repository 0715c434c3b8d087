#!/usr/bin/env bash
# End-to-end: the real server on a free loopback port, spoken to over HTTP with curl.
# usage: test_server.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
start_server

check "healthz without a key" test "$(code GET /healthz)" = 200
check "healthz counts entries" grep -q '"entries":1' "$work/body"

# The auth matrix of the routes so far: platform and admin may hash and look up.
lookup_body="{\"pdq\":[\"$beach\"]}"
# The platform key with its last secret digit changed.
last=${platform: -1}
wrong_secret="${platform%?}$([ "$last" = 0 ] && echo 1 || echo 0)"
for route in /v1/hash /v1/lookup; do
    body=(--data-binary "@$work/s/beach.jpg")
    [ "$route" = /v1/lookup ] && body=(-d "$lookup_body")
    check "$route no key" test "$(code POST $route "" "${body[@]}")" = 401
    check "$route says Bearer" grep -q unauthenticated "$work/body"
    check "$route garbage key" test "$(code POST $route "not-a-key" "${body[@]}")" = 401
    check "$route revoked key" test "$(code POST $route "$revoked" "${body[@]}")" = 401
    check "$route wrong secret" test "$(code POST $route "$wrong_secret" "${body[@]}")" = 401
    for key in "$admin" "$platform"; do
        check "$route allowed" test "$(code POST $route "$key" "${body[@]}")" = 200
    done
    for key in "$moderator" "$regulator" "$auditor"; do
        check "$route forbidden" test "$(code POST $route "$key" "${body[@]}")" = 403
    done
done

# /v1/hash answers the same as jaga hash.
code POST "/v1/hash?dihedral=1" "$platform" --data-binary "@$work/s/beach.jpg" >/dev/null
check "hash equals the CLI" grep -q "\"pdq\":\"$beach\"" "$work/body"
check "hash has digests" grep -q "\"sha256\":\"$(sha256sum <"$work/s/beach.jpg" | cut -c1-64)\"" "$work/body"
check "hash has dihedral" grep -q '"flipy":"' "$work/body"
code POST /v1/lookup "$platform" -d "$lookup_body" >/dev/null
check "lookup match" grep -q '"bank":"NCII_DEEPFAKES","signal_type":"pdq","distance":0' "$work/body"

# Scans: stored under the platform's content id, matched against the banks, idempotent.
scan="/v1/scan?content_id=post-1&uploader_id=u42&uploader_country=MY"
check "scan no key" test "$(code POST "$scan" "" --data-binary "@$work/s/beach.jpg")" = 401
for key in "$moderator" "$regulator" "$auditor"; do
    check "scan forbidden" test "$(code POST "$scan" "$key" --data-binary "@$work/s/beach.jpg")" = 403
done
check "scan created" test "$(code POST "$scan" "$platform" --data-binary "@$work/s/beach.jpg")" = 201
check "scan signals" grep -q "\"pdq\":\"$beach\"" "$work/body"
check "scan matches" grep -q '"matches":\[{"bank":"NCII_DEEPFAKES","signal_type":"pdq","distance":0' "$work/body"
check "scan uploader" grep -q '"uploader_id":"u42","uploader_country":"MY"' "$work/body"
if [ -f "$(cd "$(dirname "$0")/../.." && pwd)/.cache/models/nsfwjs/mobilenet_v2/model.json" ]; then
    check "scan classified" python3 -c "
import json
s = json.load(open('$work/body'))['classifier']
assert sorted(s) == ['drawing', 'hentai', 'neutral', 'porn', 'sexy'] and abs(sum(s.values()) - 1) < 1e-3, s"
else
    skip "scan classified" "no classifier model in .cache: scripts/fetch-data fetches it"
fi
cp "$work/body" "$work/first-scan.json"
check "rescan same bytes" test "$(code POST "$scan" "$admin" --data-binary "@$work/s/beach.jpg")" = 200
check "rescan same record" cmp -s "$work/body" "$work/first-scan.json"
check "rescan other bytes" test "$(code POST "$scan" "$platform" --data-binary "@$work/s/street.png")" = 409
check "scan without id" test "$(code POST /v1/scan "$platform" --data-binary "@$work/s/beach.jpg")" = 400
check "scan bad country" test "$(code POST "/v1/scan?content_id=x&uploader_country=Malaysia" "$platform" --data-binary "@$work/s/beach.jpg")" = 400
# The same as a multipart form (fields as parts, the image in the part named image).
form=(-F content_id=post-m -F uploader_id=u7 -F uploader_country=ID -F media_url=https://cdn.example.com/m/7.jpg -F "image=@$work/s/beach.jpg;type=image/jpeg")
check "multipart scan created" test "$(code POST /v1/scan "$platform" "${form[@]}")" = 201
check "multipart scan signals" grep -q "\"content_id\":\"post-m\",\"media_url\":\"https://cdn.example.com/m/7.jpg\",\"uploader_id\":\"u7\",\"uploader_country\":\"ID\",\"signals\":{\"pdq\":\"$beach\"" "$work/body"
check "multipart scan matches" grep -q '"matches":\[{"bank":"NCII_DEEPFAKES"' "$work/body"
check "multipart rescan" test "$(code POST /v1/scan "$platform" "${form[@]}")" = 200
check "media_url not a URL 400" test "$(code POST '/v1/scan?content_id=post-n&media_url=javascript:alert(1)' "$platform" --data-binary "@$work/s/beach.jpg")" = 400
check "multipart hash" test "$(code POST /v1/hash "$platform" -F dihedral=1 -F "image=@$work/s/beach.jpg")" = 200
check "multipart hash dihedral" grep -q "\"pdq\":\"$beach\".*\"flipy\":\"" "$work/body"
check "multipart without image 400" test "$(code POST /v1/scan "$platform" -F content_id=x -F "file=@$work/s/beach.jpg")" = 400
check "says the image part" grep -q 'no part named image' "$work/body"
check "multipart garbage 400" test "$(code POST /v1/scan "$platform" -H 'Content-Type: multipart/form-data; boundary=zz' --data-binary 'not a form')" = 400
check "multipart no boundary 400" test "$(code POST /v1/scan "$platform" -H 'Content-Type: multipart/form-data' --data-binary '--zz--')" = 400
printf -- '--zz\r\nContent-Disposition: form-data; name="image"\r\n\r\nabc' >"$work/cut-form"
check "multipart truncated 400" test "$(code POST /v1/scan "$platform" -H 'Content-Type: multipart/form-data; boundary=zz' --data-binary "@$work/cut-form")" = 400
check "says truncated" grep -q 'truncated' "$work/body"
check "multipart long field 400" test "$(code POST /v1/scan "$platform" -F "content_id=$(printf 'a%.0s' $(seq 300))" -F "image=@$work/s/beach.jpg")" = 400
check "content for platform" test "$(code GET /v1/content/post-1 "$platform")" = 200
check "content record" cmp -s "$work/body" "$work/first-scan.json"
check "content for auditor" test "$(code GET /v1/content/post-1 "$auditor")" = 200
check "content not for regulator" test "$(code GET /v1/content/post-1 "$regulator")" = 403
check "content unknown" test "$(code GET /v1/content/nope "$platform")" = 404
check "content nested path" test "$(code GET /v1/content/a/b "$platform")" = 404

# Metrics for operators.
check "metrics need a key" test "$(code GET /metrics)" = 401
check "metrics not for platform" test "$(code GET /metrics "$platform")" = 403
check "metrics for auditor" test "$(code GET /metrics "$auditor")" = 200
check "request counter" grep -q '^jaga_http_requests_total{method="POST",route="/v1/scan",code="2xx"} 4$' "$work/body"
check "latency buckets" grep -q '^jaga_http_request_seconds_bucket{method="POST",route="/v1/hash",le="+Inf"} ' "$work/body"
check "scans counted" grep -q '^jaga_scans_total 2$' "$work/body"
check "store latency" grep -q '^jaga_store_seconds_count{op="content_put"} 2$' "$work/body"
check "store latency buckets" grep -q '^jaga_store_seconds_bucket{op="key_get",le="+Inf"} ' "$work/body"
check "index size" grep -q '^jaga_index_entries 1$' "$work/body"

# Error paths.
head -c 2000 "$work/s/beach.jpg" >"$work/cut.jpg"
check "truncated image 422" test "$(code POST /v1/hash "$platform" --data-binary "@$work/cut.jpg")" = 422
check "broken scan 422" test "$(code POST "/v1/scan?content_id=broken" "$platform" --data-binary "@$work/cut.jpg")" = 422
check "broken scan not stored" test "$(code GET /v1/content/broken "$platform")" = 404
check "text 422" test "$(code POST /v1/hash "$platform" -d 'hello')" = 422
check "empty 422" test "$(code POST /v1/hash "$platform" --data-binary '')" = 422
printf '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>' >"$work/x.svg"
check "svg 415" test "$(code POST /v1/hash "$platform" --data-binary "@$work/x.svg")" = 415
check "JSON body as a form 400" test "$(code POST /v1/lookup "$platform" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "$lookup_body")" = 400
check "says the content type" grep -q 'Content-Type must be application/json' "$work/body"
check "JSON with charset" test "$(code POST /v1/lookup "$platform" -H 'Content-Type: application/json; charset=utf-8' --data-binary "$lookup_body")" = 200
check "JSON without a type" test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $platform" -H 'Content-Type:' --data-binary "$lookup_body" "$url/v1/lookup")" = 200
check "bad json 400" test "$(code POST /v1/lookup "$platform" -d '{"pdq":')" = 400
check "unknown field 400" test "$(code POST /v1/lookup "$platform" -d "{\"pdq\":[\"$beach\"],\"x\":1}")" = 400
check "says which field" grep -q "unknown field 'x'" "$work/body"
check "no signal 400" test "$(code POST /v1/lookup "$platform" -d '{}')" = 400
check "unknown bank 404" test "$(code POST /v1/lookup "$platform" -d "{\"pdq\":[\"$beach\"],\"banks\":[\"NOPE\"]}")" = 404
check "unknown route 404" test "$(code GET /v2/x)" = 404
check "wrong method 405" test "$(code GET /v1/hash "$platform")" = 405
check "error shape" grep -q '{"error":{"code":"method_not_allowed","message":' "$work/body"
check "keys never logged" bash -c "! grep -qF '${platform:18}' '$work/err.txt'"

# Graceful stop, then what was acknowledged is still there; also after a kill -9.
kill -TERM "$pid"
wait "$pid"
check "clean exit on SIGTERM" test $? -eq 0
pid=
start_server
check "scan survives a restart" test "$(code GET /v1/content/post-1 "$auditor")" = 200
check "scan after restart" test "$(code POST "/v1/scan?content_id=post-2" "$platform" --data-binary "@$work/s/street.png")" = 201
kill -KILL "$pid"
wait "$pid" 2>/dev/null
pid=
start_server
check "acknowledged scan survives kill -9" test "$(code GET /v1/content/post-2 "$platform")" = 200
kill -TERM "$pid"
wait "$pid"
pid=

# Body cap and rate limit from a config file.
printf '{"max_body_bytes": 10000, "rate_per_key": 1, "burst_per_key": 2}' >"$work/config.json"
start_server --config "$work/config.json"
check "413 over the cap" test "$(code POST /v1/hash "$platform" --data-binary "@$work/s/beach.jpg")" = 413
code POST /v1/lookup "$platform" -d "$lookup_body" >/dev/null
code POST /v1/lookup "$platform" -d "$lookup_body" >/dev/null
check "429 past the burst" test "$(code POST /v1/lookup "$platform" -d "$lookup_body")" = 429
check "Retry-After" bash -c "curl -s -D - -o /dev/null -X POST -H 'Authorization: Bearer $platform' -H 'Content-Type: application/json' -d '$lookup_body' $url/v1/lookup | grep -qi '^Retry-After: [0-9]'"
kill -TERM "$pid"
wait "$pid"
pid=
printf '{"listen": 5}' >"$work/bad.json"
check "bad config refused" test "$("$jaga" serve --config "$work/bad.json" >/dev/null 2>&1; echo $?)" = 2
# A classifier model that does not load stops the start, with the reason; "off" runs without.
printf '{"format":"graph-model","modelTopology":{"node":[]},"weightsManifest":[]}' >"$work/model.json"
printf '{"classifier_model": "%s"}' "$work/model.json" >"$work/bad-model.json"
"$jaga" serve --config "$work/bad-model.json" --listen 127.0.0.1:0 >/dev/null 2>"$work/model-err.txt"
check "broken model refused" test $? -ne 0
check "says why" grep -q "no input or no output" "$work/model-err.txt"
printf '{"classifier_model": "off"}' >"$work/off.json"
start_server --config "$work/off.json"
check "unclassified scan" test "$(code POST '/v1/scan?content_id=post-off' "$platform" --data-binary "@$work/s/street.png")" = 201
check "classifier null" grep -q '"classifier": *null' "$work/body"
kill -TERM "$pid"
wait "$pid"
pid=

finish "server e2e"
