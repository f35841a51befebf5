// The tracking commands, run as the person runs them: the hipcoach binary with a temporary
// database and a fixed clock (HIPCOACH_NOW).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

namespace {

using json = nlohmann::json;

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/hipcoach-cli-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    db_ = dir_ + "/hipcoach.db";
    // A complete danger screen (every screening question the interview asks), no danger sign.
    std::ofstream(dir_ + "/answers.json") << R"({"answers": {
      "pain_site": ["buttock", "lower_back"], "rf_onset": ["gradual"],
      "rf_weight_bearing": "normal", "rf_tummy": ["none"], "rf_nerve_signs": ["none"],
      "rf_body_signs": ["none"], "rf_background": ["none"], "rf_serious_signs": ["none"],
      "age": 34, "sex": "female", "painful_side": "left", "activities": ["desk_work"],
      "pain_days": 10, "pain_trend": "same", "pain_worst": 4, "worse_with": ["stairs"],
      "also_notice": ["glutes_off"], "habits": ["sit_8h", "weak_core"]}})";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs hipcoach with `args` at local time `now` (TZ=UTC), `input` on stdin.
  Outcome Hipcoach(const std::string& args, const std::string& now = "2026-01-05T08:00",
                   const std::string& input = "") {
    const std::string in_file = dir_ + "/stdin.txt";
    std::ofstream(in_file, std::ios::binary) << input;
    const std::string command = "cd '" + dir_ + "' && TZ=UTC HIPCOACH_NOW=" + now +
                                " '" HIPCOACH_BINARY "' " + args + " < '" + in_file +
                                "' > out.txt 2> err.txt";
    Outcome run;
    const int status = std::system(command.c_str());
    run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = ReadAll(dir_ + "/out.txt");
    run.err = ReadAll(dir_ + "/err.txt");
    return run;
  }
  std::string Db() const { return " --db '" + db_ + "'"; }
  void Assess() {
    Outcome r = Hipcoach("assess --answers answers.json" + Db());
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_NE(r.out.find("Saved."), std::string::npos);
  }
  // Two weeks of entries: check-ins, exercises, activity.
  void TwoWeeks() {
    Assess();
    for (int day = 5; day < 19; ++day) {
      const std::string date = "2026-01-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
      ASSERT_EQ(Hipcoach("log pain " + std::to_string(5 - (day - 5) / 4) +
                             " --worst 6 --running-km 3.5 --sitting-hours 7" + Db(),
                         date + "T08:00")
                    .code,
                0);
      if (day % 2 == 1) {
        Outcome r =
            Hipcoach("log exercise glute_bridge --sets 1 --reps 12 --pain 2 --effort 5" + Db(),
                     date + "T18:00");
        ASSERT_EQ(r.code, 0) << r.err;
      }
    }
  }
  std::string dir_;
  std::string db_;
};

TEST_F(CliTest, AssessSavesUnlessAskedNotTo) {
  Assess();
  EXPECT_TRUE(std::filesystem::exists(db_));
  const std::string other = dir_ + "/other.db";
  Outcome json_only = Hipcoach("assess --answers answers.json --json --db '" + other + "'");
  EXPECT_EQ(json_only.code, 0);
  EXPECT_FALSE(std::filesystem::exists(other));  // --answers --json: no diary unless --save
  EXPECT_TRUE(json::accept(json_only.out));
  Outcome no_save = Hipcoach("assess --answers answers.json --no-save --db '" + other + "'");
  EXPECT_EQ(no_save.code, 0);
  EXPECT_FALSE(std::filesystem::exists(other));
  Outcome save = Hipcoach("assess --answers answers.json --json --save --db '" + other + "'");
  EXPECT_EQ(save.code, 0);
  EXPECT_TRUE(json::accept(save.out));  // stdout stays pure JSON
  EXPECT_TRUE(std::filesystem::exists(other));
}

