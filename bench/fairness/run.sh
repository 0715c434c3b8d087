#!/usr/bin/env bash
# bench/fairness: /healthz from 127.0.0.2 on a fixed schedule, idle and then while 300
# connections from 127.0.0.1 trickle their headers a byte a second (the per-IP limit keeps 64
# of them); prints both p99s and their ratio (goal <= 10). Loopback only, bounded in time.
#   bench/fairness/run.sh BUILD_DIR
set -euo pipefail
build=$1
. "$(dirname "$0")/../server_lib.sh"
platform=$("$jaga" key create --role platform 2>/dev/null)
printf '{"geo_db": ""}' >"$work/config.json"
start_server "$work/config.json"
paced() { LOAD_SOURCE=127.0.0.2 LOAD_RATE=200 load 4 500 GET /healthz; }
p99() { sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' <<<"$1"; }
paced >/dev/null
idle=$(paced)
python3 "$(dirname "$0")/../../tests/e2e/trickle.py" "$port" 127.0.0.1 300 20 1 headers \
    >"$work/attack" &
attacker=$!
sleep 3
attacked=$(paced)
wait "$attacker"
echo "  idle                      : $idle"
echo "  during 300 slow clients   : $attacked"
echo "  attacker: $(cat "$work/attack")"
awk -v a="$(p99 "$attacked")" -v i="$(p99 "$idle")" \
    'BEGIN {printf "  ratio p99 attacked / idle: %.2f (goal <= 10)\n", a / i}'
