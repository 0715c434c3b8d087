#!/usr/bin/env bash
# vPDQ: frame selection, timestamps and hashes of clips made here with ffmpeg's test sources
# (every container and codec jaga accepts; frames checked against jaga hash of the same frame
# as ffmpeg extracts it), refusals, and conformance with Meta's vpdq sample hashes in
# ../shared/vectors/pdq/vpdq (skipped, visibly, where that is absent).
# usage: test_vpdq.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../cli/check.sh"
src=$(cd "$(dirname "$0")/../.." && pwd)
clip() { ffmpeg -loglevel error -f lavfi -i "testsrc=size=$1:rate=$2" -t "$3" "${@:5}" "$work/$4"; }

clip 320x240 30 3 clip.mp4 -pix_fmt yuv420p -c:v libx264
"$jaga" vpdq "$work/clip.mp4" >"$work/out.txt"
check "one hash a second" test "$(cut -d, -f1,4 "$work/out.txt" | tr '\n' ' ')" = "0,0.000 30,1.000 60,2.000 "
check "line format" grep -qE '^30,[0-9]+,[0-9a-f]{64},1\.000$' "$work/out.txt"
check "every frame with 0" test "$("$jaga" vpdq --seconds-per-hash 0 "$work/clip.mp4" | wc -l)" -eq 90
check "every half second" test "$("$jaga" vpdq --seconds-per-hash 0.5 "$work/clip.mp4" | cut -d, -f1 | tr '\n' ' ')" = "0 15 30 45 60 75 "
# Frame 30 as ffmpeg extracts it with the same conversion hashes the same as an image.
ffmpeg -loglevel error -i "$work/clip.mp4" -vf 'select=eq(n\,30)' -frames:v 1 -pix_fmt rgb24 \
    -sws_flags area+accurate_rnd "$work/frame30.png"
check "a frame hashes as the same image" test "$("$jaga" hash "$work/frame30.png" | cut -d, -f1)" = \
    "$(sed -n 2p "$work/out.txt" | cut -d, -f3)"

# Every container and codec jaga accepts.
clip 64x48 25 2 clip.mkv -c:v mpeg4
clip 64x48 25 2 clip.webm -c:v libvpx-vp9
clip 64x48 25 2 clip.ts -c:v mpeg2video
clip 64x48 25 2 clip.avi -c:v mjpeg
clip 64x48 25 2 clip.flv -c:v flv1
clip 64x48 25 2 clip.mov -c:v libx264 -pix_fmt yuv420p
for f in clip.mkv clip.webm clip.ts clip.avi clip.mov; do
    check "$f decodes" test "$("$jaga" vpdq --seconds-per-hash 0 "$work/$f" | wc -l)" -eq 50
done
"$jaga" vpdq "$work/clip.flv" >/dev/null 2>"$work/err.txt"
check "flv1 (Sorenson) is not a codec jaga decodes" grep -q "unsupported video codec (flv1)" "$work/err.txt"

# Refusals: each with its reason and exit status 1.
refused() {
    local name=$1 file=$2 why=$3
    "$jaga" vpdq "$work/$file" >"$work/out.txt" 2>"$work/err.txt"
    check "$name: exit 1" test $? -eq 1
    check "$name: says why" grep -q "$why" "$work/err.txt"
    check "$name: no partial hashes" test ! -s "$work/out.txt"
}
head -c 9000 "$work/clip.mkv" >"$work/cut.mkv"
refused "a cut Matroska file" cut.mkv "truncated"
head -c 9000 "$work/clip.mp4" >"$work/cut.mp4"
refused "a cut MP4 file" cut.mp4 "not a readable video"
python3 -c "
d = bytearray(open('$work/clip.mp4', 'rb').read())
for i in range(5000, 15000, 7):
    d[i] ^= 0x5a
open('$work/corrupt.mp4', 'wb').write(d)"
refused "corrupt frames" corrupt.mp4 "corrupt video data"
ffmpeg -loglevel error -f lavfi -i "sine=frequency=440" -t 1 "$work/audio.mkv"
refused "no video stream" audio.mkv "no video stream"
ffmpeg -loglevel error -f lavfi -i testsrc=size=64x48:rate=10 -t 1 "$work/anim.gif"
refused "a GIF" anim.gif "not a container jaga reads"
printf '#EXTM3U\n#EXTINF:1,\nclip.ts\n' >"$work/list.m3u8"
refused "a playlist (would read other files)" list.m3u8 "not a"
: >"$work/empty.mp4"
refused "an empty file" empty.mp4 "empty input"
refused "a missing file" none.mp4 "not a readable file"
"$jaga" vpdq --seconds-per-hash -1 "$work/clip.mp4" 2>/dev/null
check "negative seconds are a usage error" test $? -eq 2

