#!/usr/bin/env bash
# End-to-end: the invariant that no input breaks. tests/e2e/malformed.py sends generated
# malformed values into every route the server lists (path segments, query arguments, JSON
# fields, form parts, bodies), a few thousand requests, asserting no 5xx, an answer to each,
# and no audit leaf left by an error answer; then that every leaf is served and rebuilds the
# head, and that the queue lists every open case. After the server stops, jaga audit verify
# passes on the store.
# usage: test_malformed.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
printf '{"geo_db": "", "rate_per_key": 1e9, "burst_per_key": 1e9, "sweep_interval_s": 3600,
  "max_body_bytes": 1048576, "max_import_bytes": 1048576}' >"$work/config.json"
"$jaga" serve --routes >"$work/routes.txt"
printf '{"admin": "%s", "platform": "%s", "moderator": "%s", "regulator": "%s",
  "auditor": "%s", "flagger": "%s"}' "$admin" "$platform" "$moderator" "$regulator" "$auditor" \
    "$flagger" >"$work/keys.json"
start_server --config "$work/config.json"
python3 "$(dirname "$0")/malformed.py" "$url" "$work/routes.txt" "$JAGA_DB" "$work/keys.json" \
    "$work/s/beach.jpg" >"$work/malformed.txt" 2>&1
status=$?
cat "$work/malformed.txt"
check "malformed input on every route: no 5xx, nothing half-written, invariants hold" test "$status" = 0
check "the server still answers" test "$(code GET /healthz)" = 200
kill -TERM "$pid"
wait "$pid"
pid=
check "jaga audit verify passes" "$jaga" audit verify
finish "malformed input e2e"
