#!/usr/bin/env bash
# bench/video: vPDQ of a 1920x1080 30 fps H.264 clip (ffmpeg's test source, 20 s) at one
# hash a second against only decoding it, in one run.
#   bench/video/run.sh BUILD_DIR [RUNS]
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ffmpeg -loglevel error -f lavfi -i testsrc2=size=1920x1080:rate=30 -t 20 -pix_fmt yuv420p \
    -c:v libx264 -preset veryfast "$work/clip.mp4"
"$build/bench/bench_vpdq" "$work/clip.mp4" "${2:-3}"
