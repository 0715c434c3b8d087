#!/usr/bin/env bash
# bench/reports: durable report intake over HTTP (POST /v1/reports, acknowledged after its
# commit) with 32 concurrent clients, against inserting the same rows straight into SQLite
# with the same durability and 32 threads, in the same run (goal: >= 0.5); then claims with
# 16 concurrent moderators draining the queue those reports filled.
#   bench/reports/run.sh BUILD_DIR [REPORTS_PER_CLIENT]
set -euo pipefail
build=$1
per=${2:-100}
clients=32
moderators=16
. "$(dirname "$0")/../server_lib.sh"

echo "bench/reports: $clients clients x $per reports, $(nproc) cores"
platform=$("$jaga" key create --role platform 2>/dev/null)
lead=$("$jaga" key create --role admin 2>/dev/null)
printf '{"rate_per_key": 1e9, "burst_per_key": 1e9, "geo_db": "", "max_connections": 512}' \
    >"$work/config.json"
# Deepfake reports from a flagged country, each of its own content: a report row, a case, its
# source and history, a provisional hold, all in one transaction per report.
cat >"$work/report.json" <<'JSON'
{"content_id": "upload-%d", "category": "ncii_deepfake", "reporter_id": "user-7", "country": "MY", "text": "a fake of me"}
JSON
start_server "$work/config.json"
# Alternating runs, two of each, so that drift on a shared machine hits both alike.
raw=() http=()
for run in 1 2; do
    raw+=("$("$build/bench/sqlite_inserts" "$work/raw$run.db" "$clients" "$per" || true)")
    http+=("$(load "$clients" "$per" POST /v1/reports "$work/report.json" || true)")
    # The next run's reports are of other contents.
    sed -i "s/upload-/upload-$run-/" "$work/report.json"
done
echo "== report intake"
for i in 0 1; do
    echo "  SQLite inserts (32 threads): ${raw[$i]}"
    echo "  POST /v1/reports (32 clients): ${http[$i]}"
done
rate() { printf '%s\n' "$@" | awk '{s += $1} END {print s / NR}'; }
r=$(rate "${raw[@]}")
h=$(rate "${http[@]}")
awk -v h="$h" -v r="$r" 'BEGIN {printf "  ratio reports / SQLite inserts (means): %.3f (goal >= 0.5)\n", h / r}'
echo "== claims ($moderators moderators, the queue of $((2 * clients * per)) cases)"
claims=$((2 * clients * per / moderators))
out=$("$build/bench/scan_load" 127.0.0.1 "$port" "$lead" "$moderators" "$claims" POST '/v1/queue/claim?team=global')
echo "  POST /v1/queue/claim: $out"
awk -v c="${out%% *}" -v h="$h" 'BEGIN {printf "  claims / report intake: %.3f\n", c / h}'
