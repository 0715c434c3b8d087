#!/usr/bin/env bash
# End-to-end checks of jaga bank and jaga match on images the project generates itself.
# usage: test_bank_cli.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export JAGA_DB="$work/jaga.db"
. "$(dirname "$0")/check.sh"
status() { "$@" >/dev/null 2>&1; echo $?; }

"$make_samples" "$work/s" || { echo "make-samples failed" >&2; exit 1; }
"$jaga" hash "$work/s" >"$work/hashes.csv"
hash_of() { grep "/$1\$" "$work/hashes.csv" | cut -d, -f1; }
beach=$(hash_of beach.jpg)
street=$(hash_of street.png)

check "create" test "$(status "$jaga" bank create NCII_DEEPFAKES --description 'test bank')" = 0
check "create twice refused" test "$(status "$jaga" bank create NCII_DEEPFAKES)" = 1
check "bad name refused" test "$(status "$jaga" bank create lower_case)" = 1
check "bad threshold refused" test "$(status "$jaga" bank create X --threshold 64)" = 1
check "create strict" test "$(status "$jaga" bank create STRICT --signals pdq --threshold 2)" = 0

# Import with one malformed row: refused whole, with its line number; then skipped.
printf 'signal_type,signal,quality,labels\npdq,%s,100,category=ncii_deepfake\npdq,xyz,100,bad\nmd5,%s,,source=test\n' \
    "$beach" "$(md5sum <"$work/s/street.png" | cut -c1-32)" >"$work/bank.csv"
"$jaga" bank import NCII_DEEPFAKES "$work/bank.csv" >/dev/null 2>"$work/import.err"
check "malformed import fails" test $? -eq 1
check "line number reported" grep -q "bank.csv:3: " "$work/import.err"
check "nothing imported" bash -c "'$jaga' bank stats NCII_DEEPFAKES | grep -qE 'NCII_DEEPFAKES .* 0 +0\$'"
check "skip-bad imports" test "$(status "$jaga" bank import NCII_DEEPFAKES --skip-bad "$work/bank.csv")" = 0
check "two active" bash -c "'$jaga' bank stats NCII_DEEPFAKES | grep -qE 'NCII_DEEPFAKES .* 2 +0\$'"
printf 'pdq %s\n' "$beach" | "$jaga" bank import STRICT --format te - >/dev/null
check "te from stdin" bash -c "'$jaga' bank stats STRICT | grep -qE 'STRICT .* 1 +0\$'"

# Matching: the near-duplicate matches the lenient bank only, the md5 exactly.
"$jaga" match "$work/s/beach-half-size.jpg" >"$work/m1.csv"
check "near duplicate matches" test $? -eq 0
check "match line" grep -q "beach-half-size.jpg,NCII_DEEPFAKES,pdq,[0-9]*,[0-9]*,category=ncii_deepfake" "$work/m1.csv"
check "strict threshold holds" bash -c "! grep -q STRICT '$work/m1.csv'"
"$jaga" match "$work/s/street.png" >"$work/m2.csv"
check "md5 match" grep -q "street.png,NCII_DEEPFAKES,md5,0," "$work/m2.csv"
check "no match exits 1" test "$(status "$jaga" match "$work/s/portrait.webp")" = 1
check "hash argument" test "$(status "$jaga" match "$beach")" = 0
check "bank filter" test "$(status "$jaga" match --bank STRICT "$street")" = 1
check "dihedral finds the mirror" test "$(status "$jaga" match --dihedral "$work/s/beach-mirrored.png")" = 0
check "bad file exits 2" test "$(status "$jaga" match "$work/missing.png")" = 2

# Withdrawal stops matching at once; export keeps the record.
check "withdraw" test "$(status "$jaga" bank withdraw NCII_DEEPFAKES pdq "$beach")" = 0
check "withdrawn no longer matches" test "$(status "$jaga" match --bank NCII_DEEPFAKES "$beach")" = 1
check "withdraw unknown" test "$(status "$jaga" bank withdraw NCII_DEEPFAKES pdq "$street")" = 1
"$jaga" bank export NCII_DEEPFAKES --all >"$work/export.csv"
check "export keeps withdrawn" grep -q "pdq,$beach,100,category=ncii_deepfake,withdrawn," "$work/export.csv"

# StopNCII page: Active adds, Withdrawn withdraws.
printf '{"hashRecords":[{"signalType":"ImagePDQ","hashValue":"%s","hashStatus":"Active"},{"signalType":"ImagePDQ","hashValue":"%s","hashStatus":"Withdrawn"}]}' \
    "$street" "$beach" >"$work/page.json"
"$jaga" bank create STOPNCII >/dev/null
check "stopncii import" test "$(status "$jaga" bank import STOPNCII --format stopncii "$work/page.json")" = 0
check "stopncii entry matches" bash -c "'$jaga' match --bank STOPNCII '$street' | grep -q 'STOPNCII,pdq,0,.*source=stopncii'"

# ThreatExchange /threat_updates and NCMEC hash-sharing pages, as files.
printf '{"data":[{"id":"7","indicator":"%s","type":"HASH_PDQ","should_delete":false,"descriptors":{"data":[{"tags":["media_type_photo"]}]}}]}' \
    "$street" >"$work/te.json"
"$jaga" bank create TX >/dev/null
check "threatexchange import" test "$(status "$jaga" bank import TX --format threatexchange "$work/te.json")" = 0
check "threatexchange entry matches" bash -c "'$jaga' match --bank TX '$street' | grep -q 'source=threatexchange;te_id=7;tag=media_type_photo'"
printf '{"data":[{"id":"7","indicator":"%s","type":"HASH_PDQ","should_delete":true}]}' "$street" >"$work/te_delete.json"
check "threatexchange deletion" test "$(status "$jaga" bank import TX --format threatexchange "$work/te_delete.json")" = 0
check "deleted no longer matches" test "$(status "$jaga" match --bank TX "$street")" = 1
printf '<queryResult><images><image><id>i1</id><classification>A1</classification><fingerprints><pdq>%s</pdq></fingerprints></image></images></queryResult>' \
    "$street" >"$work/ncmec.xml"
"$jaga" bank create NCMEC >/dev/null
check "ncmec import" test "$(status "$jaga" bank import NCMEC --format ncmec "$work/ncmec.xml")" = 0
check "ncmec entry matches" bash -c "'$jaga' match --bank NCMEC '$street' | grep -q 'source=ncmec;ncmec_id=i1;classification=A1'"
echo '<queryResult><images><deletedImage><id>i1</id></deletedImage></images></queryResult>' >"$work/ncmec_delete.xml"
check "ncmec deletion" test "$(status "$jaga" bank import NCMEC --format ncmec "$work/ncmec_delete.xml")" = 0
check "ncmec deleted no longer matches" test "$(status "$jaga" match --bank NCMEC "$street")" = 1
echo '<queryResult><images>' >"$work/broken.xml"
check "malformed ncmec page refused" test "$(status "$jaga" bank import NCMEC --format ncmec "$work/broken.xml")" = 1

check "unknown bank" test "$(status "$jaga" bank import NOPE "$work/bank.csv")" = 1
check "usage" test "$(status "$jaga" bank frobnicate)" = 2

finish "bank cli"
