# Sourced by the CLI test scripts: check NAME COMMAND... counts a pass when COMMAND succeeds;
# skip NAME WHY counts a check that cannot run here; finish LABEL prints the closing line and
# sets the exit status.
passed=0
failed=0
skipped=0

check() {
    local name=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name" >&2
    fi
}

# skip NAME WHY: a check that cannot run here, said out loud.
skip() {
    skipped=$((skipped + 1))
    echo "SKIPPED: $1 ($2)"
}

finish() {
    echo "$1: $passed passed, $failed failed, $skipped skipped"
    test "$failed" -eq 0
}
