# Sourced by the CLI test scripts: check NAME COMMAND... counts a pass when COMMAND succeeds;
# finish LABEL prints the closing line and sets the exit status.
passed=0
failed=0

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

finish() {
    echo "$1: $passed passed, $failed failed"
    test "$failed" -eq 0
}
