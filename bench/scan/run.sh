#!/usr/bin/env bash
# bench/scan: POST /v1/scan of 1920x1080 JPEGs against `jaga hash` on the same files with the
# same cores, with a 1M-entry bank loaded (goal: the service keeps >= 0.85 of the CLI's
# throughput); then /v1/lookup with one hash per request against /healthz. Loopback only.
#   bench/scan/run.sh BUILD_DIR [ENTRIES]
set -euo pipefail
build=$1
entries=${2:-1000000}
cores=$(nproc)
. "$(dirname "$0")/../server_lib.sh"

"$build/tools/make-samples" --jpeg 1920x1080 48 "$work/jpegs"
random_bank BIG "$entries"
platform=$("$jaga" key create --role platform 2>/dev/null)
printf '{"rate_per_key": 1e9, "burst_per_key": 1e9, "threads": %d}' "$cores" >"$work/config.json"

elapsed() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}'
}
# The same 192 images each way (the 48 files four times, so that the CLI's start-up is a
# small share of its time); the CLI runs before and after the server, and the ratio is taken
# against the mean of the two.
images=()
for _ in 1 2 3 4; do images+=("$work"/jpegs/*.jpg); done
"$jaga" hash -j "$cores" "$work"/jpegs/*.jpg >/dev/null
hash_before=$(elapsed "$jaga" hash -j "$cores" "${images[@]}")

start_server "$work/config.json"
per=$((192 / cores))
load "$cores" "$per" POST "/v1/scan?content_id=warm-%d" "$work"/jpegs/*.jpg >/dev/null
scan=$(load "$cores" "$per" POST "/v1/scan?content_id=run-%d" "$work"/jpegs/*.jpg)
printf '{"pdq":["%s"]}' "$(head -1 "$work/bank.te" | cut -d' ' -f2)" >"$work/lookup.json"
lookup=$(load "$cores" 2000 POST /v1/lookup "$work/lookup.json")
health=$(load "$cores" 2000 GET /healthz)
kill "$pid"
wait "$pid" || true
pid=
hash_after=$(elapsed "$jaga" hash -j "$cores" "${images[@]}")
hash_rate=$(awk -v a="$hash_before" -v b="$hash_after" 'BEGIN {print 192 / ((a + b) / 2)}')

scan_rate=$(echo "$scan" | awk '{print $1}')
echo "bench/scan: $entries-entry bank, $cores cores, 1920x1080 JPEGs"
printf '  jaga hash -j %d : %8.1f images/s (mean of %.2f s before and %.2f s after)\n' \
    "$cores" "$hash_rate" "$hash_before" "$hash_after"
echo "  POST /v1/scan   : $scan"
awk -v s="$scan_rate" -v h="$hash_rate" \
    'BEGIN {printf "  ratio scan / jaga hash: %.3f (goal >= 0.85)\n", s / h}'
echo "  POST /v1/lookup : $lookup"
echo "  GET /healthz    : $health"
awk -v l="$(echo "$lookup" | awk '{print $1}')" -v z="$(echo "$health" | awk '{print $1}')" \
    'BEGIN {printf "  ratio lookup / healthz: %.3f\n", l / z}'
