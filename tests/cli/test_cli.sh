#!/usr/bin/env bash
# End-to-end checks of the jaga command on images the project generates itself.
# usage: test_cli.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/check.sh"

"$make_samples" "$work/samples" || { echo "make-samples failed" >&2; exit 1; }
count=$(find "$work/samples" -type f | wc -l)

# csv: one hash,quality,path line per file, exit 0.
"$jaga" hash "$work/samples" >"$work/out.csv" 2>"$work/err.txt"
check "csv exit status" test $? -eq 0
check "csv one line per file" test "$(wc -l <"$work/out.csv")" -eq "$count"
check "csv line shape" bash -c "! grep -vE '^[0-9a-f]{64},[0-9]{1,3},.+$' '$work/out.csv'"
check "csv nothing on stderr" test ! -s "$work/err.txt"

# Near-duplicates land close to their original; distinct images far.
hash_of() { grep "/$1\$" "$work/out.csv" | cut -d, -f1; }
near=$("$jaga" distance "$(hash_of beach.jpg)" "$(hash_of beach-half-size.jpg)")
far=$("$jaga" distance "$(hash_of beach.jpg)" "$(hash_of street.png)")
check "resized copy within 31 bits ($near)" test "$near" -le 31
check "distinct images apart ($far)" test "$far" -gt 64

# A bad file among good ones: one error line, the good files still hashed, exit 1.
cp "$work/samples/street.png" "$work/good.png"
head -c 500 "$work/samples/beach.jpg" >"$work/truncated.jpg"
printf 'plain text' >"$work/notes.txt"
: >"$work/empty.jpg"
"$jaga" hash "$work/good.png" "$work/truncated.jpg" "$work/notes.txt" "$work/empty.jpg" \
    "$work/missing.png" >"$work/mixed.csv" 2>"$work/mixed.err"
check "bad files exit 1" test $? -eq 1
check "good file still hashed" test "$(wc -l <"$work/mixed.csv")" -eq 1
check "good file line" grep -q "good.png$" "$work/mixed.csv"
check "one error line per bad file" test "$(wc -l <"$work/mixed.err")" -eq 4
check "truncated named" grep -q "truncated.jpg: " "$work/mixed.err"
check "missing named" grep -q "missing.png: No such file" "$work/mixed.err"
check "no partial lines" bash -c "! grep -qE 'truncated|notes|empty|missing' '$work/mixed.csv'"

# json and jsonl carry digests and dimensions and parse as JSON.
"$jaga" hash --format json "$work/samples" >"$work/out.json"
check "json parses" python3 -c "
import json,sys
a=json.load(open('$work/out.json'))
assert len(a)==$count, len(a)
for o in a:
    assert len(o['pdq'])==64 and len(o['sha256'])==64 and len(o['md5'])==32
    assert o['width']>0 and o['height']>0 and 0<=o['quality']<=100
"
"$jaga" hash --format jsonl --dihedral "$work/samples" >"$work/out.jsonl"
check "jsonl parses" python3 -c "
import json
lines=open('$work/out.jsonl').read().splitlines()
assert len(lines)==$count
for l in lines:
    o=json.loads(l)
    assert sorted(o['dihedral'])==sorted(['rot90','rot180','rot270','flipx','flipy','flipplus1','flipminus1'])
"
check "json sha256 matches sha256sum" python3 -c "
import json,hashlib
for o in json.load(open('$work/out.json')):
    assert o['sha256']==hashlib.sha256(open(o['path'],'rb').read()).hexdigest()
    assert o['md5']==hashlib.md5(open(o['path'],'rb').read()).hexdigest()
"
"$jaga" hash --format json "$work/notes.txt" >"$work/empty.json" 2>/dev/null
check "json with only failures is an empty array" python3 -c "
import json; assert json.load(open('$work/empty.json'))==[]"

# Mirrored copy: its flipy dihedral hash of the original is close.
mirror=$(grep '"path":"[^"]*beach-mirrored.png"' "$work/out.jsonl" | python3 -c "import json,sys; print(json.load(sys.stdin)['pdq'])")
flipy=$(grep '"path":"[^"]*beach.jpg"' "$work/out.jsonl" | python3 -c "import json,sys; print(json.load(sys.stdin)['dihedral']['flipy'])")
d=$("$jaga" distance "$mirror" "$flipy")
check "mirror matches the flipy hash ($d)" test "$d" -le 31

# --dihedral csv: hash, quality, 7 hashes, path.
"$jaga" hash --dihedral "$work/good.png" >"$work/dih.csv"
check "dihedral csv fields" test "$(tr ',' '\n' <"$work/dih.csv" | wc -l)" -eq 10

# Paths from standard input, same output as arguments, in any thread count.
find "$work/samples" -type f | sort >"$work/list.txt"
"$jaga" hash -j 1 - <"$work/list.txt" >"$work/stdin.csv"
"$jaga" hash -j 2 $(cat "$work/list.txt") >"$work/args.csv"
check "stdin equals arguments" cmp -s "$work/stdin.csv" "$work/args.csv"
check "directory walk equals sorted list" cmp -s "$work/out.csv" "$work/args.csv"

# Names that need quoting.
cp "$work/good.png" "$work/a,b \"c\".png"
"$jaga" hash "$work/a,b \"c\".png" >"$work/quoted.csv"
check "csv quotes names" grep -q ',"[^"]*a,b ""c"".png"$' "$work/quoted.csv"

