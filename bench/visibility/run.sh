#!/usr/bin/env bash
# bench/visibility: GET /v1/visibility against GET /healthz on the same server in the same
# run, keep-alive, loopback only (goal: >= 0.8 of healthz's requests/s); then visibility at
# half the rate it reached, on a fixed schedule, for its p99; and the library call in process.
#   bench/visibility/run.sh BUILD_DIR [RESTRICTIONS]
set -euo pipefail
build=$1
n=${2:-300000}
cores=$(nproc)
conns=$((2 * cores))
. "$(dirname "$0")/../server_lib.sh"

echo "bench/visibility: $n restrictions, $cores cores, $conns connections"
echo "== in process"
"$build/bench/bench_visibility" "$JAGA_DB" "$n"
platform=$("$jaga" key create --role platform 2>/dev/null)
printf '{"rate_per_key": 1e9, "burst_per_key": 1e9, "geo_db": ""}' >"$work/config.json"
start_server "$work/config.json"
per=10000
target="/v1/visibility?content_id=c%d&country=MY"
load "$conns" 2000 GET "$target" >/dev/null
# Alternating runs, three of each, so that drift on a shared machine hits both alike.
hs=() vs=()
for _ in 1 2 3; do
    hs+=("$(load "$conns" "$per" GET /healthz)")
    vs+=("$(load "$conns" "$per" GET "$target")")
done
mean() { printf '%s\n' "$@" | awk '{s += $1} END {print s / NR}'; }
h=$(mean "${hs[@]}")
v=$(mean "${vs[@]}")
half=$(awk -v v="$v" 'BEGIN {print v / 2}')
paced=$(LOAD_RATE=$half load "$conns" "$per" GET "$target")
echo "== over HTTP"
for i in 0 1 2; do
    echo "  GET /healthz      : ${hs[$i]}"
    echo "  GET /v1/visibility: ${vs[$i]}"
done
awk -v v="$v" -v h="$h" \
    'BEGIN {printf "  ratio visibility / healthz (means): %.3f (goal >= 0.8)\n", v / h}'
printf '  at half that load (%.0f requests/s, fixed schedule): %s\n' "$half" "$paced"