TEST_F(CliTest, PlanProgressAndWhatChanged) {
  TwoWeeks();
  Outcome plan = Hipcoach("plan" + Db(), "2026-01-19T09:00");
  ASSERT_EQ(plan.code, 0) << plan.err;
  EXPECT_NE(plan.out.find("Your plan for this week"), std::string::npos);
  EXPECT_NE(plan.out.find("(today)"), std::string::npos);
  Outcome progress = Hipcoach("progress" + Db(), "2026-01-19T09:00");
  ASSERT_EQ(progress.code, 0) << progress.err;
  EXPECT_NE(progress.out.find("5.0 at the start"), std::string::npos) << progress.out;
  EXPECT_NE(progress.out.find("What changed and why"), std::string::npos);
  EXPECT_NE(progress.out.find("offset (single-leg-biased) bridge"), std::string::npos)
      << progress.out;
}

TEST_F(CliTest, OutOfRangeLogValuesChangeNothing) {
  Assess();
  const std::string before = Hipcoach("export" + Db()).out;
  Outcome pain = Hipcoach("log pain 11" + Db());
  EXPECT_EQ(pain.code, 2);
  EXPECT_EQ(pain.err,
            "hipcoach: Pain must be a whole number from 0 to 10 (you gave '11'). Nothing was "
            "saved.\n");
  Outcome reps = Hipcoach("log exercise glute_bridge --sets 2 --reps 500 --pain 3" + Db());
  EXPECT_EQ(reps.code, 2);
  EXPECT_NE(reps.err.find("reps must be from 0 to 100"), std::string::npos) << reps.err;
  Outcome typo = Hipcoach("log exercise glute_brige --sets 2 --reps 10 --pain 3" + Db());
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("did you mean 'glute_bridge'"), std::string::npos);
  EXPECT_EQ(Hipcoach("export" + Db()).out, before);
}

TEST_F(CliTest, AFileThatIsNotADatabaseIsRefusedAndLeftAlone) {
  const std::string notes = dir_ + "/notes.txt";
  std::ofstream(notes) << "my notes\n" << std::string(4096, 'n');
  const std::string before = ReadAll(notes);
  Outcome r = Hipcoach("log pain 3 --db '" + notes + "'");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("is not a hipcoach database"), std::string::npos) << r.err;
  EXPECT_EQ(ReadAll(notes), before);
}

TEST_F(CliTest, ALockedDatabaseGivesAClearMessage) {
  Assess();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  Outcome r = Hipcoach("log pain 3" + Db());
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("is busy"), std::string::npos) << r.err;
  json data = json::parse(Hipcoach("export" + Db()).out);
  EXPECT_TRUE(data["checkins"].empty());
}

TEST_F(CliTest, ExportThenImportGivesIdenticalData) {
  TwoWeeks();
  ASSERT_EQ(Hipcoach("export -o export.json" + Db()).code, 0);
  const std::string copy = dir_ + "/copy.db";
  Outcome imported = Hipcoach("import export.json --db '" + copy + "'");
  ASSERT_EQ(imported.code, 0) << imported.err;
  Outcome again = Hipcoach("export --db '" + copy + "'");
  EXPECT_EQ(json::parse(again.out), json::parse(ReadAll(dir_ + "/export.json")));
  // Importing again is refused without --replace; the data stay as they are.
  Outcome twice = Hipcoach("import export.json --db '" + copy + "'");
  EXPECT_EQ(twice.code, 2);
  EXPECT_NE(twice.err.find("already holds your data"), std::string::npos);
}

