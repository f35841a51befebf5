#!/usr/bin/env bash
# End-to-end tests of the hipcoach command line: exit codes, what goes to stdout and stderr, the
# JSON documents and the interview line protocol. Usage: cli_test.sh HIPCOACH_BINARY SOURCE_DIR
set -uo pipefail
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
expect_eq() { [ "$1" == "$2" ] && ok || fail "$3: expected '$2', got '$1'"; }
expect_contains() { grep -qF -- "$2" <<<"$1" && ok || fail "$3: '$2' not in: $1"; }

# A case's answers as an answers file.
answers_of() {
  python3 -c "import tomllib,json,sys; d=tomllib.load(open(sys.argv[1],'rb')); print(json.dumps({'answers': d['answers']}))" "$1"
}

# --- assess --answers --json: the documented document ---
answers_of "$src/tests/cases/causes/gluteal_tendinopathy_classic.toml" >"$tmp/gt.json"
out=$("$bin" assess --answers "$tmp/gt.json" --json 2>"$tmp/err")
expect_eq "$?" 0 "assess exit code"
expect_eq "$(cat "$tmp/err")" "" "assess stderr"
shape() {  # the problems of an assessment document, or "ok"
  python3 - "$1" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
problems = []
if not {"triage", "causes", "programme", "knowledge_version"} <= set(d):
    print("keys")
    sys.exit()
t = d["triage"]
if t["level"] not in ("emergency", "urgent", "routine", "self_care"): problems.append("level")
if not all("text" in r and r["sources"] for r in t["reasons"]): problems.append("reasons")
if not all({"id", "name", "probability", "evidence"} <= set(c) for c in d["causes"]): problems.append("causes")
if d["causes"][0]["id"] != "gluteal_tendinopathy": problems.append("top cause " + d["causes"][0]["id"])
p = d["programme"]
if p is None or not p["phases"] or len(p["week"]) != 7: problems.append("programme")
print(",".join(problems) or "ok")
PY
}
expect_eq "$(shape "$out")" ok "assess JSON shape"
# The check can fail: a document without one of its keys is caught (it once used a proper-subset
# '<', which no document could ever meet).
missing=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); del d["knowledge_version"]; print(json.dumps(d))' "$out")
expect_eq "$(shape "$missing")" keys "the JSON shape check catches a missing key"

# --- an emergency has no programme ---
answers_of "$src/tests/cases/red_flags/rf01_cauda_equina_bladder.toml" >"$tmp/ces.json" 2>/dev/null ||
  answers_of "$(ls "$src"/tests/cases/red_flags/*cauda* | head -1)" >"$tmp/ces.json"
out=$("$bin" assess --answers "$tmp/ces.json" --json)
expect_eq "$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["triage"]["level"], d["programme"])' "$out")" "emergency None" "emergency without programme"

# --- bad input: one message on stderr, nothing on stdout, exit 2 ---
bad() {  # name, file contents, expected message part
  printf '%s' "$2" >"$tmp/bad.json"
  out=$("$bin" assess --answers "$tmp/bad.json" --json 2>"$tmp/err")
  code=$?
  expect_eq "$code" 2 "$1 exit code"
  expect_eq "$out" "" "$1 stdout"
  expect_contains "$(cat "$tmp/err")" "$3" "$1 message"
  expect_eq "$(wc -l <"$tmp/err")" 1 "$1 one line"
}
bad "malformed JSON" '{"answers": {"age": 40,}}' "bad.json:1:"
bad "unknown question" '{"answers": {"pain_dayz": 3}}' "unknown question id 'pain_dayz' (did you mean 'pain_days'?)"
bad "wrong type" '{"answers": {"age": "old"}}' "answers.age:"
bad "out of range" '{"answers": {"pain_worst": 11}}' "out of range 0-10"
bad "unknown choice" '{"answers": {"pain_trend": "beter"}}' "(did you mean 'better'?)"
bad "not an object" '[1, 2]' "expected an object"
out=$("$bin" assess --answers "$tmp/missing.json" --json 2>"$tmp/err")
expect_eq "$?" 2 "unreadable file exit code"
expect_eq "$out" "" "unreadable file stdout"
expect_contains "$(cat "$tmp/err")" "missing.json: cannot open" "unreadable file message"
out=$("$bin" assess --json 2>"$tmp/err")
expect_eq "$?" 2 "--json without --answers"
out=$("$bin" nonsense 2>"$tmp/err")
expect_eq "$?" 2 "unknown command exit code"

# --- an assessment needs its danger screen: answers that leave danger-sign questions out are
# refused (exit 2), naming the first one the interview would still ask, and nothing is saved ---
python3 - "$tmp/gt.json" "$tmp/partial.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for q in ("rf_nerve_signs", "rf_body_signs"):
    del d["answers"][q]
