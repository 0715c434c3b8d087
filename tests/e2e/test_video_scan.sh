#!/usr/bin/env bash
# End-to-end: video scans as jobs. POST /v1/scan/video answers 202 with a job; the job ends
# done, with vPDQ matches against a banked clip (frame timestamps, shares), StopNCII
# VideoMD5 matches, the policy's cases, sampled classifier scores, and a signed webhook; or
# failed, saying why (truncated, not a video). A stored id answers at once (200, 409); a job
# interrupted by a stop runs again at the next start; the kept upload goes when its job ends.
# usage: test_video_scan.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)
clip() { ffmpeg -nostdin -loglevel error -y "$@"; }
v="$work/v"
mkdir -p "$v"
clip -f lavfi -i testsrc2=size=320x240:rate=15:duration=10 -pix_fmt yuv420p "$v/banked.mp4"
clip -i "$v/banked.mp4" -vf scale=480:360 -c:v libx264 -crf 30 "$v/reupload.mp4"
clip -f lavfi -i mandelbrot=size=320x240:rate=15 -t 6 -c:v libvpx "$v/other.webm"
clip -f lavfi -i smptebars=size=320x240:rate=15:duration=4 -pix_fmt yuv420p "$v/bars.mp4"
clip -f lavfi -i testsrc=size=1280x720:rate=30:duration=90 -c:v libx264 -preset ultrafast \
    -pix_fmt yuv420p "$v/long.mp4"
head -c "$(($(stat -c %s "$v/reupload.mp4") / 2))" "$v/reupload.mp4" >"$v/truncated.mp4"

"$jaga" vpdq --te "$v/banked.mp4" | "$jaga" bank import NCII_DEEPFAKES --format te --labels category=ncii_deepfake - >/dev/null
bars_md5=$(md5sum "$v/bars.mp4" | cut -d' ' -f1)
cat >"$work/fetch.json" <<JSON
{"hashRecords": [{"signalType": "VideoMD5", "hashValue": "$bars_md5", "hashStatus": "Active"}]}
JSON
"$jaga" bank import NCII_DEEPFAKES --format stopncii --labels category=ncii_deepfake "$work/fetch.json" >/dev/null
check "the banked clip is a vpdq entry" bash -c "'$jaga' bank export NCII_DEEPFAKES --format csv | grep -q '^vpdq,.*,category=ncii_deepfake,active,'"
check "the import's labels after the record's" bash -c "'$jaga' bank export NCII_DEEPFAKES --format csv | grep -q '^md5,$bars_md5,,source=stopncii;category=ncii_deepfake,'"

start_receiver
cat >"$work/config.json" <<JSON
{"webhook_url": "http://127.0.0.1:$(cat "$work/hook_port")/hooks",
 "webhook_secret_file": "$work/secret", "webhook_backoff_s": 1, "sweep_interval_s": 1}
JSON
start_server --config "$work/config.json"

# submit NAME FILE [ARGS]: the job's id after a 202 (the status code alone otherwise).
submit() {
    local status
    status=$(code POST "/v1/scan/video?content_id=$1&uploader_country=MY" "$platform" --data-binary "@$2")
    if [ "$status" = 202 ]; then field "d['id']"; else echo "$status"; fi
}
# state ID: the job's state, its body left in $work/body.
state() { code GET "/v1/scan/jobs/$1" "$platform" >/dev/null; field "d['state']" | tr -d '"'; }
ended() { local s; s=$(state "$1"); [ "$s" = done ] || [ "$s" = failed ]; }