TEST_F(CliTest, ACorruptImportImportsNothing) {
  TwoWeeks();
  ASSERT_EQ(Hipcoach("export -o export.json" + Db()).code, 0);
  const std::string good = ReadAll(dir_ + "/export.json");
  const std::string copy = dir_ + "/copy.db";
  // Cut off half way.
  std::ofstream(dir_ + "/cut.json") << good.substr(0, good.size() / 2);
  Outcome cut = Hipcoach("import cut.json --db '" + copy + "'");
  EXPECT_EQ(cut.code, 2);
  EXPECT_NE(cut.err.find("not valid JSON"), std::string::npos) << cut.err;
  // One value out of range, deep inside.
  json bad = json::parse(good);
  bad["checkins"][5]["pain_now"] = 14;
  std::ofstream(dir_ + "/bad.json") << bad.dump();
  Outcome range = Hipcoach("import bad.json --db '" + copy + "'");
  EXPECT_EQ(range.code, 2);
  EXPECT_NE(range.err.find("pain now must be from 0 to 10"), std::string::npos) << range.err;
  // A wrong type names its place.
  json typed = json::parse(good);
  typed["exercise_logs"][0]["sets"] = "two";
  std::ofstream(dir_ + "/typed.json") << typed.dump();
  Outcome type = Hipcoach("import typed.json --db '" + copy + "'");
  EXPECT_EQ(type.code, 2);
  EXPECT_NE(type.err.find("export.exercise_logs[0].sets: must be a whole number"),
            std::string::npos)
      << type.err;
  json empty = json::parse(Hipcoach("export --db '" + copy + "'").out);
  EXPECT_TRUE(empty["checkins"].empty());
  EXPECT_TRUE(empty["exercise_logs"].empty());
  // --replace with a bad file keeps the old data.
  Outcome replace = Hipcoach("import bad.json --replace" + Db());
  EXPECT_EQ(replace.code, 2);
  EXPECT_EQ(json::parse(Hipcoach("export" + Db()).out), json::parse(good));
}

// `hipcoach import` checks a file's programme as the clinician route does.
TEST_F(CliTest, AnImportCannotPrescribeWhatTheAssessmentForbids) {
  TwoWeeks();
  ASSERT_EQ(Hipcoach("export -o export.json" + Db()).code, 0);
  json file = json::parse(ReadAll(dir_ + "/export.json"));
  file["programme_versions"][0]["programme"]["items"][0]["sets"] = 999;
  std::ofstream(dir_ + "/dose.json") << file.dump();
  const std::string copy = dir_ + "/copy.db";
  Outcome dose = Hipcoach("import dose.json --db '" + copy + "'");
  EXPECT_EQ(dose.code, 2);
  EXPECT_NE(dose.err.find("sets is 999; it must be from 1 to 4"), std::string::npos) << dose.err;
  json empty = json::parse(Hipcoach("export --db '" + copy + "'").out);
  EXPECT_TRUE(empty["programme_versions"].empty());
}

TEST_F(CliTest, CsvExportHasTheLogs) {
  TwoWeeks();
  ASSERT_EQ(Hipcoach("export --csv csv" + Db()).code, 0);
  const std::string logs = ReadAll(dir_ + "/csv/exercise_logs.csv");
  EXPECT_EQ(logs.rfind("id,time_utc,local_date,session_id,exercise,side,sets,reps", 0), 0u);
  EXPECT_NE(logs.find(",glute_bridge,both,1,12,0,2,5\r\n"), std::string::npos) << logs;
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/csv/checkins.csv"));
}

TEST_F(CliTest, AGuidedSessionCanBeStoppedAndResumed) {
  Assess();
  // Stop after the first exercise's questions.
  Outcome first = Hipcoach("session --fast" + Db(), "2026-01-05T18:00", "\n4\n2\n4\nq\n");
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.out.find("Hold 1/12"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("Stopped. Everything up to here is saved"), std::string::npos);
  json data = json::parse(Hipcoach("export" + Db()).out);
  ASSERT_EQ(data["sessions"].size(), 1u);
  EXPECT_EQ(data["sessions"][0]["status"], "stopped");
  const std::size_t logged = data["exercise_logs"].size();
  EXPECT_EQ(logged, 1u);
  EXPECT_EQ(data["exercise_logs"][0]["reps"], 4);
  // Resume and finish: "2" answers every question (start, reps, pain, effort); y/n prompts
  // re-ask until the input ends.
  std::string twos;
  for (int i = 0; i < 120; ++i) twos += "2\n";
  Outcome rest = Hipcoach("session --fast" + Db(), "2026-01-05T19:00", twos);
  ASSERT_EQ(rest.code, 0) << rest.err;
  EXPECT_NE(rest.out.find("Carrying on with today's session"), std::string::npos);
  EXPECT_NE(rest.out.find("Session complete and saved"), std::string::npos) << rest.out;
  // One-sided exercises: the less painful (right) side first, then a switch-sides cue.
  EXPECT_NE(rest.out.find("Start with your right side"), std::string::npos);
  EXPECT_NE(rest.out.find("Switch sides: now your left side"), std::string::npos);
  data = json::parse(Hipcoach("export" + Db()).out);
  ASSERT_EQ(data["sessions"].size(), 1u);
  EXPECT_EQ(data["sessions"][0]["status"], "completed");
  EXPECT_GT(data["exercise_logs"].size(), logged);
  for (const json& log : data["exercise_logs"]) EXPECT_EQ(log["session_id"], 1);
}

