#!/usr/bin/env bash
# End-to-end: scans from several clients at once while an admin changes the banks; every
# scan is answered and stored once, the server stays up, bank changes land in order.
# usage: test_concurrency.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
start_server --threads 4
street=$("$jaga" hash "$work/s/street.png" | cut -d, -f1)

scanner() { # scanner N: 15 scans of alternating images, status codes to a file
    local n=$1
    for i in $(seq 15); do
        local img=beach.jpg
        [ $((i % 2)) = 0 ] && img=street.png
        curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $platform" \
            --data-binary "@$work/s/$img" "$url/v1/scan?content_id=c$n-$i" >>"$work/codes-$n"
    done
}
scanners=()
for n in 1 2 3 4; do
    scanner $n &
    scanners+=($!)
done
changes=0
for i in $(seq 10); do
    printf 'signal_type,signal\npdq,%s\n' "$street" >"$work/add.csv"
    [ "$(code POST /v1/banks/NCII_DEEPFAKES/entries "$admin" --data-binary "@$work/add.csv")" = 200 ] &&
        changes=$((changes + 1))
    [ "$(code POST /v1/banks/NCII_DEEPFAKES/withdraw "$admin" -d "{\"signal_type\":\"pdq\",\"values\":[\"$street\"]}")" = 200 ] &&
        changes=$((changes + 1))
done
wait "${scanners[@]}"
check "bank changes all answered" test "$changes" -eq 20
check "every scan created" test "$(cat "$work"/codes-* | grep -c '^201$')" -eq 60
check "server still up" test "$(code GET /healthz)" = 200
check "scans stored" test "$(code GET /v1/content/c3-15 "$platform")" = 200
code GET /metrics "$admin" >/dev/null
check "scans counted once" grep -q '^jaga_scans_total 60$' "$work/body"
lookup() { code POST /v1/lookup "$platform" -d "{\"pdq\":[\"$1\"]}"; }
lookup "$street" >/dev/null
check "last change (withdrawal) holds" grep -q '"matches":\[\]' "$work/body"
kill -TERM "$pid"
wait "$pid"
check "clean stop" test $? -eq 0
pid=

finish "concurrency e2e"
