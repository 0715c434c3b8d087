#!/usr/bin/env bash
# End-to-end: `jaga export sor` writes the statements of reasons of decisions made through the
# API as DSA Transparency Database submissions, and a validator written from the database's
# rules (sor_validator.py) holds every exported record to them; the validator itself refuses
# records broken in each way it checks.
# usage: test_sor.sh JAGA MAKE_SAMPLES
set -u
jaga=$1
make_samples=$2
. "$(dirname "$0")/server_lib.sh"
validator="$(dirname "$0")/sor_validator.py"

field() { python3 -c "import json,sys; d=json.load(open('$work/body')); print(eval(sys.argv[1]))" "$1"; }
# decide KEY CONTENT CATEGORY COUNTRY DECISION: a report, a claim and a decision by an admin.
decide() {
    code POST /v1/reports "$1" -d "{\"content_id\":\"$2\",\"category\":\"$3\",\"country\":\"$4\"}" >/dev/null
    local case_id
    case_id=$(field "d['case_id']")
    code POST "/v1/cases/$case_id/claim" "$admin" >/dev/null
    code POST "/v1/cases/$case_id/decision" "$admin" -d "$5"
}

start_server
check "deepfake removed" test "$(decide "$platform" post-1 ncii_deepfake FR '{"action":"remove","ground":"terms","category":"ncii_deepfake","note":"the person depicted reported it"}')" = 200
check "hate withheld in DE and FR" test "$(decide "$flagger" post-2 hate_speech DE '{"action":"withhold","countries":["DE","FR"],"ground":"terms","category":"hate_speech"}')" = 200
check "adult content blurred" test "$(decide "$platform" post-3 adult_content IT '{"action":"blur","ground":"terms","category":"adult_content"}')" = 200
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
kill -TERM "$pid"
wait "$pid"
pid=

"$jaga" export sor --since 2020-01-01 >"$work/sor.jsonl" 2>"$work/export.txt"
check "export" test $? = 0
check "four statements, three decisions without one" grep -q "4 statements of reasons in 1 batches; 3 decisions without one" "$work/export.txt"
"$validator" "$work/sor.jsonl" >"$work/valid.txt"
check "every record holds to the rules" test $? = 0
cat "$work/valid.txt" | grep -v "^4 statements, 0 problems$" >&2
python3 - "$work/sor.jsonl" >"$work/facts.txt" <<'PY'
import json, sys
s = [x for line in open(sys.argv[1]) for x in json.loads(line)["statements"]]
print(s[0]["category"], s[0]["category_specification"][0], s[0]["source_type"])
print(s[1]["territorial_scope"], s[1]["source_type"], s[1]["decision_visibility"][0])
print(s[2]["decision_visibility"][0], "decision_visibility_other" in s[2])
print(len({x["puid"] for x in s}))
PY
check "deepfake category" grep -qx "STATEMENT_CATEGORY_CYBER_VIOLENCE KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE SOURCE_ARTICLE_16" "$work/facts.txt"
check "EEA countries only, flagger" grep -qx "\['DE', 'FR'\] SOURCE_TRUSTED_FLAGGER DECISION_VISIBILITY_CONTENT_DISABLED" "$work/facts.txt"
check "blur is another restriction" grep -qx "DECISION_VISIBILITY_OTHER True" "$work/facts.txt"
check "no statement cites MY law" test "$(grep -c "Online Safety Act" "$work/sor.jsonl")" = 0
check "unique puids" test "$(tail -1 "$work/facts.txt")" = 4
"$jaga" export sor --since 2020-01-01 --batch 2 >"$work/small.jsonl" 2>/dev/null
check "batches of 2" test "$(wc -l <"$work/small.jsonl")" = 2
check "small batches hold" "$validator" "$work/small.jsonl"
check "nothing since tomorrow" test "$("$jaga" export sor --since "$(date -u -d tomorrow +%F)" 2>/dev/null | wc -l)" = 0
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
