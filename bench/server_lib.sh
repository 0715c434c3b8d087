# Sourced by the server benchmarks after setting build (the build folder): a scratch folder
# and store ($work, $JAGA_DB), $jaga, start_server CONFIG (sets pid and port: loopback, any
# free port) and load ARGS... (the load generator against it with $platform's key).
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
export JAGA_DB="$work/jaga.db"
jaga="$build/cli/jaga"

start_server() {
    : >"$work/out" # here, not in the child, which may come after the loop has read it
    "$jaga" serve --config "$1" --listen 127.0.0.1:0 >"$work/out" 2>/dev/null &
    pid=$!
    for _ in $(seq 300); do
        port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/out")
        [ -n "$port" ] && return 0
        sleep 0.1
    done
    echo "the server did not start" >&2
    exit 1
}

# random_bank NAME ENTRIES: a bank of ENTRIES random PDQ hashes (the same ones each run) in
# the store, their TE lines left in $work/bank.te.
random_bank() {
    python3 -c "
import random
random.seed(1)
for _ in range($2):
    print('pdq %064x' % random.getrandbits(256))" >"$work/bank.te"
    "$jaga" bank create "$1" >/dev/null
    "$jaga" bank import "$1" --format te "$work/bank.te" >/dev/null
}

load() { "$build/bench/scan_load" 127.0.0.1 "$port" "$platform" "$@"; }