json.dump(d, open(sys.argv[2], "w"))
PY
# What the interview asks next after these answers (its last line before the input ends).
interview_next() {  # answers file
  python3 - "$bin" "$1" <<'PY'
import json, subprocess, sys
answers = json.load(open(sys.argv[2]))["answers"]
lines = "".join(json.dumps({"id": k, "value": v}) + "\n" for k, v in answers.items())
run = subprocess.run([sys.argv[1], "interview", "--jsonl"], input=lines, capture_output=True, text=True)
print(json.loads(run.stdout.splitlines()[-1]).get("question", {}).get("id", "(none)"))
PY
}
first_missing=$(interview_next "$tmp/partial.json")
case $first_missing in
  rf_nerve_signs | rf_body_signs) ok ;;
  *) fail "the interview asks '$first_missing', not one of the left-out danger-sign questions" ;;
esac
"$bin" assess --answers "$tmp/gt.json" --db "$tmp/screen.db" >/dev/null
for args in "" "--json --save"; do
  # shellcheck disable=SC2086  # $args is two options or none
  out=$("$bin" assess --answers "$tmp/partial.json" $args --db "$tmp/screen.db" 2>"$tmp/err")
  expect_eq "$?" 2 "incomplete screen ($args) exit code"
  expect_eq "$out" "" "incomplete screen ($args) stdout"
  expect_eq "$(wc -l <"$tmp/err")" 1 "incomplete screen ($args) one line"
  expect_contains "$(cat "$tmp/err")" \
    "hipcoach: $tmp/partial.json: the danger-sign question $first_missing (\"" \
    "incomplete screen ($args) names the question"
  expect_contains "$(cat "$tmp/err")" '("not sure" is an answer)' "incomplete screen ($args) says not sure counts"
done
stored=$("$bin" export --db "$tmp/screen.db" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["assessments"]))')
expect_eq "$stored" 1 "a refused assessment saves nothing"
"$bin" assess --answers "$tmp/partial.json" --db "$tmp/never.db" >/dev/null 2>&1
[ ! -e "$tmp/never.db" ] && ok || fail "a refused assessment created a database"
# "Not sure" is an answer: answering each named question "not sure" (its plainer follow-ups come
# one at a time) completes the screen.
steps=0
while ! "$bin" assess --answers "$tmp/partial.json" --json >"$tmp/out.json" 2>"$tmp/err" && [ "$steps" -lt 20 ]; do
  missing=$(sed -nE 's/.*the danger-sign question ([a-z0-9_]+) .*/\1/p' "$tmp/err")
  [ -n "$missing" ] || break
  python3 - "$tmp/partial.json" "$missing" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["answers"][sys.argv[2]] = "unknown"
json.dump(d, open(sys.argv[1], "w"))
PY
  steps=$((steps + 1))
done
expect_eq "$(cat "$tmp/err")" "" "\"not sure\" answers complete the danger screen"
[ "$steps" -ge 2 ] && ok || fail "the follow-ups of a \"not sure\" were not asked for ($steps steps)"
expect_eq "$(python3 -c 'import json,sys; print("unanswered_screening" in json.load(open(sys.argv[1]))["triage"])' "$tmp/out.json")" \
  False "the result has no unanswered_screening"

# --- checkin --resume after an emergency pause: a plain no to the sign's questions and a
# clinician's word are both needed; the check-in is saved either way ---
checkin() {  # NOW, weekly_checkin.py options..., then checkin arguments
  local now=$1
  shift
  TZ=UTC HIPCOACH_NOW=$now python3 "$src/tests/fhir/weekly_checkin.py" "$@"
}
events() {  # the pause/resume events, oldest first
  "$bin" export --db "$tmp/resume.db" |
    python3 -c 'import json,sys; print(" ".join(e["kind"] for e in json.load(sys.stdin)["events"] if e["kind"] in ("pause", "resume")))'
}
checkins() {
  "$bin" export --db "$tmp/resume.db" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["checkins"]))'
}
TZ=UTC HIPCOACH_NOW=2026-01-05T08:00 "$bin" assess --answers "$tmp/gt.json" --db "$tmp/resume.db" >/dev/null
# A danger sign is kept as soon as it is answered: a check-in killed later (the terminal closed)
# keeps the sign and its pause.
cp "$tmp/resume.db" "$tmp/stopped.db"
checkin 2026-01-06T09:00 --pick "high temperature" --quit-at "worst pain" 3 "$bin" checkin --weekly \
  --db "$tmp/stopped.db" >/dev/null
expect_eq "$("$bin" export --db "$tmp/stopped.db" | python3 -c 'import json,sys; print(" ".join(e["kind"] for e in json.load(sys.stdin)["events"] if e["kind"] in ("pause", "danger_sign")))')" \
  "danger_sign pause" "a check-in stopped after a danger sign keeps the sign and its pause"