job=$(submit vid-1 "$v/reupload.mp4")
check "202 with a job id" test "$job" -ge 1
check "queued or running at first" bash -c "grep -Eq '\"state\": \"(queued|running)\"' <(python3 -m json.tool '$work/body') || true"
check "the job ends" wait_for "ended $job" 60
check "done" test "$(state "$job")" = done
check "matched the banked clip by vPDQ" test "$(field "[m['bank'] + ':' + m['signal_type'] for m in d['result']['matches']]")" = '["NCII_DEEPFAKES:vpdq"]'
check "all of its frames" test "$(field "d['result']['matches'][0]['query_percent']")" = 100.0
check "the banked clip's frames" test "$(field "d['result']['matches'][0]['compared_percent']")" = 100.0
check "frame timestamps side by side" test "$(field "[(f['timestamp'], f['entry_timestamp']) for f in d['result']['matches'][0]['frames'][:3]]")" = '[[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]'
check "each within the threshold" test "$(field "max(f['distance'] for f in d['result']['matches'][0]['frames']) <= 31")" = true
check "a review case" test "$(field "len(d['result']['cases']) >= 1")" = true
check "a restriction" test "$(field "len(d['result']['restrictions']) >= 1")" = true
check "what the video was" test "$(field "[d['result']['video'][k] for k in ('width', 'height', 'frames', 'frames_hashed', 'codec')]")" = '[480, 360, 150, 10, "h264"]'
check "stored as mp4" test "$(field "d['result']['signals']['format']")" = '"mp4"'
check "sha256 of the file" test "$(field "d['result']['signals']['sha256']")" = "\"$(sha256sum "$v/reupload.mp4" | cut -d' ' -f1)\""
if [ -f "$src/.cache/models/nsfwjs/mobilenet_v2/model.json" ]; then
    check "frames classified" test "$(field "len(d['result']['video']['frames_classified'])")" = 10
    check "each class's highest score" test "$(field "all(abs(d['result']['classifier'][k] - max(f['scores'][k] for f in d['result']['video']['frames_classified'])) < 1e-6 for k in d['result']['classifier'])")" = true
else
    skip "frames classified" "no classifier model: scripts/fetch-data fetches it"
fi
check "the content stored" test "$(code GET /v1/content/vid-1 "$platform")" = 200
check "the upload is gone once scanned" bash -c "! ls '$JAGA_DB.jobs' | grep -q media"
check "webhook scan.completed" wait_for "grep -q '\"scan.completed\"' '$work/hooks.log'"
check "for that job" grep -q "\"job_id\": *$job" "$work/hooks.log"

check "same id, same bytes: the record" test "$(submit vid-1 "$v/reupload.mp4")" = 200
check "same id, other bytes: 409" test "$(submit vid-1 "$v/other.webm")" = 409

other=$(submit vid-2 "$v/other.webm")
check "webm ends" wait_for "ended $other"
check "webm done, no match" test "$(field "[d['state'], d['result']['matches']]")" = '["done", []]'
bars=$(submit vid-3 "$v/bars.mp4")
check "bars end" wait_for "ended $bars"
check "StopNCII VideoMD5 match" test "$(field "[m['signal_type'] for m in d['result']['matches']]")" = '["md5"]'

cut=$(submit vid-4 "$v/truncated.mp4")
check "truncated ends" wait_for "ended $cut"
check "truncated: failed, undecodable" test "$(field "[d['state'], d['error']['code']]")" = '["failed", "undecodable"]'
text=$(submit vid-5 "$src/README.md")
check "text ends" wait_for "ended $text"
check "not a video: failed" test "$(field "d['state']")" = '"failed"'
check "says why" test "$(field "d['error']['code'] in ('undecodable', 'unsupported_media')")" = true
check "failed content is not stored" test "$(code GET /v1/content/vid-5 "$platform")" = 404

check "content_id required" test "$(code POST /v1/scan/video "$platform" --data-binary "@$v/bars.mp4")" = 400
check "empty video" test "$(code POST '/v1/scan/video?content_id=e' "$platform" --data-binary '')" = 400
check "unknown job" test "$(code GET /v1/scan/jobs/999 "$platform")" = 404
check "not a job id" test "$(code GET /v1/scan/jobs/x1 "$platform")" = 404
check "moderators cannot read jobs" test "$(code GET "/v1/scan/jobs/$job" "$moderator")" = 403
check "nor regulators submit" test "$(code POST '/v1/scan/video?content_id=r' "$regulator" --data-binary "@$v/bars.mp4")" = 403

# A stop while a long video is scanned: the job stays, with its upload, and ends after the
# next start.
long=$(submit vid-6 "$v/long.mp4")
check "long job running" wait_for "test \"\$(state $long)\" = running" 60
kill -TERM "$pid"
wait "$pid" 2>/dev/null
pid=
check "unfinished across the stop" test "$(python3 -c "import sqlite3; print(sqlite3.connect('$JAGA_DB').execute('SELECT state FROM scan_jobs WHERE id = $long').fetchone()[0])")" = running
check "its upload kept" test -f "$JAGA_DB.jobs/$long.media"
start_server --config "$work/config.json"
check "queued again at start" grep -q "1 unfinished scan jobs queued again" "$work/err.txt"
check "long job ends after the restart" wait_for "ended $long" 60
check "done after the restart" test "$(state "$long")" = done
check "90 frames hashed" test "$(field "d['result']['video']['frames_hashed']")" = 90
finish "video scan e2e"
