#!/usr/bin/env bash
# End-to-end: a store that cannot be written. tests/e2e/writers.py calls every writer first
# with the server's writes failing, then healed: an I/O error on commit (the server's file
# size limit dropped to 0 by prlimit) and a full disk (the store on a small tmpfs, filled up;
# skipped, visibly, where tmpfs cannot be mounted). Each broken call answers 503 and leaves
# every table as it was, reads keep answering, and the healed call is acknowledged; after a
# restart every acknowledged write is there and jaga audit verify passes.
# usage: test_store_faults.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
writers="$(dirname "$0")/writers.py"
printf '{"admin": "%s", "platform": "%s", "regulator": "%s"}' \
    "$admin" "$platform" "$regulator" >"$work/keys.json"
# Deliveries to a closed port die at once, so that one can be retried.
printf '{"geo_db": "", "webhook_url": "http://127.0.0.1:9/hook", "webhook_attempts": 1,
  "webhook_secret_file": "%s"}' "$work/secret" >"$work/config.json"
(umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/secret")

run_writers() { # MODE [DISK]
    start_server --config "$work/config.json"
    BEACH_PDQ=$beach python3 "$writers" "$url" "$JAGA_DB" "$pid" "$work/keys.json" "$work/s/beach.jpg" "$@" \
        >"$work/writers.txt" 2>&1
    local status=$?
    cat "$work/writers.txt"
    [ "$status" = 0 ] || tail -5 "$work/err.txt"
    check "$1: every writer 503 and unchanged when broken, acknowledged when healed" test "$status" = 0
    kill -TERM "$pid"
    wait "$pid"
    start_server --config "$work/config.json"
    python3 "$writers" "$url" "$JAGA_DB" - "$work/keys.json" - check
    check "$1: nothing acknowledged was lost over a restart" test $? = 0
    kill -TERM "$pid"
    wait "$pid"
    pid=
    check "$1: jaga audit verify passes" "$jaga" audit verify
}

run_writers fsize
disk="$work/disk"
mkdir "$disk"
if mount -t tmpfs -o size=16m tmpfs "$disk" 2>/dev/null; then
    trap 'umount "$disk" 2>/dev/null; cleanup' EXIT
    cp -rp "$JAGA_DB"* "$disk/"
    export JAGA_DB="$disk/jaga.db"
    run_writers full "$disk"
else
    skip "disk full: tmpfs cannot be mounted here (needs root)"
fi
finish "store faults e2e"
