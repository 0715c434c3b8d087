#!/usr/bin/env bash
# End-to-end: `jaga export sor` writes the statements of reasons jaga made (people's decisions
# through the API, automated restrictions of scans and reports) as DSA Transparency Database
# submissions, and a validator written from the database's rules (sor_validator.py) holds every
# exported record to them; the validator itself refuses records broken in each way it checks.
# usage: test_sor.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
validator="$(dirname "$0")/sor_validator.py"

field() { python3 -c "import json,sys; d=json.load(open('$work/body')); print(eval(sys.argv[1]))" "$1"; }
scan() { code POST "/v1/scan?content_id=$1&uploader_country=$2" "$platform" --data-binary "@$work/s/$3"; }
# decide KEY CONTENT CATEGORY COUNTRY DECISION: a report, a claim and a decision by an admin.
decide() {
    code POST /v1/reports "$1" -d "{\"content_id\":\"$2\",\"category\":\"$3\",\"country\":\"$4\"}" >/dev/null
    local case_id
    case_id=$(field "d['case_id']")
    code POST "/v1/cases/$case_id/claim" "$admin" >/dev/null
    code POST "/v1/cases/$case_id/decision" "$admin" -d "$5"
}
# statements FILE: the exported statements, one JSON object a line.
statements() { python3 -c "
import json, sys
for line in open(sys.argv[1]):
    for s in json.loads(line)['statements']: print(json.dumps(s))" "$1"; }

"$jaga" bank create VERIFIED_NCII --verified >/dev/null
portrait=$("$jaga" hash "$work/s/portrait.webp" | cut -d, -f1)
street=$("$jaga" hash "$work/s/street.png" | cut -d, -f1)
echo "pdq $portrait" | "$jaga" bank import VERIFIED_NCII --format te --labels category=ncii_deepfake - >/dev/null
"$jaga" bank create NCII >/dev/null
echo "pdq $street" | "$jaga" bank import NCII --format te --labels category=ncii_deepfake - >/dev/null

start_server
for n in 1 2 3 4 9; do
    check "post-$n scanned" test "$(scan post-$n DE overlay.png)" = 201
done
# Automated restrictions: a verified-bank removal (no person), an unverified match's hold.
check "verified match removed" test "$(scan auto-1 DE portrait.webp)" = 201
check "unverified match held" test "$(scan auto-2 DE street.png)" = 201
check "deepfake removed" test "$(decide "$platform" post-1 ncii_deepfake FR '{"action":"remove","ground":"terms","category":"ncii_deepfake","note":"the person depicted reported it"}')" = 200
check "hate withheld in DE and FR" test "$(decide "$flagger" post-2 hate_speech DE '{"action":"withhold","countries":["DE","FR"],"ground":"terms","category":"hate_speech"}')" = 200
check "adult content blurred in the EU" test "$(decide "$platform" post-3 adult_content IT '{"action":"blur","ground":"terms","category":"adult_content"}')" = 200
check "nudity age-gated" test "$(decide "$platform" post-4 nudity ES '{"action":"age_gate","ground":"terms","category":"nudity"}')" = 200
# A decision on MY law acts in MY: not everywhere, not in DE (whose statement would cite it).
code POST /v1/reports "$platform" -d '{"content_id":"post-5","category":"ncii","country":"MY"}' >/dev/null
case5=$(field "d['case_id']")
code POST "/v1/cases/$case5/claim" "$admin" >/dev/null
check "MY law everywhere 400" test "$(code POST "/v1/cases/$case5/decision" "$admin" -d '{"action":"remove","ground":"law","legal":"MY-OSA-2025","category":"ncii"}')" = 400
check "MY law in DE 400" test "$(code POST "/v1/cases/$case5/decision" "$admin" -d '{"action":"withhold","everywhere":true,"countries":["DE","MY"],"ground":"law","legal":"MY-OSA-2025","category":"ncii"}')" = 400
check "the valid choices named" grep -q "no legal reference of DE" "$work/body"
check "everywhere not a boolean 400" test "$(code POST "/v1/cases/$case5/decision" "$admin" -d '{"action":"no_violation","everywhere":"yes"}')" = 400
check "illegal in MY, withheld there" test "$(code POST "/v1/cases/$case5/decision" "$admin" -d '{"action":"withhold","countries":["MY"],"ground":"law","legal":"MY-OSA-2025","category":"ncii"}')" = 200
check "withheld in MY only" test "$(decide "$platform" post-6 ncii MY '{"action":"withhold","countries":["MY"],"ground":"law","legal":"MY-CMA-233","category":"ncii"}')" = 200
check "no violation" test "$(decide "$platform" post-7 hate_speech FR '{"action":"no_violation"}')" = 200
# Content jaga never scanned: its statement invents no type or date.
check "unscanned content withheld in DE" test "$(decide "$platform" post-8 hate_speech DE '{"action":"withhold","countries":["DE"],"ground":"terms","category":"hate_speech"}')" = 200
kill -TERM "$pid"
wait "$pid"
pid=

"$jaga" export sor >"$work/sor.jsonl" 2>"$work/export.txt"
check "export" test $? = 0
check "eight statements, one undated" grep -q "8 statements of reasons in 1 batches; 1 without a content date" "$work/export.txt"
cursor=$(sed -n 's/^jaga export: cursor //p' "$work/export.txt")
"$validator" "$work/sor.jsonl" >"$work/valid.txt"
check "the database needs the date jaga does not know" grep -qx "line 1, statement 7: content_date is required" "$work/valid.txt"
check "every other record holds to the rules" grep -qx "8 statements, 1 problems" "$work/valid.txt"
grep -v "statement 7: content_date\|^8 statements, 1 problems$" "$work/valid.txt" >&2
statements "$work/sor.jsonl" | python3 -c "
import json, sys
for s in map(json.loads, sys.stdin):
    print(s['source_type'], s['automated_detection'], s['automated_decision'], s['decision_visibility'][0],
          s['content_type'][0], 'content_date' in s, len(s['territorial_scope']), s.get('category', '-'))
" >"$work/facts.txt"
cat -n "$work/facts.txt" >&2
row() { sed -n "${1}p" "$work/facts.txt"; }
check "a verified-bank removal: automated fully" test "$(row 1)" = "SOURCE_TYPE_OTHER_AUTOMATED_DETECTION Yes AUTOMATED_DECISION_FULLY DECISION_VISIBILITY_CONTENT_REMOVED CONTENT_TYPE_IMAGE True 30 STATEMENT_CATEGORY_CYBER_VIOLENCE"
check "an unverified match's hold: partially" test "$(row 2)" = "SOURCE_TYPE_OTHER_AUTOMATED_DETECTION Yes AUTOMATED_DECISION_PARTIALLY DECISION_VISIBILITY_CONTENT_DISABLED CONTENT_TYPE_IMAGE True 30 STATEMENT_CATEGORY_CYBER_VIOLENCE"
check "a report's hold: partially, no machine" test "$(row 3)" = "SOURCE_ARTICLE_16 No AUTOMATED_DECISION_PARTIALLY DECISION_VISIBILITY_CONTENT_DISABLED CONTENT_TYPE_IMAGE True 30 STATEMENT_CATEGORY_CYBER_VIOLENCE"
check "a person's removal" test "$(row 4)" = "SOURCE_ARTICLE_16 No AUTOMATED_DECISION_NOT_AUTOMATED DECISION_VISIBILITY_CONTENT_REMOVED CONTENT_TYPE_IMAGE True 30 STATEMENT_CATEGORY_CYBER_VIOLENCE"
check "never scanned: type other, no date" test "$(row 8)" = "SOURCE_ARTICLE_16 No AUTOMATED_DECISION_NOT_AUTOMATED DECISION_VISIBILITY_CONTENT_DISABLED CONTENT_TYPE_OTHER False 1 STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
python3 - "$work/sor.jsonl" >"$work/facts.txt" <<'PY'
import json, sys
s = [x for line in open(sys.argv[1]) for x in json.loads(line)["statements"]]
print(s[3]["category"], s[3]["category_specification"][0], s[3]["source_type"])
print(s[4]["territorial_scope"], s[4]["source_type"], s[4]["decision_visibility"][0])
print(s[5]["decision_visibility"][0], "decision_visibility_other" in s[5], len(s[5]["territorial_scope"]))
print(len({x["puid"] for x in s}))
PY
check "deepfake category" grep -qx "STATEMENT_CATEGORY_CYBER_VIOLENCE KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE SOURCE_ARTICLE_16" "$work/facts.txt"
check "EEA countries only, flagger" grep -qx "\['DE', 'FR'\] SOURCE_TRUSTED_FLAGGER DECISION_VISIBILITY_CONTENT_DISABLED" "$work/facts.txt"
check "blur is another restriction, in the EU's 27" grep -qx "DECISION_VISIBILITY_OTHER True 27" "$work/facts.txt"
check "no statement cites MY law" test "$(grep -c "Online Safety Act" "$work/sor.jsonl")" = 0
check "unique puids" test "$(tail -1 "$work/facts.txt")" = 8
"$jaga" export sor --since 2020-01-01 --batch 2 >"$work/small.jsonl" 2>/dev/null
check "batches of 2" test "$(wc -l <"$work/small.jsonl")" = 4
check "small batches hold but for the undated" test "$("$validator" "$work/small.jsonl" | tail -1)" = "8 statements, 1 problems"
check "nothing since tomorrow" test "$("$jaga" export sor --since "$(date -u -d tomorrow +%F)" 2>/dev/null | wc -l)" = 0

# A cursor: the next export holds only what came after, no puid twice.
check "nothing after the cursor" test "$("$jaga" export sor --after "$cursor" 2>/dev/null | wc -l)" = 0
start_server
check "one more decision" test "$(decide "$platform" post-9 nudity ES '{"action":"age_gate","ground":"terms","category":"nudity"}')" = 200
kill -TERM "$pid"
wait "$pid"
pid=
"$jaga" export sor --after "$cursor" >"$work/next.jsonl" 2>"$work/export.txt"
check "the next export: one statement" grep -q "^jaga export: 1 statements of reasons" "$work/export.txt"
check "the cursor moved on" test "$(sed -n 's/^jaga export: cursor //p' "$work/export.txt")" -gt "$cursor"
check "no puid twice" test "$(cat "$work/sor.jsonl" "$work/next.jsonl" | statements /dev/stdin | python3 -c "
import json, sys
p = [json.loads(l)['puid'] for l in sys.stdin]
print(len(p) - len(set(p)))")" = 0
check "a bad cursor refused" test "$("$jaga" export sor --after x >/dev/null 2>&1; echo $?)" = 2
check "batch over 100 refused" test "$("$jaga" export sor --since 0 --batch 101 >/dev/null 2>&1; echo $?)" = 2
check "bad time refused" test "$("$jaga" export sor --since yesterday >/dev/null 2>&1; echo $?)" = 2

# The validator refuses each kind of broken record (so that its passing above means something).
broken() {
    python3 - "$work/sor.jsonl" "$1" >"$work/broken.jsonl" <<'PY'
import json, sys
s = json.loads(open(sys.argv[1]).readline())["statements"][0]
exec(sys.argv[2])
print(json.dumps({"statements": [s]}))
PY
    ! "$validator" "$work/broken.jsonl" >"$work/why.txt" && grep -q "$2" "$work/why.txt"
}
check "refuses a puid with a colon" broken 's["puid"] = "post:1"' "puid"
check "refuses a missing category" broken 'del s["category"]' "category is required"
check "refuses a v1 category" broken 's["category"] = "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT"' "not one of its values"
check "refuses a keyword of another category" broken 's["category_specification"] = ["KEYWORD_HATE_SPEECH"]' "category_specification"
check "refuses OTHER without its text" broken 's["decision_visibility"] = ["DECISION_VISIBILITY_OTHER"]' "decision_visibility_other is required"
check "refuses a long explanation" broken 's["incompatible_content_explanation"] = "x" * 2001' "over 2000"
check "refuses a country outside the EEA" broken 's["territorial_scope"] = ["MY"]' "territorial_scope"
check "refuses a bad date" broken 's["application_date"] = "2026-13-01"' "YYYY-MM-DD"
check "refuses an unknown field" broken 's["content_owner"] = "x"' "not a field"
check "refuses no decision" broken 'del s["decision_visibility"]' "one of decision_visibility"
check "refuses a missing illegal ground" broken 's["decision_ground"] = "DECISION_GROUND_ILLEGAL_CONTENT"' "illegal_content_legal_ground is required"
python3 -c "
import json, sys
s = json.loads(open(sys.argv[1]).readline())['statements'][0]
print(json.dumps({'statements': [dict(s, puid='p%d' % i) for i in range(101)]}))" "$work/sor.jsonl" >"$work/big.jsonl"
"$validator" "$work/big.jsonl" >"$work/why.txt"
check "refuses 101 in a batch" test $? = 1
check "says why" grep -q "1 to 100" "$work/why.txt"

finish "statements of reasons e2e"
