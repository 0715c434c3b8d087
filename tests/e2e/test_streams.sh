#!/usr/bin/env bash
# End-to-end: live streams. A stream made of ffmpeg's test sources carries a banked clip in
# its middle; jaga watch reads it from standard input, TCP, UDP and an HLS playlist on
# loopback, and raises the match within 2 s of the frame that completes it; stalls,
# disconnects, stops and bad input end a watch with their status, and memory stays flat over
# a long stream. The server watches streams too (POST /v1/streams): events, the policy's
# case, webhooks, stops, the hosts allowed and the bound on streams at once.
# usage: test_streams.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ff() { ffmpeg -nostdin -loglevel error -y "$@"; }
v="$work/v"
mkdir -p "$v"
# 4 s of other video, the 8 s banked clip, 4 s of other video; a key frame every second.
ff -f lavfi -i testsrc2=size=320x240:rate=15:duration=8 -pix_fmt yuv420p "$v/banked.mp4"
ff -f lavfi -i mandelbrot=size=320x240:rate=15 -t 4 -pix_fmt yuv420p "$v/filler.mp4"
ff -i "$v/filler.mp4" -i "$v/banked.mp4" -i "$v/filler.mp4" -filter_complex '[0][1][2]concat=n=3' \
    -c:v libx264 -g 15 -pix_fmt yuv420p -f mpegts "$v/live.ts"
"$jaga" vpdq --te "$v/banked.mp4" |
    "$jaga" bank import NCII_DEEPFAKES --format te --labels category=ncii_deepfake - >/dev/null
