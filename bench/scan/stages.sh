#!/usr/bin/env bash
# bench/scan stages: where the time of one scan of a 1920x1080 JPEG goes (decode, digests,
# PDQ, each nsfwjs model, the blurred rendition's seed, matching against a bank of ENTRIES
# random PDQ hashes), one thread, each stage's share of the whole.
#   bench/scan/stages.sh BUILD_DIR [ENTRIES] [ROUNDS]
set -euo pipefail
build=$1
entries=${2:-1000000}
rounds=${3:-4}
. "$(dirname "$0")/../server_lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)

"$build/tools/make-samples" --jpeg 1920x1080 16 "$work/jpegs"
random_bank BIG "$entries"
models=()
for m in mobilenet_v2 mobilenet_v2_mid; do
    json=$root/.cache/models/nsfwjs/$m/model.json
    [ -f "$json" ] && models+=("$json")
done
[ ${#models[@]} -gt 0 ] || echo "no classifier models (scripts/fetch-data fetches them): classify left out"
echo "bank of $entries entries"
"$build/bench/scan_stages" "$JAGA_DB" "$rounds" "${models[@]}" -- "$work"/jpegs/*.jpg
