#!/usr/bin/env bash
# End-to-end: blurred renditions over HTTP. GET /v1/media/{id}?variant=blurred is the JPEG
# that `jaga blur` draws of the same file, cacheable by its ETag, for the roles that serve or
# review content only (moderators: of their teams' cases); content without a rendition, and a
# damaged seed, are told apart.
# usage: test_media.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
start_server
media() { code GET "/v1/media/$1" "${@:2}"; }
header() { curl -s -D - -o /dev/null -H "Authorization: Bearer $platform" "${@:2}" "$url/v1/media/$1" | tr -d '\r' | sed -n "s/^$3: //Ip"; }

check "scan" test "$(code POST '/v1/scan?content_id=post-1' "$platform" --data-binary "@$work/s/beach.jpg")" = 201
check "rendition" test "$(media 'post-1?variant=blurred' "$platform")" = 200
cp "$work/body" "$work/served.jpg"
check "a JPEG" bash -c "vipsheader '$work/served.jpg' | grep -q jpegload && head -c 3 '$work/served.jpg' | od -An -tx1 | grep -q 'ff d8 ff'"
check "image/jpeg" test "$(header 'post-1?variant=blurred' x Content-Type)" = image/jpeg
check "the same as jaga blur draws" bash -c "'$jaga' blur '$work/s/beach.jpg' '$work/cli.jpg' && cmp -s '$work/cli.jpg' '$work/served.jpg'"
check "at most 480 pixels a side" test "$(vipsheader -f width "$work/served.jpg")" -le 480
etag=$(header 'post-1?variant=blurred' x ETag)
check "an ETag" bash -c "[[ '$etag' == '\"blurred-'* ]]"
check "cacheable, privately" test "$(header 'post-1?variant=blurred' x Cache-Control)" = "private, max-age=31536000, immutable"
check "not modified" test "$(media 'post-1?variant=blurred' "$platform" -H "If-None-Match: $etag")" = 304
check "served again from the cache" test "$(media 'post-1?variant=blurred' "$platform")" = 200
check "cached bytes the same" cmp -s "$work/body" "$work/served.jpg"
# A moderator sees the renditions of its teams' cases only, as it sees their case pages.
check "no case, no moderator" test "$(media 'post-1?variant=blurred' "$moderator")" = 404
check "a report opens a case" test "$(code POST /v1/reports "$platform" -d '{"content_id":"post-1","category":"ncii_deepfake","country":"BR"}')" = 201
team=$(code GET /v1/content/post-1 "$admin" >/dev/null; field "d['cases'][0]['team']" | tr -d '"')
check "another team's moderator does not" test "$(media 'post-1?variant=blurred' "$moderator")" = 404
reviewer=$("$jaga" key create --role moderator --team "$team" 2>/dev/null)
check "the case team's moderator sees it" test "$(media 'post-1?variant=blurred' "$reviewer")" = 200
check "admins see it" test "$(media 'post-1?variant=blurred' "$admin")" = 200
check "regulators do not" test "$(media 'post-1?variant=blurred' "$regulator")" = 403
check "auditors do not" test "$(media 'post-1?variant=blurred' "$auditor")" = 403
check "a key is needed" test "$(media 'post-1?variant=blurred' "")" = 401
check "variant required" test "$(media post-1 "$platform")" = 400
check "no originals" test "$(media 'post-1?variant=original' "$platform")" = 400
check "says why" grep -q "keeps no original" "$work/body"
check "unknown content" test "$(media 'nope?variant=blurred' "$platform")" = 404

# Content stored without a seed (scanned by an older jaga), and one whose seed was damaged.
check "scan 2" test "$(code POST '/v1/scan?content_id=post-2' "$platform" --data-binary "@$work/s/street.png")" = 201
check "scan 3" test "$(code POST '/v1/scan?content_id=post-3' "$platform" --data-binary "@$work/s/portrait.webp")" = 201
python3 - "$JAGA_DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=10)
db.execute("UPDATE contents SET blur_seed = NULL WHERE content_id = 'post-2'")
db.execute("UPDATE contents SET blur_seed = X'01100900' WHERE content_id = 'post-3'")
db.commit()
PY
check "no rendition" test "$(media 'post-2?variant=blurred' "$platform")" = 404
check "no_rendition" grep -q '"no_rendition"' "$work/body"
check "damaged seed" test "$(media 'post-3?variant=blurred' "$platform")" = 503
check "the server is still up" test "$(code GET /healthz)" = 200

finish "media e2e"
