#!/usr/bin/env bash
# End-to-end: `jaga hash` over a folder of JPEGs against only decoding the same files with
# the same decoder (bench/decode_only, same thread count). Runs alternate; each figure is the
# median of its runs. Prints images/s for both and the ratio jaga/decode (goal <= 1.25).
#   bench/pdq/e2e.sh BUILD_DIR [WxH] [COUNT] [RUNS]
set -euo pipefail
build=$1
size=${2:-1920x1080}
count=${3:-48}
runs=${4:-7}
threads=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/tools/make-samples" --jpeg "$size" "$count" "$work/jpegs"
files=("$work"/jpegs/*.jpg)

elapsed() { # seconds taken by the command
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}'
}
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# Warm the page cache and both binaries once.
"$build/bench/decode_only" -j "$threads" "${files[@]}"
"$build/cli/jaga" hash -j "$threads" "${files[@]}" >/dev/null
: >"$work/decode.t"
: >"$work/hash.t"
for _ in $(seq "$runs"); do
    elapsed "$build/bench/decode_only" -j "$threads" "${files[@]}" >>"$work/decode.t"
    elapsed "$build/cli/jaga" hash -j "$threads" "${files[@]}" >>"$work/hash.t"
done
decode=$(median <"$work/decode.t")
hash=$(median <"$work/hash.t")
printf 'end to end, %d JPEGs of %s, %d threads, median of %d runs\n' "$count" "$size" "$threads" "$runs"
awk -v n="$count" -v d="$decode" -v h="$hash" 'BEGIN {
    printf "  decode only : %8.1f images/s\n", n / d
    printf "  jaga hash   : %8.1f images/s\n", n / h
    printf "  ratio jaga hash / decode only: %.3f (goal <= 1.25)\n", h / d }'
