#!/usr/bin/env bash
# bench/exchange: the time from banking a hash at node a to its first match at node b (b
# subscribed to a's bank: signed batches, long polls) at 100 new hashes a second, p50 and p99,
# against the same time to a match at a itself, measured alternately in this run on loopback.
#   bench/exchange/run.sh BUILD_DIR [SECONDS_PER_ROUND] [RATE]
set -euo pipefail
build=$1
seconds=${2:-10}
rate=${3:-100}
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
jaga="$build/cli/jaga"

declare -A urls
start_node() {
    : >"$work/$1.out"
    "$jaga" serve --config "$work/config.json" --db "$work/$1.db" --listen 127.0.0.1:0 \
        >"$work/$1.out" 2>/dev/null &
    pids+=($!)
    for _ in $(seq 300); do
        urls[$1]=$(sed -n 's/^jaga serve: listening on //p' "$work/$1.out")
        [ -n "${urls[$1]}" ] && return 0
        sleep 0.1
    done
    echo "node $1 did not start" >&2
    exit 1
}

printf '{"rate_per_key": 1e9, "burst_per_key": 1e9, "geo_db": "", "classifier_model": "off"}' \
    >"$work/config.json"
admin=$("$jaga" key --db "$work/a.db" create --role admin 2>/dev/null)
see_a=$("$jaga" key --db "$work/a.db" create --role platform 2>/dev/null)
see_b=$("$jaga" key --db "$work/b.db" create --role platform 2>/dev/null)
"$jaga" bank --db "$work/a.db" create NCII >/dev/null
key_a=$("$jaga" exchange --db "$work/a.db" node-key)
key_b=$("$jaga" exchange --db "$work/b.db" node-key)
"$jaga" exchange --db "$work/a.db" peer add node-b --key "$key_b" --banks NCII >/dev/null
start_node a
"$jaga" exchange --db "$work/b.db" peer add node-a --key "$key_a" --url "${urls[a]}" >/dev/null
"$jaga" exchange --db "$work/b.db" subscribe node-a NCII >/dev/null
start_node b
sleep 3 # b's fetcher finds its subscription and starts its long poll

echo "bench/exchange: $rate hashes/s for ${seconds} s a round, $(nproc) cores, loopback"
echo "  round          n   p50 ms   p99 ms   max ms  lookup ms"
local_p50=() local_p99=() remote_p50=() remote_p99=()
for round in 1 2 3; do
    for where in local remote; do
        see_url=${urls[a]} see_key=$see_a
        [ "$where" = remote ] && see_url=${urls[b]} see_key=$see_b
        read -r n p50 p99 max lookup < <("$build/bench/bench_exchange" "${urls[a]}" "$admin" NCII \
            "$see_url" "$see_key" "$rate" "$seconds" "$round$([ "$where" = local ] && echo 0 || echo 1)")
        printf '  %-8s %7d %8.2f %8.2f %8.2f %9.2f\n' "$where" "$n" "$p50" "$p99" "$max" "$lookup"
        eval "${where}_p50+=($p50) ${where}_p99+=($p99)"
    done
done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
lp50=$(median "${local_p50[@]}") lp99=$(median "${local_p99[@]}")
rp50=$(median "${remote_p50[@]}") rp99=$(median "${remote_p99[@]}")
echo "  banked at a, matched at a (baseline): p50 $lp50 ms, p99 $lp99 ms (medians of 3 rounds)"
echo "  banked at a, matched at b (exchange): p50 $rp50 ms, p99 $rp99 ms"
awk -v a="$rp50" -v b="$lp50" -v c="$rp99" -v d="$lp99" \
    'BEGIN {printf "  ratio exchange / local: p50 %.2f, p99 %.2f\n", a / b, c / d}'
