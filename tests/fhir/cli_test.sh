#!/usr/bin/env bash
# The FHIR commands as a person runs them: `hipcoach questions --fhir`, `hipcoach assess --fhir
# FILE` (printing, saving, and bad input that changes nothing) and `hipcoach export --fhir`.
# Usage: cli_test.sh HIPCOACH_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export TZ=UTC HIPCOACH_NOW=2026-01-05T08:00
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*"
}
expect_eq() { [ "$1" == "$2" ] && ok || fail "$3: expected '$2', got '$1'"; }
expect_contains() { grep -qF -- "$2" <<<"$1" && ok || fail "$3: '$2' not in: $1"; }
assessments() {  # the number of assessments in a database
  "$bin" export --db "$1" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["assessments"]))'
}

# --- the Questionnaire ---
out=$("$bin" questions --fhir)
expect_eq "$?" 0 "questions --fhir exit code"
expect_eq "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["resourceType"], d["status"], len(d["item"]) > 20)' "$out")" \
  "Questionnaire active True" "questions --fhir document"
"$bin" questions --fhir --json >/dev/null 2>&1
expect_eq "$?" 2 "--fhir with --json"

# --- a response: printed, and saved as `assess --answers` saves ---
python3 -c "import tomllib,json,sys; d=tomllib.load(open(sys.argv[1],'rb')); print(json.dumps({'answers': d['answers']}))" \
  "$src/tests/cases/causes/gluteal_tendinopathy_classic.toml" >answers.json
"$bin" assess --answers answers.json --db person.db >/dev/null
"$bin" export --fhir --db person.db -o bundle.json >out.txt
expect_eq "$?" 0 "export --fhir exit code"
expect_eq "$(cat out.txt)" "Wrote your data as a FHIR R4 Bundle to bundle.json" "export --fhir message"
expect_eq "$(stat -c %a person.db.fhir-key)" 600 "the pseudonym key is private"
"$bin" export --fhir --db person.db >stdout.json
cmp -s bundle.json stdout.json && ok || fail "export --fhir to stdout differs from -o"
python3 - <<'PY'
import json
b = json.load(open("bundle.json"))
r = next(e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse")
json.dump(r, open("response.json", "w"))
bad = json.loads(json.dumps(r))
bad["item"][3]["answer"][0] = {"valueCoding": {"code": "maybe"}}
json.dump(bad, open("bad.json", "w"))
PY
out=$("$bin" assess --fhir response.json --json --db json-only.db 2>err.txt)
expect_eq "$?" 0 "assess --fhir --json exit code"
expect_eq "$(cat err.txt)" "" "assess --fhir --json stderr"
expect_eq "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["triage"]["level"], d["causes"][0]["id"])' "$out")" \
  "routine gluteal_tendinopathy" "assess --fhir result"
[ ! -e json-only.db ] && ok || fail "--fhir FILE --json saved without --save"
out=$("$bin" assess --fhir response.json --db new.db)
expect_eq "$?" 0 "assess --fhir exit code"
expect_contains "$out" "Saved." "assess --fhir saves"
expect_eq "$(assessments new.db)" 1 "one assessment saved"
same=$("$bin" export --db new.db | python3 -c '
import json, sys
norm = lambda answers: {k: sorted(v) if isinstance(v, list) else v for k, v in answers.items()}
stored = json.load(sys.stdin)["assessments"][0]["answers"]["answers"]
print(norm(stored) == norm(json.load(open("answers.json"))["answers"]))')
expect_eq "$same" True "the saved answers are the person's answers"

# --- bad input: one line on stderr naming the element, nothing on stdout, nothing saved ---
out=$("$bin" assess --fhir bad.json --json --save --db new.db 2>err.txt)
expect_eq "$?" 2 "bad response exit code"
expect_eq "$out" "" "bad response stdout"
expect_eq "$(wc -l <err.txt)" 1 "bad response: one line"
expect_contains "$(cat err.txt)" \
  'bad.json: QuestionnaireResponse.item[3].answer[0].valueCoding.code: "maybe" is not an answer to question' \
  "bad response message"
expect_eq "$(assessments new.db)" 1 "a bad response saves nothing"
# A response that leaves a danger-sign question out: read, but not assessed (exit 2), naming it.
python3 - <<'PY'
import json
r = json.load(open("response.json"))
r["item"] = [i for i in r["item"] if i["linkId"] != "rf_body_signs"]
json.dump(r, open("partial.json", "w"))
PY
out=$("$bin" assess --fhir partial.json --db new.db 2>err.txt)
expect_eq "$?" 2 "incomplete danger screen exit code"
expect_eq "$out" "" "incomplete danger screen stdout"
expect_eq "$(wc -l <err.txt)" 1 "incomplete danger screen: one line"
expect_contains "$(cat err.txt)" 'hipcoach: partial.json: the danger-sign question rf_body_signs ("' \
  "incomplete danger screen message"
expect_eq "$(assessments new.db)" 1 "an incomplete danger screen saves nothing"
printf '{"resourceType": "Patient"}' >patient.json
"$bin" assess --fhir patient.json 2>err.txt >/dev/null
expect_eq "$?" 2 "wrong resourceType exit code"
expect_eq "$(cat err.txt)" 'hipcoach: patient.json: resourceType: "Patient" is not a QuestionnaireResponse' \
  "wrong resourceType message"
"$bin" assess --fhir missing.json 2>err.txt >/dev/null
expect_eq "$?" 2 "missing file exit code"
expect_contains "$(cat err.txt)" "missing.json: cannot open" "missing file message"
"$bin" assess --fhir response.json --answers answers.json 2>/dev/null >/dev/null
expect_eq "$?" 2 "--fhir with --answers"
"$bin" export --fhir --csv dir --db person.db 2>/dev/null >/dev/null
expect_eq "$?" 2 "--fhir with --csv"

echo "fhir cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