out=$(checkin 2026-01-06T08:00 --pick "high temperature" 3 "$bin" checkin --weekly --db "$tmp/resume.db")
expect_eq "$?" 0 "check-in with a fever: exit code"
expect_contains "$out" "[EMERGENCY]" "a fever at the check-in is an emergency"
expect_eq "$(events)" "pause" "a fever at the check-in pauses the programme"
# "Not sure" about the fever does not rule it out.
out=$(checkin 2026-01-07T08:00 --unsure temperature --seen 3 "$bin" checkin --resume --db "$tmp/resume.db")
expect_eq "$?" 0 "resume with a doubt: exit code"
expect_contains "$out" 'The programme stays paused. The programme was paused for "Possible joint or bone infection". To resume, answer with a plain no (not "not sure") about: a high temperature' \
  "resume with a doubt is refused"
expect_eq "$(events)" "pause" "resume with a doubt: still paused"
expect_eq "$(checkins)" 2 "resume with a doubt: the check-in is saved"
# A plain no, but no clinician has seen them yet.
out=$(checkin 2026-01-08T08:00 3 "$bin" checkin --resume --db "$tmp/resume.db")
expect_contains "$out" "has a doctor or physiotherapist seen you" "resume asks about a clinician"
expect_contains "$out" "The programme stays paused. The programme was paused because you needed to see a doctor." \
  "resume without a clinician is refused"
expect_eq "$(events)" "pause" "resume without a clinician: still paused"
expect_eq "$(checkins)" 3 "resume without a clinician: the check-in is saved"
# Both: resumed.
out=$(checkin 2026-01-09T08:00 --seen 3 "$bin" checkin --resume --db "$tmp/resume.db")
expect_contains "$out" "No danger signs. Your programme is running again" "resume with both"
expect_eq "$(events)" "pause resume" "resumed"
# --- hostile files (issue 12): a message and exit 2, never a crash, an "internal error" or a
# read without end ---
printf '{"answers": {"age": 1e999}}' >"$tmp/huge.json"
out=$("$bin" assess --answers "$tmp/huge.json" --json 2>"$tmp/err")
expect_eq "$?" 2 "a number too large exit code"
expect_contains "$(cat "$tmp/err")" "huge.json:1:" "a number too large names the place"
expect_contains "$(cat "$tmp/err")" "a number is too large" "a number too large message"
printf '{"answers": {"age": 40, "age": 41}}' >"$tmp/twice.json"
out=$("$bin" assess --answers "$tmp/twice.json" --json 2>"$tmp/err")
expect_eq "$?" 2 "a duplicate key exit code"
expect_contains "$(cat "$tmp/err")" 'the key "age" appears twice' "a duplicate key message"
# An export with 200 KB of nesting inside an assessment.
python3 -c '
import sys
deep = "[" * 100000 + "]" * 100000
sys.stdout.write("{\"format\": \"hipcoach-export\", \"format_version\": 1, \"profile\": "
  "{\"person_id\": 1, \"display_name\": \"\", \"created_at\": \"2026-01-05T08:00:00Z\"}, "
  "\"assessments\": [{\"id\": 1, \"at\": \"2026-01-05T08:00:00Z\", \"knowledge_version\": \"x\", "
  "\"answers\": " + deep + ", \"result\": {}}], \"programme_versions\": [], \"sessions\": [], "
  "\"exercise_logs\": [], \"checkins\": [], \"outcomes\": [], \"events\": []}")' >"$tmp/deep.json"
out=$("$bin" import "$tmp/deep.json" --db "$tmp/deep.db" 2>"$tmp/err")
expect_eq "$?" 2 "a deeply nested import exit code"
expect_contains "$(cat "$tmp/err")" "nested more than 64 deep" "a deeply nested import message"
expect_eq "$(wc -l <"$tmp/err")" 1 "a deeply nested import: one line"
# A file that never ends (a pipe that goes on writing): read up to the limit, then refused.
mkfifo "$tmp/endless"
(head -c 3000000 /dev/zero; exec sleep 30) >"$tmp/endless" &
writer=$!
out=$(timeout 20 "$bin" assess --answers "$tmp/endless" --json 2>"$tmp/err")
code=$?
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
expect_eq "$code" 2 "an endless answers file exit code (124: it read without end)"
expect_contains "$(cat "$tmp/err")" "larger than" "an endless answers file message"