# Matching with vpdq's rules: a smaller, harder-compressed copy matches; another video does
# not; a video matches its own hash file; a malformed hash file is refused with its line.
ffmpeg -loglevel error -f lavfi -i testsrc2=size=320x240:rate=30 -t 3 -pix_fmt yuv420p \
    -c:v libx264 "$work/moving.mp4"
ffmpeg -loglevel error -i "$work/moving.mp4" -vf scale=160:120 -c:v libx264 -crf 34 "$work/copy.mp4"
ffmpeg -loglevel error -f lavfi -i smptebars=size=320x240:rate=30 -t 3 -pix_fmt yuv420p \
    -c:v libx264 "$work/bars.mp4"
"$jaga" vpdq "$work/clip.mp4" >"$work/clip.txt"
check "a re-encoded copy matches" grep -q ': match$' <("$jaga" vpdq --compare "$work/copy.mp4" "$work/moving.mp4")
check "another video does not" grep -q ': no match$' <("$jaga" vpdq --compare "$work/bars.mp4" "$work/moving.mp4")
check "a video matches its hash file" test "$("$jaga" vpdq --compare "$work/clip.mp4" "$work/clip.txt")" = \
    "query 100.0% of 3 frames, compared 100.0% of 3 frames: match"
check "thresholds" grep -q ': no match$' <("$jaga" vpdq --compare --query-percent 100 --compared-percent 100 "$work/clip.mp4" "$work/moving.mp4")
sed '2s/,100,/,101,/' "$work/clip.txt" >"$work/bad.txt"
"$jaga" vpdq --compare "$work/clip.mp4" "$work/bad.txt" 2>"$work/err.txt"
check "a malformed hash file: exit 1" test $? -eq 1
check "a malformed hash file: its line" grep -q "bad.txt: line 2: not frame,quality,hex,timestamp" "$work/err.txt"
"$jaga" vpdq --compare "$work/clip.mp4" 2>/dev/null
check "compare needs two" test $? -eq 2
"$jaga" vpdq --compare --query-percent 101 "$work/clip.mp4" "$work/clip.txt" 2>/dev/null
check "percentages to 100" test $? -eq 2

# Conformance with vpdq's sample hashes: the same frames and timestamps; hashes within 6
# bits where quality >= 50.
vectors=${JAGA_SHARED_DIR:-$src/../shared}/vectors/pdq/vpdq
if [ ! -d "$vectors/videos" ]; then
    skip "vpdq sample hashes" "no shared reference vectors at $vectors"
else
    for v in "$vectors"/videos/*.mp4; do
        name=$(basename "$v" .mp4)
        "$jaga" vpdq --seconds-per-hash 0 "$v" >"$work/$name.txt"
        check "$name: hashed" test $? -eq 0
        check "$name: same frames and timestamps" python3 - "$work/$name.txt" "$vectors/sample-hashes/$name.txt" <<'PY'
import sys
ours = [l.strip().split(",") for l in open(sys.argv[1])]
ref = [l.strip().split(",") for l in open(sys.argv[2])]
assert len(ours) == len(ref), (len(ours), len(ref))
assert all(a[0] == b[0] and a[3] == b[3] for a, b in zip(ours, ref))
PY
        check "$name: within 6 bits where quality >= 50" python3 - "$work/$name.txt" "$vectors/sample-hashes/$name.txt" <<'PY'
import sys
ours = [l.strip().split(",") for l in open(sys.argv[1])]
ref = [l.strip().split(",") for l in open(sys.argv[2])]
worst = max(bin(int(a[2], 16) ^ int(b[2], 16)).count("1") for a, b in zip(ours, ref) if int(b[1]) >= 50)
print(f"{sys.argv[1]}: worst {worst} bits")
assert worst <= 6, worst
PY
    done
    # Variants of one video: resized and logo'd copies match, letterbox bars and other
    # videos do not (PDQ is not made to see through bars).
    s=$vectors/sample-hashes
    check "chair: resized matches" grep -q ': match$' <("$jaga" vpdq --compare "$s/chair-orig-22-fhd-no-bar.txt" "$s/chair-orig-22-hd-no-bar.txt")
    check "chair: a small logo matches" grep -q ': match$' <("$jaga" vpdq --compare "$s/chair-22-with-small-logo-bar.txt" "$s/chair-orig-22-sd-bar.txt")
    check "chair: bars do not" grep -q ': no match$' <("$jaga" vpdq --compare "$s/chair-orig-22-sd-bar.txt" "$s/chair-orig-22-hd-no-bar.txt")
    check "chair is not the pattern" grep -q ': no match$' <("$jaga" vpdq --compare "$s/chair-orig-22-hd-no-bar.txt" "$s/pattern-hd-no-bar.txt")
fi

finish "vpdq"
