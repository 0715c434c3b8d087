# Sourced by the end-to-end server tests (after setting jaga and make_samples): a scratch
# folder and store, sample images, a key per role (and a revoked one), a bank holding the
# beach photo's hash, start_server [ARGS] (sets url and pid), code METHOD PATH [KEY] [ARGS],
# field EXPR, wait_for CONDITION [SECONDS] and start_receiver (a webhook endpoint). Processes
# a test starts itself and adds to helpers are stopped at the end too.
work=$(mktemp -d)
pid=
receiver=
helpers=
cleanup() {
    for p in $pid $receiver $helpers; do kill "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
export JAGA_DB="$work/jaga.db"
. "$(dirname "$0")/../cli/check.sh"

"$make_samples" "$work/s" >/dev/null || { echo "make-samples failed" >&2; exit 1; }
admin=$("$jaga" key create --role admin 2>/dev/null)
platform=$("$jaga" key create --role platform 2>/dev/null)
moderator=$("$jaga" key create --role moderator --team malay 2>/dev/null)
regulator=$("$jaga" key create --role regulator --jurisdiction MY 2>/dev/null)
auditor=$("$jaga" key create --role auditor 2>/dev/null)
flagger=$("$jaga" key create --role flagger 2>/dev/null)
revoked=$("$jaga" key create --role platform 2>/dev/null)
"$jaga" key revoke "$(echo "$revoked" | cut -c6-17)" >/dev/null
"$jaga" bank create NCII_DEEPFAKES >/dev/null
beach=$("$jaga" hash "$work/s/beach.jpg" | cut -d, -f1)
echo "pdq $beach" | "$jaga" bank import NCII_DEEPFAKES --format te - >/dev/null

start_server() {
    # Emptied here, not by the redirection below: that runs in the child, which may come after
    # the loop has read the previous server's address.
    : >"$work/out.txt"
    "$jaga" serve --listen 127.0.0.1:0 "$@" >"$work/out.txt" 2>"$work/err.txt" &
    pid=$!
    for _ in $(seq 100); do
        url=$(sed -n 's/^jaga serve: listening on //p' "$work/out.txt")
        [ -n "$url" ] && return 0
        sleep 0.1
    done
    echo "server did not start" >&2
    cat "$work/err.txt" >&2
    exit 1
}
# code METHOD PATH [KEY] [curl args...]: the status code alone. A body given with -d is
# sent as application/json.
code() {
    local method=$1 path=$2 key=${3:-}
    shift 3 2>/dev/null || shift $#
    local auth=()
    [ -n "$key" ] && auth=(-H "Authorization: Bearer $key")
    [[ " $* " == *" -d "* ]] && auth+=(-H "Content-Type: application/json")
    curl -s -o "$work/body" -w '%{http_code}' -X "$method" "${auth[@]}" "$@" "$url$path"
}

# field EXPR: a Python expression over the last response's body as d, printed as JSON.
field() { python3 -c "import json,sys; d=json.load(open('$work/body')); print(json.dumps(eval(sys.argv[1])))" "$1"; }

# wait_for 'CONDITION' [SECONDS]: evaluates it every 0.1 s for up to SECONDS (25).
wait_for() {
    for _ in $(seq $((${2:-25} * 10))); do eval "$1" && return 0; sleep 0.1; done
    return 1
}

# start_receiver: the platform's webhook endpoint (tests/e2e/webhook_receiver.py) on a free
# loopback port, in $work/hook_port, logging to $work/hooks.log, with the secret in
# $work/secret (made on first use); sets receiver.
start_receiver() {
    [ -s "$work/secret" ] || (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/secret")
    : >"$work/hook_port"
    python3 "$(dirname "${BASH_SOURCE[0]}")/webhook_receiver.py" "$work/secret" "$work/hooks.log" \
        "$work/hook_port" &
    receiver=$!
    for _ in $(seq 50); do [ -s "$work/hook_port" ] && break; sleep 0.1; done
}

# run_browser WHAT MIN_OK SCRIPT ARGS...: runs tests/e2e/SCRIPT in Debian's chromium (node,
# playwright-core from .cache/node) with the playwright folder and $url before ARGS, a check
# per line it prints and one that it ran at least MIN_OK of them; skipped, visibly, where
# chromium or playwright-core is missing.
run_browser() {
    local what=$1 min=$2 script=$3 status name
    shift 3
    local root playwright
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    playwright="$root/.cache/node"
    if [ ! -d "$playwright/node_modules/playwright-core" ] || [ ! -x /usr/bin/chromium ]; then
        skip "chromium: $what" "no playwright-core or chromium: scripts/fetch-data and scripts/bootstrap install them"
        return
    fi
    node "$root/tests/e2e/$script" "$playwright" "$url" "$@" >"$work/browser.txt" 2>&1
    cat "$work/browser.txt"
    while read -r status name; do
        check "chromium: $name" test "$status" = ok
    done <"$work/browser.txt"
    check "chromium ran every check" test "$(grep -c '^ok ' "$work/browser.txt")" -ge "$min"
}