# Limits from flags.
"$jaga" hash --max-pixels 1000 "$work/good.png" >/dev/null 2>"$work/limit.err"
check "pixel limit refuses" grep -q "exceeds the limit" "$work/limit.err"
"$jaga" hash --max-bytes 1k "$work/good.png" >/dev/null 2>"$work/bytes.err"
check "byte limit refuses" grep -q "exceeds the limit of 1024" "$work/bytes.err"

# distance and usage errors.
zero=0000000000000000000000000000000000000000000000000000000000000000
ones=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
check "distance" test "$("$jaga" distance $zero $ones)" = 256
"$jaga" distance $zero xyz 2>/dev/null
check "distance rejects bad hash" test $? -eq 2
"$jaga" frobnicate 2>/dev/null
check "unknown command" test $? -eq 2
"$jaga" hash --format xml "$work/good.png" 2>/dev/null
check "unknown format" test $? -eq 2

# jaga policy: the shipped policy checks; a broken one names file, line and field.
src=$(cd "$(dirname "$0")/../.." && pwd)
check "policy check" "$jaga" policy check "$src/policy/default.json"
check "policy summary" bash -c "'$jaga' policy check '$src/policy/default.json' | grep -q 'MY Malaysia (flagged): notice 172800s'"
sed 's/"notice": "48h"/"notice": "48 hours"/' "$src/policy/default.json" >"$work/bad-policy.json"
"$jaga" policy check "$work/bad-policy.json" 2>"$work/policy-err" >/dev/null
check "broken policy fails" test $? -eq 1
line=$(grep -n '"notice": "48 hours"' "$work/bad-policy.json" | cut -d: -f1)
check "names file, line and field" grep -q "bad-policy.json:$line: jurisdictions\[0\].deadlines.notice: \"48 hours\" is not a duration" "$work/policy-err"
check "decide provisional" test "$("$jaga" policy decide "$src/policy/default.json" MY --label category=ncii_deepfake | cut -d' ' -f2-3)" = "withheld provisional"
check "decide verified" test "$("$jaga" policy decide "$src/policy/default.json" BR --verified-label category=ncii_deepfake | cut -d' ' -f1-3)" = "ZZ removed automated"
check "decide nothing" test "$("$jaga" policy decide "$src/policy/default.json" MY)" = "MY allow"
"$jaga" policy decide "$src/policy/default.json" MY --score 2>/dev/null
check "decide usage" test $? -eq 2

# jaga classify: five scores that sum to one per image; errors per file.
if [ ! -f "$src/.cache/models/nsfwjs/mobilenet_v2/model.json" ]; then
    skip "jaga classify" "no models in .cache: scripts/fetch-data fetches them"
else
    "$jaga" classify "$work/samples/beach.jpg" "$work/samples/street.png" >"$work/classes.jsonl"
    check "classify" test $? -eq 0
    check "classify: scores" python3 -c "
import json
lines = [json.loads(l) for l in open('$work/classes.jsonl')]
assert len(lines) == 2
for l in lines:
    s = l['scores']
    assert sorted(s) == ['drawing', 'hentai', 'neutral', 'porn', 'sexy'], s
    assert abs(sum(s.values()) - 1) < 1e-4 and all(0 <= v <= 1 for v in s.values()), s"
    printf 'not an image' >"$work/not.jpg"
    "$jaga" classify "$work/samples/beach.jpg" "$work/not.jpg" >"$work/classes.jsonl"
    check "classify: a bad file fails the run" test $? -eq 1
    check "classify: says why, keeps the others" python3 -c "
import json
lines = [json.loads(l) for l in open('$work/classes.jsonl')]
assert 'scores' in lines[0] and 'error' in lines[1], lines"
    "$jaga" classify --model "$work/none.json" "$work/samples/beach.jpg" 2>/dev/null
    check "classify: a missing model fails" test $? -eq 1
    "$jaga" classify --model "$src/.cache/models/nsfwjs/mobilenet_v2_mid/model.json" "$work/samples/beach.jpg" >/dev/null
    check "classify: the graph model too" test $? -eq 0
fi

# jaga blur: a JPEG of the image's aspect, at most --side on its longer side; errors.
"$jaga" blur "$work/samples/beach.jpg" "$work/blurred.jpg"
check "blur" test $? -eq 0
check "blur: a JPEG of 480 x 320" test "$(vipsheader -f width "$work/blurred.jpg")x$(vipsheader -f height "$work/blurred.jpg")" = 480x320
"$jaga" blur --side 64 "$work/samples/portrait.webp" "$work/small.jpg"
check "blur: --side" test "$(vipsheader -f width "$work/small.jpg")x$(vipsheader -f height "$work/small.jpg")" = 43x64
check "blur: smaller than the original" test "$(stat -c %s "$work/blurred.jpg")" -lt "$(stat -c %s "$work/samples/beach.jpg")"
printf 'not an image' >"$work/not-an-image.jpg"
"$jaga" blur "$work/not-an-image.jpg" "$work/x.jpg" 2>"$work/blur.err"
check "blur: a bad image fails" test $? -eq 1
check "blur: says why" grep -q "not-an-image.jpg: not a recognised image format" "$work/blur.err"
check "blur: writes nothing then" test ! -e "$work/x.jpg"
"$jaga" blur --side 0 "$work/samples/beach.jpg" "$work/x.jpg" 2>/dev/null
check "blur: --side 0 is a usage error" test $? -eq 2
"$jaga" blur "$work/samples/beach.jpg" 2>/dev/null
check "blur: OUT is needed" test $? -eq 2
"$jaga" blur "$work/samples/beach.jpg" "$work/no/such/dir/x.jpg" 2>/dev/null
check "blur: an unwritable OUT fails" test $? -eq 1

finish "cli"
