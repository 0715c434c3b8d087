#!/usr/bin/env bash
# End-to-end: connections an attacker holds open. 300 connections from one address trickling
# their headers a byte a second keep at most max_connections_per_ip; /healthz from another
# loopback address answers every request meanwhile. Bodies that trickle are closed once they
# fall under min_body_rate. An attacker gone silent without closing (stopped) is reaped by the
# idle timeout, and its address can connect again within seconds.
# usage: test_fairness.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
printf '{"geo_db": "", "timeout_s": 3, "max_connections_per_ip": 64}' >"$work/config.json"
start_server --config "$work/config.json"
port=${url##*:}
trickle="$(dirname "$0")/trickle.py"
healthz() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 --interface "$1" "$url/healthz"; }

python3 "$trickle" "$port" 127.0.0.1 300 12 1 headers >"$work/headers.txt" &
attacker=$!
helpers="$attacker"
sleep 2
answered=0
for _ in $(seq 20); do
    [ "$(healthz 127.0.0.2)" = 200 ] && answered=$((answered + 1))
    sleep 0.2
done
check "healthz from 127.0.0.2 answers 20 of 20 during 300 trickling connections" test "$answered" = 20
wait "$attacker"
check "the attacker kept at most 64" grep -Eq 'opened 300 closed_by_server (23[6-9]|2[4-9][0-9]|300)$' "$work/headers.txt"

python3 "$trickle" "$port" 127.0.0.1 300 10 1 body "$platform" >"$work/body.txt" &
attacker=$!
helpers="$attacker"
wait "$attacker"
check "every trickling body is closed" grep -q 'opened 300 closed_by_server 300$' "$work/body.txt"
check "named in the log" grep -q 'closed: the body came at under 1024 bytes/s' "$work/err.txt"

# A stopped attacker holds its 64 slots until the idle timeout (3 s here) closes them.
python3 "$trickle" "$port" 127.0.0.3 64 60 1 headers >/dev/null &
attacker=$!
helpers="$attacker"
sleep 1.5
kill -STOP "$attacker"
check "its address is at the limit" test "$(healthz 127.0.0.3)" = 000
start=$(date +%s)
check "reaped within seconds" wait_for '[ "$(healthz 127.0.0.3)" = 200 ]' 10
check "within twice the idle timeout" test $(($(date +%s) - start)) -le 6
kill -CONT "$attacker"
kill "$attacker"
check "the server still answers" test "$(code GET /healthz)" = 200
finish "connection fairness e2e"