TEST_F(CliTest, IceTimerStopsAtItsLimit) {
  Assess();
  std::string input;
  for (int i = 0; i < 60; ++i) input += "2\n";
  input += "y\n";  // the ice timer
  Outcome r = Hipcoach("session --fast" + Db(), "2026-01-05T18:00", input);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("The timer stops at 20 minutes"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("21 min left"), std::string::npos);
}

// ---- A small strict RFC 5545 checker. ----
struct IcsCheck {
  std::vector<std::string> problems;
  int events = 0;
};

IcsCheck CheckIcs(const std::string& text) {
  IcsCheck check;
  auto problem = [&](const std::string& p) { check.problems.push_back(p); };
  // Physical lines: CRLF only, at most 75 octets.
  std::vector<std::string> physical;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    if (end == std::string::npos) {
      problem("the file does not end with CRLF");
      break;
    }
    const std::string line = text.substr(start, end - start);
    if (line.find('\n') != std::string::npos || line.find('\r') != std::string::npos) {
      problem("a bare LF or CR in: " + line);
    }
    if (line.size() > 75) problem("a line longer than 75 octets: " + line);
    physical.push_back(line);
    start = end + 2;
  }
  // Unfold.
  std::vector<std::string> lines;
  for (const std::string& line : physical) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      if (lines.empty())
        problem("a continuation line first");
      else
        lines.back() += line.substr(1);
    } else {
      lines.push_back(line);
    }
  }
  // Unfolding must not split UTF-8 (a continuation byte would follow the fold).
  for (const std::string& line : physical) {
    if (line.size() > 1 && line[0] == ' ' && (static_cast<unsigned char>(line[1]) & 0xC0) == 0x80) {
      problem("a fold inside a UTF-8 character");
    }
  }
  const std::regex content(R"(^([A-Z][A-Z0-9-]*)((;[A-Z0-9-]+=[^;:]+)*):(.*)$)");
  std::vector<std::string> stack;
  std::map<std::string, int> props;
  std::set<std::string> uids;
  bool version = false, prodid = false;
  for (const std::string& line : lines) {
    std::smatch m;
    if (!std::regex_match(line, m, content)) {
      problem("not a content line: " + line);
      continue;
    }
    const std::string name = m[1], value = m[4];
    if (name == "BEGIN") {
      stack.push_back(value);
      if (value == "VEVENT") props.clear();
      continue;
    }
    if (name == "END") {
      if (stack.empty() || stack.back() != value) problem("END:" + value + " does not match");
      if (value == "VEVENT") {
        ++check.events;
        for (const char* required : {"UID", "DTSTAMP", "DTSTART", "SUMMARY", "RRULE"}) {
          if (props[required] != 1)
            problem(std::string("an event without exactly one ") + required);
        }
        if (props["DURATION"] + props["DTEND"] != 1) problem("an event needs DTEND or DURATION");
      }
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    if (stack.empty()) problem("a property outside VCALENDAR: " + name);
    if (!stack.empty() && stack.back() == "VCALENDAR") {
      version = version || (name == "VERSION" && value == "2.0");
      prodid = prodid || name == "PRODID";
    }
    if (!stack.empty() && stack.back() == "VEVENT") {
      ++props[name];
      if (name == "UID" && !uids.insert(value).second) problem("a duplicate UID: " + value);
      if (name == "DTSTAMP" && !std::regex_match(value, std::regex(R"(\d{8}T\d{6}Z)"))) {
        problem("DTSTAMP must be UTC date-time: " + value);
      }
      if (name == "DTSTART" && !std::regex_match(value, std::regex(R"(\d{8}T\d{6}Z?)"))) {
        problem("DTSTART is not a date-time: " + value);
      }
      if (name == "DURATION" && !std::regex_match(value, std::regex(R"(P(T\d+[HMS])+)"))) {
        problem("bad DURATION: " + value);
      }
      if (name == "RRULE" &&
          !std::regex_match(
              value,
              std::regex(
                  R"(FREQ=WEEKLY;BYDAY=(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*;COUNT=[1-9]\d*)"))) {
        problem("bad RRULE: " + value);
      }
      if (name == "SUMMARY" || name == "DESCRIPTION") {
        // TEXT: ';' and ',' must be escaped, and a backslash only escapes \ ; , n N.
        for (std::size_t i = 0; i < value.size(); ++i) {
          if (value[i] == '\\') {
            if (i + 1 >= value.size() ||
                std::string("\\;,nN").find(value[i + 1]) == std::string::npos) {
              problem("a bad escape in " + name);
            }
            ++i;
          } else if (value[i] == ';' || value[i] == ',') {
            problem("an unescaped ';' or ',' in " + name + ": " + value);
            break;
          }
        }
      }
    }
  }
  if (!stack.empty()) problem("unclosed " + stack.back());
  if (!version) problem("no VERSION:2.0");
  if (!prodid) problem("no PRODID");
  return check;
}