send() { ff -re -i "$v/live.ts" -c copy -f "$@"; }
# stamp: each line of input after the seconds (since the epoch) it arrived.
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done; }
# the_match FILE: the match event's fields "bank entry_frames_found first_frame_time
# first_entry_time stream_time", from a watch's output.
the_match() { grep '"event":"match"' "$1" | head -1 | sed 's/^[0-9.]* //' | python3 -c '
import json, sys
e = json.load(sys.stdin)
print(e["bank"], e["entry_frames_found"], e["frames"][0]["stream_time"], e["frames"][0]["entry_timestamp"], e["stream_time"])'; }
end_status() { grep '"event":"end"' "$1" | sed 's/^[0-9.]* //' | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }

# Four watches side by side: standard input, TCP, UDP, HLS over HTTP.
t0=$(date +%s.%N)
(send mpegts - | "$jaga" watch --no-classify - | stamp >"$work/stdin.txt") &
watch_stdin=$!
tcp=$(free_port)
send mpegts "tcp://127.0.0.1:$tcp?listen=1" &
sleep 0.5
"$jaga" watch --no-classify "tcp://127.0.0.1:$tcp" >"$work/tcp.txt" &
watch_tcp=$!
udp=$(free_port)
"$jaga" watch --no-classify --stall 5 "udp://127.0.0.1:$udp" >"$work/udp.txt" &
watch_udp=$!
# The sender starts once the watch has its port (a datagram sent before is lost).
bound() { ! python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(('127.0.0.1', $1))" 2>/dev/null; }
wait_for "bound $udp"
send mpegts "udp://127.0.0.1:$udp?pkt_size=1316" &
mkdir -p "$work/hls"
http=$(free_port)
(cd "$work/hls" && exec python3 -m http.server "$http" --bind 127.0.0.1 >/dev/null 2>&1) &
helpers=$!
send hls -hls_time 1 -hls_list_size 0 "$work/hls/live.m3u8" &
wait_for "test -s '$work/hls/live.m3u8'"
"$jaga" watch --no-classify "http://127.0.0.1:$http/live.m3u8" >"$work/hls.txt" &
watch_hls=$!

wait "$watch_stdin"
check "stdin: the banked clip found at its place" test "$(the_match "$work/stdin.txt")" = "NCII_DEEPFAKES 4 4.0 0.0 7.0"
# Sent in real time from t0: the frame at stream_time T left ffmpeg after t0 + T.
check "stdin: raised within 2 s of the frame" python3 -c "
import sys
line = [l for l in open('$work/stdin.txt') if '\"match\"' in l][0]
arrived = float(line.split()[0]); t = float(line.split('\"stream_time\":')[1].split(',')[0])
sys.exit(0 if arrived - ($t0 + t) < 2.0 else 1)"
check "stdin: ended" test "$(end_status "$work/stdin.txt")" = ended
check "stdin: every frame" grep -q '"frames":240,"frames_hashed":16' "$work/stdin.txt"
wait "$watch_tcp"
check "tcp: exit 0 with a match" test $? = 0
check "tcp: the banked clip" test "$(the_match "$work/tcp.txt")" = "NCII_DEEPFAKES 4 4.0 0.0 7.0"
check "tcp: ended" test "$(end_status "$work/tcp.txt")" = ended
wait "$watch_udp"
check "udp: the banked clip" test "$(the_match "$work/udp.txt" | cut -d' ' -f1,4)" = "NCII_DEEPFAKES 0.0"
grep -q '"event":"match"' "$work/udp.txt" || cat "$work/udp.txt" >&2
check "udp: stalled once the sender stopped" test "$(end_status "$work/udp.txt")" = stalled
wait "$watch_hls"
check "hls: the banked clip" test "$(the_match "$work/hls.txt" | cut -d' ' -f1,2,4)" = "NCII_DEEPFAKES 4 0.0"
check "hls: ended with the playlist" test "$(end_status "$work/hls.txt")" = ended

# Ends: a sender that stops sending, one that goes away, a stop, input that is no stream.
(head -c 200000 "$v/live.ts"; sleep 6) | "$jaga" watch --no-classify --stall 1 - >"$work/stall.txt"
check "stall: stalled" test "$(end_status "$work/stall.txt")" = stalled
port=$(free_port)
send mpegts "tcp://127.0.0.1:$port?listen=1" &
sender=$!
sleep 0.5
"$jaga" watch --no-classify "tcp://127.0.0.1:$port" >"$work/gone.txt" &
watcher=$!
sleep 3
kill "$sender"
wait "$watcher"
check "sender gone: the watch ends" bash -c "grep -Eq '\"status\":\"(ended|disconnected)\"' '$work/gone.txt'"
(send mpegts - 2>/dev/null | "$jaga" watch --no-classify - >"$work/stop.txt") &
stopping=$!
sleep 3
pkill -TERM -f "jaga watch --no-classify -$"
wait "$stopping"
check "SIGTERM: stopped" test "$(end_status "$work/stop.txt")" = stopped
echo 'not a stream' | "$jaga" watch --no-classify - >"$work/bad.txt"
check "not a stream: exit 2" test $? = 2
check "not a stream: failed, saying why" grep -q '"status":"failed","frames":0.*"error":"' "$work/bad.txt"
"$jaga" watch --no-classify "$v/live.ts" >"$work/file.txt"
check "a path needs --files" grep -q 'tcp://, udp://' "$work/file.txt"
"$jaga" watch --no-classify --files "$v/live.ts" >"$work/file.txt"
check "--files reads a path" test "$(the_match "$work/file.txt" | cut -d' ' -f1)" = NCII_DEEPFAKES

# Memory stays flat: 20 minutes of video, as fast as it decodes; resident memory sampled.
# (Under AddressSanitizer freed memory is held in a quarantine: a small one here, so that
# what is measured is jaga's memory, not the quarantine filling up.)
ff -f lavfi -i testsrc=size=320x240:rate=30 -t 1200 -c:v libx264 -preset ultrafast -g 30 \
    -f mpegts - 2>/dev/null |
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4" \
        "$jaga" watch --no-classify - >"$work/long.txt" &
long=$!
sleep 1
watcher=$(pgrep -n -f 'jaga watch --no-classify -$')
: >"$work/rss.txt"
while kill -0 "$watcher" 2>/dev/null; do
    awk '/VmRSS/ {print $2}' "/proc/$watcher/status" >>"$work/rss.txt" 2>/dev/null
    sleep 0.5
done
wait "$long"
check "long stream: every frame" grep -q '"frames":36000,"frames_hashed":1200' "$work/long.txt"
check "long stream: memory flat (KiB)" python3 -c "
r = [int(x) for x in open('$work/rss.txt') if x.strip()]
half = r[len(r) // 4:]
print('resident KiB over the stream after its first quarter:', min(half), 'to', max(half))
assert len(r) >= 6 and max(half) - min(half) < 16 * 1024"

# The server: streams by API, every event through the policy, webhooks. The other video of
# the stream is banked too, as a regulator's notice: its match comes first and records the
# content, the banked clip's then adds its own restriction.
"$jaga" bank create MY_NOTICES >/dev/null
"$jaga" vpdq --te "$v/filler.mp4" |
    "$jaga" bank import MY_NOTICES --format te --labels notice_jurisdiction=MY - >/dev/null
start_receiver
cat >"$work/config.json" <<JSON
{"webhook_url": "http://127.0.0.1:$(cat "$work/hook_port")/hooks",
 "webhook_secret_file": "$work/secret", "webhook_backoff_s": 1, "sweep_interval_s": 1,
 "classifier_model": "off", "max_streams": 2, "stream_stall_s": 30}
JSON
start_server --config "$work/config.json"
stream() { code POST /v1/streams "$platform" -d "$1"; }
port=$(free_port)
send mpegts "tcp://127.0.0.1:$port?listen=1" &
sleep 0.5
check "a stream" test "$(stream "{\"url\": \"tcp://127.0.0.1:$port\", \"content_id\": \"live-1\", \"uploader_country\": \"MY\"}")" = 201
id=$(field "d['id']")
check "watching" test "$(field "d['state']")" = '"watching"'
state() { code GET "/v1/streams/$1" "$platform" >/dev/null; field "d['state']" | tr -d '"'; }
check "the stream ends" wait_for "test \"\$(state $id)\" = ended" 40
check "its match events" test "$(field "[(e['event'], e['bank'], e['frames'][0]['stream_time']) for e in d['events']]")" = '[["match", "MY_NOTICES", 0.0], ["match", "NCII_DEEPFAKES", 4.0]]'
check "its summary" test "$(field "d['summary']")" = '{"frames": 240, "frames_hashed": 16, "matches": 2, "explicit": 0}'
check "the content through the policy" test "$(code GET /v1/content/live-1 "$platform")" = 200
check "a review case" test "$(field "len(d['cases']) >= 1 and d['signals']['format'] == 'live'")" = true
check "each event's restriction" test "$(field "sorted(set(x['reason'] for x in d['restrictions']))")" = '["ncii_hash_match", "regulator_notice_match"]'

check "webhook stream.match" wait_for "grep -q '\"stream.match\"' '$work/hooks.log'"
check "webhook stream.ended" wait_for "grep -q '\"stream.ended\"' '$work/hooks.log'"

idle1=$(free_port)
idle2=$(free_port)
check "a stream waiting for its sender" test "$(stream "{\"url\": \"tcp://127.0.0.1:$idle1?listen=1\", \"content_id\": \"idle-1\"}")" = 201
first=$(field "d['id']")
check "a second" test "$(stream "{\"url\": \"tcp://127.0.0.1:$idle2?listen=1\", \"content_id\": \"idle-2\"}")" = 201
second=$(field "d['id']")
check "max_streams at once" test "$(stream "{\"url\": \"tcp://127.0.0.1:$idle2\", \"content_id\": \"x\"}")" = 429
check "stop" test "$(code DELETE "/v1/streams/$first" "$platform")" = 202
check "stopped" wait_for "test \"\$(state $first)\" = stopped"
check "room again" test "$(stream "{\"url\": \"tcp://127.0.0.1:$idle1?listen=1\", \"content_id\": \"idle-3\"}")" = 201
third=$(field "d['id']")
code DELETE "/v1/streams/$second" "$platform" >/dev/null
code DELETE "/v1/streams/$third" "$platform" >/dev/null
check "a host not allowed" test "$(stream '{"url": "tcp://10.1.2.3:9000", "content_id": "x"}')" = 400
check "says which hosts" grep -q '127.0.0.1,localhost' "$work/body"
check "no files" test "$(stream '{"url": "file:///etc/passwd", "content_id": "x"}')" = 400
check "no credentials in URLs" test "$(stream '{"url": "http://u:p@127.0.0.1/x.m3u8", "content_id": "x"}')" = 400
check "content_id required" test "$(stream "{\"url\": \"tcp://127.0.0.1:$idle1\"}")" = 400
check "unknown field" test "$(stream "{\"url\": \"tcp://127.0.0.1:$idle1\", \"content_id\": \"x\", \"x\": 1}")" = 400
check "unknown stream" test "$(code GET /v1/streams/999 "$platform")" = 404
check "moderators cannot" test "$(code GET "/v1/streams/$id" "$moderator")" = 403
check "the server stops with streams open" bash -c "kill -TERM $pid; wait $pid 2>/dev/null; true"
pid=
finish "streams e2e"