# --- questions --json ---
out=$("$bin" questions --json)
check=$(python3 -c '
import json,sys
q=json.loads(sys.argv[1])
keys={"id","text","type","choices","unit","min","max","red_flag_screen"}
print("ok" if q and all(keys<=set(x) for x in q) and q[0]["red_flag_screen"] else "bad")' "$out")
expect_eq "$check" ok "questions --json"

# --- interview --jsonl: a full interview driven by a program ---
check=$(python3 - "$bin" "$tmp/gt.json" <<'PY'
import json, subprocess, sys
answers = json.load(open(sys.argv[2]))["answers"]
p = subprocess.Popen([sys.argv[1], "interview", "--jsonl"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, text=True)
asked, first, changed = 0, None, False
while True:
    msg = json.loads(p.stdout.readline())
    if "result" in msg:
        r = msg["result"]
        ok = r["triage"]["level"] in ("self_care", "routine") and r["programme"] is not None
        print("ok" if ok and asked <= 30 and changed else f"bad {asked} {r['triage']['level']}")
        break
    if "error" in msg:
        continue
    q = msg["question"]
    asked += 1
    if first is None:
        first = q["id"]
        # A malformed line gets an error line and the same question again.
        p.stdin.write("{not json\n"); p.stdin.flush()
        err = json.loads(p.stdout.readline()); again = json.loads(p.stdout.readline())
        assert "error" in err and again["question"]["id"] == first, (err, again)
    if asked == 4 and not changed:
        # Change the first answer: the interview recomputes and asks again where it stands.
        p.stdin.write(json.dumps({"id": first, "value": answers.get(first, "unknown")}) + "\n")
        p.stdin.flush(); changed = True
        again = json.loads(p.stdout.readline())
        assert again["question"]["id"] == q["id"], again
    value = answers.get(q["id"], "unknown")
    p.stdin.write(json.dumps({"id": q["id"], "value": value}) + "\n"); p.stdin.flush()
p.stdin.close(); p.wait()
PY
)
expect_eq "$check" ok "interview --jsonl"

# --- the interactive assessment, typed answers on stdin ---
out=$(printf 'n\n1\n?\nb\nn\nq\n' | "$bin" assess)
expect_contains "$out" "Safety check" "interactive shows the safety screen"
expect_contains "$out" "Stopped; nothing was saved." "interactive quit"

# --- explain ---
out=$("$bin" explain gluteal_tendinopathy)
expect_contains "$out" "Sources:" "explain cites sources"
out=$("$bin" explain glute_bridg 2>"$tmp/err")
expect_eq "$?" 2 "explain unknown id"
expect_contains "$(cat "$tmp/err")" "did you mean 'glute_bridge'" "explain hint"
# explain's hip-model text says what the model computes (issue 13): "lower" or "higher" by the
# sign of the change `hipcoach model run` computes for the same weakness, and the muscle whose
# activation rose most, by its plain name.
if "$bin" model --help >/dev/null 2>&1; then
  read -r direction first < <("$bin" model run --weaken glutes=0.5 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("lower" if d["summary"]["change_bw"] < 0 else "higher", d["summary"]["working_harder"][0]["muscle"])')
  out=$("$bin" explain glute_weakness)
  expect_contains "$out" "the peak force through the hip is" "explain shows the model's headline"
  expect_contains "$out" "% $direction:" "explain's direction is the computed one ($direction)"
  expect_eq "$first" "tfl_r" "the muscle whose activation rose most"
  expect_contains "$out" "most first: tensor fasciae latae (TFL)" "explain names it plainly"
  expect_contains "$out" "What the model cannot show:" "explain lists the model's limits"
fi

# --- kb check: the built-in knowledge, and a broken copy ---
"$bin" kb check >/dev/null
expect_eq "$?" 0 "kb check built-in"
cp -r "$src/knowledge" "$tmp/kb"
sed -i '0,/pattern = /s/pattern = /pattern = "no_such_finding" #/' "$tmp/kb/red_flags.toml"
out=$("$bin" kb check "$tmp/kb" 2>&1)
expect_eq "$?" 1 "kb check broken exit code"
expect_contains "$out" "red_flags.toml:" "kb check names the file"
expect_contains "$out" "unknown finding 'no_such_finding'" "kb check message"
out=$("$bin" --knowledge "$tmp/kb" questions 2>&1)
expect_eq "$?" 1 "a broken --knowledge is refused"

# --- -o to something that is not a regular file (a pipe here; /dev/null in daily use) is written
# in place, not replaced by a file through the temporary-file rename.
mkfifo "$tmp/pipe"
timeout 10 cat "$tmp/pipe" >"$tmp/from_pipe" &  # bounded: a replaced pipe has no writer
reader=$!
"$bin" export --db "$tmp/resume.db" -o "$tmp/pipe" >/dev/null
expect_eq "$?" 0 "export to a pipe: exit code"
wait "$reader"
[ -p "$tmp/pipe" ] && ok || fail "export to a pipe: the pipe is still a pipe"
expect_contains "$(cat "$tmp/from_pipe")" '"checkins"' "export to a pipe: the data came through"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