TEST_F(CliTest, TheCalendarIsStrictRfc5545) {
  Assess();
  Outcome r = Hipcoach("calendar -o hipcoach.ics --session-time 07:30" + Db(), "2026-01-07T10:00");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string ics = ReadAll(dir_ + "/hipcoach.ics");
  const IcsCheck check = CheckIcs(ics);
  for (const std::string& p : check.problems) ADD_FAILURE() << p;
  EXPECT_GE(check.events, 3);  // sessions and sitting breaks
  EXPECT_NE(ics.find("DTSTART:20260107T073000\r\n"), std::string::npos) << ics.substr(0, 2000);
  EXPECT_NE(ics.find("SUMMARY:Stand up and move"), std::string::npos);
  EXPECT_NE(ics.find("\r\n "), std::string::npos);  // long descriptions are folded
  // The checker itself catches the mistakes it is for.
  EXPECT_FALSE(CheckIcs("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n").problems.empty());
  std::string no_uid = ics;
  no_uid.erase(no_uid.find("UID:"),
               no_uid.find("\r\n", no_uid.find("UID:")) + 2 - no_uid.find("UID:"));
  EXPECT_FALSE(CheckIcs(no_uid).problems.empty());
  EXPECT_FALSE(CheckIcs(ics + "X-LONG:" + std::string(80, 'x') + "\r\n").problems.empty());
  Outcome none = Hipcoach("calendar --no-sitting-breaks" + Db(), "2026-01-07T10:00");
  EXPECT_EQ(none.out.find("Stand up and move"), std::string::npos);
}

std::pair<unsigned, unsigned> PngSize(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return {0, 0};
  auto be = [&](std::size_t at) {
    return (static_cast<unsigned>(static_cast<unsigned char>(png[at])) << 24) |
           (static_cast<unsigned>(static_cast<unsigned char>(png[at + 1])) << 16) |
           (static_cast<unsigned>(static_cast<unsigned char>(png[at + 2])) << 8) |
           static_cast<unsigned>(static_cast<unsigned char>(png[at + 3]));
  };
  return {be(16), be(20)};
}

TEST_F(CliTest, TheReportIsSelfContainedAndPrintable) {
  TwoWeeks();
  Outcome r = Hipcoach("report -o report.html" + Db(), "2026-01-19T09:00");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = ReadAll(dir_ + "/report.html");
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("@page{size:A4"), std::string::npos);
  EXPECT_GE(std::count(html.begin(), html.end(), '<'), 100);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("class='now' points="), std::string::npos);  // the pain line has points
  EXPECT_NE(html.find("offset (single-leg-biased) bridge"), std::string::npos);  // why it changed
  // No external requests: no URLs in src or href, no scripts, no web fonts.
  EXPECT_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*['"]?(https?:)?//)")));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
}

// The report ranks the causes as `hipcoach assess` does: what a doctor needs to rule out and why,
// then the likely causes with their chance in words (no bare figures), then the less likely ones.
TEST_F(CliTest, TheReportRanksTheCausesAsTheAssessmentDoes) {
  TwoWeeks();
  auto assessment_card = [](const std::string& html) {
    const std::size_t start = html.find("<h2>Assessment</h2>");
    return start == std::string::npos ? std::string()
                                      : html.substr(start, html.find("</div>", start) - start);
  };
  ASSERT_EQ(Hipcoach("report -o report.html" + Db(), "2026-01-19T09:00").code, 0);
  std::string card = assessment_card(ReadAll(dir_ + "/report.html"));
  const json result = json::parse(Hipcoach("assess --answers answers.json --json").out);
  ASSERT_FALSE(result["causes"].empty());
  std::size_t at = card.find("<th>Likely causes (ranked)</th><th>How likely</th>");
  ASSERT_NE(at, std::string::npos) << card;
  for (const json& cause : result["causes"]) {
    const std::string row = "<tr><td>" + cause["name"].get<std::string>() + "</td><td>" +
                            cause["chance"].get<std::string>() + "</td></tr>";
    const std::size_t next = card.find(row, at);
    ASSERT_NE(next, std::string::npos) << row << " in order in " << card;
    at = next;
  }
  EXPECT_EQ(card.find('%'), std::string::npos) << card;
  EXPECT_EQ(card.find("What a doctor needs to rule out"), std::string::npos);
  if (!result["more_causes"].empty()) {
    EXPECT_NE(card.find("Less likely: " + result["more_causes"][0]["name"].get<std::string>()),
              std::string::npos)
        << card;
  }

  // A new assessment with a past cancer: what a doctor needs to rule out comes first, with why.
  json urgent = json::parse(ReadAll(dir_ + "/answers.json"));
  urgent["answers"]["rf_background"] = {"cancer"};
  std::ofstream(dir_ + "/urgent.json") << urgent.dump();
  Outcome assessed =
      Hipcoach("assess --answers urgent.json --json --save" + Db(), "2026-01-19T10:00");
  ASSERT_EQ(assessed.code, 0) << assessed.err;
  const json urgent_result = json::parse(assessed.out);
  ASSERT_FALSE(urgent_result["rule_out"].empty()) << assessed.out;
  ASSERT_EQ(Hipcoach("report -o report.html" + Db(), "2026-01-19T11:00").code, 0);
  card = assessment_card(ReadAll(dir_ + "/report.html"));
  const json& first = urgent_result["rule_out"][0];
  const std::size_t rule_out = card.find("<th>What a doctor needs to rule out</th><th>Why</th>");
  ASSERT_NE(rule_out, std::string::npos) << card;
  const std::size_t row = card.find("<tr><td>" + first["name"].get<std::string>() + "</td><td>");
  EXPECT_GT(row, rule_out);
  EXPECT_LT(row, card.find("Likely causes (ranked)")) << card;
  EXPECT_NE(card.find(first["why"].get<std::string>().substr(0, 40)), std::string::npos) << card;
}

TEST_F(CliTest, TheReportRendersInHeadlessChromium) {
  if (std::system("command -v chromium > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
  }
  TwoWeeks();
  ASSERT_EQ(Hipcoach("report -o report.html" + Db(), "2026-01-19T09:00").code, 0);
  const std::string command =
      "cd '" + dir_ +
      "' && timeout 120 chromium --headless --no-sandbox --disable-gpu "
      "--disable-background-networking --disable-component-update --disable-sync --no-first-run "
      "--user-data-dir=\"$(mktemp -d)\" --screenshot=out.png --window-size=1240,1754 "
      "file://" +
      dir_ + "/report.html > chromium.log 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << ReadAll(dir_ + "/chromium.log");
  const std::string png = ReadAll(dir_ + "/out.png");
  const auto [width, height] = PngSize(png);
  EXPECT_EQ(width, 1240u);
  EXPECT_EQ(height, 1754u);
  // A blank page compresses to a few kilobytes; charts and tables do not.
  EXPECT_GT(png.size(), 40000u) << "the screenshot looks empty";
}

}  // namespace
