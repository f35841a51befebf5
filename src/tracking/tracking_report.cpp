// The summary of tracked weeks, `hipcoach progress` and `hipcoach report`.
#include "hipcoach/tracking_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "hipcoach/inference.hpp"
#include "hipcoach/json_reader.hpp"

namespace hipcoach::tracking {
namespace {

using json = nlohmann::json;

std::string Html(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string One(double v) { return fmt::format("{:.1f}", v); }

bool AnyScheduled(const ActivePlan& plan, int day) {
  for (const Prescription& item : plan.items) {
    if (ScheduledOn(item.days, day)) return true;
  }
  return false;
}

std::string ExerciseName(const KnowledgeBase& kb, const std::string& id) {
  const Exercise* e = kb.FindExercise(id);
  return e != nullptr ? e->name : id;
}

std::string DoseText(const Prescription& p) {
  return fmt::format(
      "{} x {}-{}{}{}{}", p.sets, p.reps_min, p.reps_max,
      p.hold_seconds > 0 ? fmt::format(", {} s holds", p.hold_seconds) : std::string(),
      p.per_side ? ", each side" : "",
      p.load_steps > 0
          ? fmt::format(", +{} load step{}", p.load_steps, p.load_steps == 1 ? "" : "s")
          : std::string());
}

std::string DaysText(DoseDays days) {
  switch (days) {
    case DoseDays::kStrength:
      return "3 days a week (not two days running)";
    case DoseDays::kRestDaysOk:
      return "every day";
    case DoseDays::kDaily:
      return "6 days a week";
  }
  return "";
}

// ---- Inline SVG charts. ----

struct Chart {
  int width = 640;
  int height = 220;
  int left = 40, right = 12, top = 14, bottom = 30;
  double x_max = 1, y_max = 10;
  double X(double x) const { return left + (width - left - right) * (x_max > 0 ? x / x_max : 0); }
  double Y(double y) const { return top + (height - top - bottom) * (1 - y / y_max); }
};

std::string Axes(const Chart& c, const std::string& x_label, int y_step) {
  std::string out;
  for (int y = 0; y <= static_cast<int>(c.y_max); y += y_step) {
    out += fmt::format(
        "<line x1='{}' y1='{:.1f}' x2='{}' y2='{:.1f}' class='grid'/><text x='{}' y='{:.1f}' "
        "class='tick' text-anchor='end'>{}</text>",
        c.left, c.Y(y), c.width - c.right, c.Y(y), c.left - 4, c.Y(y) + 4, y);
  }
  out += fmt::format("<text x='{}' y='{}' class='tick' text-anchor='middle'>{}</text>",
                     (c.left + c.width - c.right) / 2, c.height - 4, Html(x_label));
  return out;
}

std::string PainChart(const Summary& s) {
  Chart c;
  c.x_max = std::max(7, s.today);
  std::string svg = fmt::format(
      "<svg viewBox='0 0 {} {}' role='img' aria-label='Pain score by day'>", c.width, c.height);
  svg += Axes(c, "days since the programme started", 2);
  std::string now_points, worst_points;
  for (const DaySummary& d : s.days) {
    now_points += fmt::format("{:.1f},{:.1f} ", c.X(d.day), c.Y(d.pain_now));
    if (d.worst) worst_points += fmt::format("{:.1f},{:.1f} ", c.X(d.day), c.Y(*d.worst));
  }
  if (!worst_points.empty()) {
    svg += "<polyline class='worst' points='" + worst_points + "'/>";
  }
  if (!now_points.empty()) svg += "<polyline class='now' points='" + now_points + "'/>";
  for (int week = 1; week * 7 <= s.today; ++week) {
    svg += fmt::format("<text x='{:.1f}' y='{}' class='tick' text-anchor='middle'>w{}</text>",
                       c.X(week * 7), c.height - 18, week + 1);
  }
  svg += "</svg>";
  return svg;
}

std::string BarChart(
    const std::vector<WeekSummary>& weeks, const std::string& label, double y_max, int y_step,
    const std::vector<std::pair<std::string, double (*)(const WeekSummary&)>>& series) {
  Chart c;
  c.height = 180;
  c.x_max = static_cast<double>(std::max<std::size_t>(weeks.size(), 1));
  c.y_max = std::max(1.0, y_max);
  std::string svg = fmt::format("<svg viewBox='0 0 {} {}' role='img' aria-label='{}'>", c.width,
                                c.height, Html(label));
  svg += Axes(c, label, y_step);
  const double slot = (c.width - c.left - c.right) / c.x_max;
  const double bar = slot * 0.8 / static_cast<double>(series.size());
  for (std::size_t w = 0; w < weeks.size(); ++w) {
    for (std::size_t k = 0; k < series.size(); ++k) {
      const double value = std::clamp(series[k].second(weeks[w]), 0.0, c.y_max);
      const double x =
          c.left + slot * static_cast<double>(w) + slot * 0.1 + bar * static_cast<double>(k);
      svg += fmt::format("<rect class='{}' x='{:.1f}' y='{:.1f}' width='{:.1f}' height='{:.1f}'/>",
                         series[k].first, x, c.Y(value), bar, c.Y(0) - c.Y(value));
    }
    if (weeks.size() <= 26 || w % 4 == 0) {
      svg +=
          fmt::format("<text x='{:.1f}' y='{}' class='tick' text-anchor='middle'>{}</text>",
                      c.left + slot * (static_cast<double>(w) + 0.5), c.height - 18, weeks[w].week);
    }
  }
  svg += "</svg>";
  return svg;
}

// Fields of a stored document, read without trusting their types.
std::string Str(const json& object, const char* key, const std::string& fallback = "") {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

double Num(const json& object, const char* key, double fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

const json& Array(const json& object, const char* key) {
  static const json empty = json::array();
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : empty;
}

std::optional<StoredCause> ReadCause(const KnowledgeBase& kb, const json& c) {
  if (!c.is_object()) return std::nullopt;
  StoredCause cause;
  cause.id = Str(c, "id");
  if (cause.id.empty()) return std::nullopt;
  cause.name = Str(c, "name", cause.id);
  cause.summary = Str(c, "summary");
  cause.probability = std::clamp(Num(c, "probability", 0), 0.0, kb.rules.max_probability);
  cause.chance = ChanceText(cause.probability);
  cause.flagged_by = Str(c, "flagged_by");
  cause.why = Str(c, "why");
  if (!cause.flagged_by.empty() && cause.why.empty()) {
    if (const RedFlag* flag = kb.FindRedFlag(cause.flagged_by)) cause.why = flag->reason;
  }
  for (const json& item : Array(c, "evidence")) {
    if (!item.is_object()) continue;
    const auto supports = item.find("supports");
    cause.evidence.push_back(
        {Str(item, "text"),
         supports == item.end() || !supports->is_boolean() || supports->get<bool>(),
         Num(item, "likelihood_ratio", 1)});
  }
  return cause;
}

}  // namespace

StoredRanking RankingOf(const KnowledgeBase& kb, const json& result) {
  StoredRanking out;
  if (!result.is_object()) return out;
  for (const json& c : Array(result, "rule_out")) {
    if (auto cause = ReadCause(kb, c)) out.rule_out.push_back(std::move(*cause));
  }
  if (result.contains("rule_out")) {
    for (const json& c : Array(result, "causes")) {
      if (auto cause = ReadCause(kb, c)) out.causes.push_back(std::move(*cause));
    }
    for (const json& c : Array(result, "more_causes")) {
      if (auto cause = ReadCause(kb, c)) out.more_causes.push_back(std::move(*cause));
    }
    return out;
  }
  // A result stored before rule_out: the flagged causes came first among the causes.
  std::vector<StoredCause> ranked;
  for (const json& c : Array(result, "causes")) {
    auto cause = ReadCause(kb, c);
    if (!cause) continue;
    (cause->flagged_by.empty() ? ranked : out.rule_out).push_back(std::move(*cause));
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const StoredCause& a, const StoredCause& b) {
    return a.probability > b.probability;
  });
  for (StoredCause& cause : ranked) {
    if (static_cast<int>(out.causes.size()) < kb.rules.causes_shown) {
      out.causes.push_back(std::move(cause));
    } else if (cause.probability >= kb.rules.report_min) {
      out.more_causes.push_back(std::move(cause));
    }
  }
  return out;
}

namespace {}  // namespace

Summary Summarise(const KnowledgeBase& kb, const DataSet& data, const ActivePlan& plan,
                  TimeSeconds now) {
  Summary s;
  s.start_day = plan.start_day;
  s.today = LocalDay(now) - plan.start_day;
  std::map<int, std::pair<double, int>> pain;
  std::map<int, int> worst;
  std::map<int, int> entries;
  const int weeks = std::max(1, s.today / 7 + 1);
  s.weeks.resize(static_cast<std::size_t>(weeks));
  for (int w = 0; w < weeks; ++w) s.weeks[static_cast<std::size_t>(w)].week = w + 1;
  std::vector<std::map<int, bool>> sitting_days(static_cast<std::size_t>(weeks));
  for (const CheckIn& c : data.checkins) {
    const int day = LocalDay(c.at) - plan.start_day;
    if (day < 0 || day > s.today) continue;
    auto& [sum, count] = pain[day];
    sum += c.pain_now;
    ++count;
    if (c.pain_worst) worst[day] = std::max(worst.count(day) ? worst[day] : 0, *c.pain_worst);
    WeekSummary& week = s.weeks[static_cast<std::size_t>(day / 7)];
    week.running_km += c.running_km.value_or(0);
    week.cycling_minutes += c.cycling_minutes.value_or(0);
    if (c.sitting_hours) {
      week.sitting_hours += *c.sitting_hours;
      sitting_days[static_cast<std::size_t>(day / 7)][day] = true;
    }
  }
  for (const ExerciseLog& l : data.exercise_logs) {
    const int day = LocalDay(l.at) - plan.start_day;
    if (day < 0 || day > s.today) continue;
    ++entries[day];
    ++s.weeks[static_cast<std::size_t>(day / 7)].exercise_entries;
  }
  std::vector<DailyPain> daily;
  for (const auto& [day, total] : pain) {
    DaySummary d;
    d.day = day;
    d.pain_now = total.first / total.second;
    if (worst.count(day)) d.worst = worst[day];
    s.days.push_back(d);
    daily.push_back(DailyPain{day, d.pain_now});
  }
  s.trend = Trend(kb.rules, daily);
  for (int w = 0; w < weeks; ++w) {
    WeekSummary& week = s.weeks[static_cast<std::size_t>(w)];
    double pain_sum = 0;
    int pain_days = 0;
    for (int day = w * 7; day < w * 7 + 7 && day <= s.today; ++day) {
      const bool scheduled = AnyScheduled(plan, day) && day < s.today;
      const bool done = entries.count(day) > 0;
      if (scheduled) ++week.scheduled_days;
      if (scheduled && done) ++week.done_days;
      if (auto it = pain.find(day); it != pain.end()) {
        pain_sum += it->second.first / it->second.second;
        ++pain_days;
      }
    }
    if (pain_days > 0) week.pain = pain_sum / pain_days;
    const auto sat = static_cast<double>(sitting_days[static_cast<std::size_t>(w)].size());
    if (sat > 0) week.sitting_hours /= sat;
    s.scheduled_days += week.scheduled_days;
    s.done_days += week.done_days;
  }
  for (const ProgrammeVersion& v : data.programmes) {
    s.changes.push_back(Change{v.at, "programme", v.reason});
  }
  for (const Event& e : data.events) {
    if (e.kind == "programme_change") continue;  // the version's reason says it
    s.changes.push_back(Change{e.at, e.kind, e.message});
  }
  std::stable_sort(s.changes.begin(), s.changes.end(),
                   [](const Change& a, const Change& b) { return a.at < b.at; });
  for (const OutcomeRecord& o : data.outcomes) {
    if (o.measure != "psfs") continue;
    if (!s.first_psfs) s.first_psfs = o;
    s.latest_psfs = o;
  }
  return s;
}

std::string ProgressText(const KnowledgeBase& kb, const Summary& s, const State& state) {
  std::string out;
  out += fmt::format("Your progress: day {} of your programme (week {})\n\n", s.today + 1,
                     s.today / 7 + 1);
  if (state.paused) out += "Your programme is paused: " + state.pause_message + "\n\n";
  if (s.trend.baseline && s.trend.current) {
    const double change = *s.trend.baseline - *s.trend.current;
    out += fmt::format(
        "Pain (0-10): {} at the start, {} now (mean of the last {} days with "
        "entries): {}.\n",
        One(*s.trend.baseline), One(*s.trend.current), kb.rules.trend_window_days,
        change >= kb.rules.meaningful_change_points ||
                (*s.trend.baseline > 0 &&
                 change / *s.trend.baseline * 100 >= kb.rules.meaningful_change_percent)
            ? "a real improvement"
        : change <= -kb.rules.worse_rise_points ? "worse"
        : change > 0                            ? "a little better"
        : change < 0                            ? "a little worse"
                                                : "about the same");
  } else {
    out += "Pain: no check-ins yet. Run 'hipcoach checkin' or 'hipcoach log pain N'.\n";
  }
  if (s.first_psfs && s.latest_psfs) {
    out += fmt::format("Your activities (PSFS, 0-10, higher is better): {} at the start, {} now.\n",
                       One(s.first_psfs->score), One(s.latest_psfs->score));
  }
  out += fmt::format("Sessions done: {} of {} planned days{}.\n", s.done_days, s.scheduled_days,
                     s.scheduled_days > 0
                         ? fmt::format(" ({} %)", s.done_days * 100 / s.scheduled_days)
                         : std::string());
  out += "\nWeek by week:\n";
  const std::size_t first = s.weeks.size() > 8 ? s.weeks.size() - 8 : 0;  // the last eight weeks
  for (std::size_t i = first; i < s.weeks.size(); ++i) {
    const WeekSummary& w = s.weeks[i];
    out += fmt::format("  week {:>2}: pain {:>4}  sessions {}/{}  running {} km  cycling {} min\n",
                       w.week, w.pain ? One(*w.pain) : "-", w.done_days, w.scheduled_days,
                       One(w.running_km), w.cycling_minutes);
  }
  out += "\nWhat changed and why:\n";
  const std::size_t from = s.changes.size() > 10 ? s.changes.size() - 10 : 0;
  for (std::size_t i = from; i < s.changes.size(); ++i) {
    const Change& c = s.changes[i];
    out += fmt::format("  {}  {}\n", LocalDate(LocalDay(c.at)), c.text);
  }
  if (s.changes.empty()) out += "  Nothing yet.\n";
  return out;
}

std::string ReportHtml(const KnowledgeBase& kb, const DataSet& data, const State& state,
                       const Summary& s, TimeSeconds now) {
  std::string h;
  h.reserve(64 * 1024);
  h += R"(<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hipcoach report</title>
<style>
body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#1a1a1a;margin:0 auto;max-width:190mm;padding:8mm;font-size:10.5pt;line-height:1.4}
h1{font-size:17pt;margin:0 0 2mm}h2{font-size:12.5pt;margin:6mm 0 2mm;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin:2mm 0}th,td{border:1px solid #bbb;padding:1.2mm 2mm;text-align:left;vertical-align:top}
th{background:#eee}.muted{color:#555}.alert{border:2px solid #b00;padding:2mm 3mm;background:#fff4f4}
svg{width:100%;height:auto;display:block}.grid{stroke:#ddd;stroke-width:1}.tick{font-size:10px;fill:#444}
.now{fill:none;stroke:#1f5fa8;stroke-width:2}.worst{fill:none;stroke:#c0392b;stroke-width:1.2;stroke-dasharray:4 3}
.done{fill:#2e8b57}.planned{fill:#c8d6c8}.run{fill:#1f5fa8}.cycle{fill:#e08e0b}.sit{fill:#7d3c98}
.key span{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px}
.card{break-inside:avoid;page-break-inside:avoid}
@page{size:A4;margin:15mm}
@media print{body{padding:0;max-width:none;font-size:10pt}h2{break-after:avoid}.card{break-inside:avoid}a{color:inherit;text-decoration:none}}
</style></head><body>
)";
  h += "<h1>hipcoach report</h1>\n";
  h += fmt::format(
      "<p class='muted'>For a physiotherapist or GP. Printed {}; programme started {} (day {}). "
      "Knowledge base {}. Self-care guidance, not a diagnosis.</p>\n",
      LocalDate(LocalDay(now)), LocalDate(s.start_day), s.today + 1, Html(kb.version));
  if (state.paused) {
    h += "<p class='alert'><strong>Programme paused.</strong> " + Html(state.pause_message) +
         "</p>\n";
  }

  // Assessment.
  h += "<div class='card'><h2>Assessment</h2>\n";
  if (state.assessment) {
    const json result = ReadUntrustedJson(state.assessment->result_json, json_limits::Stored())
                            .value_or(json(nullptr));
    h += fmt::format("<p>Assessed {}.</p>", LocalDate(LocalDay(state.assessment->at)));
    if (result.is_object()) {
      const json triage = result.contains("triage") ? result["triage"] : json();
      if (triage.is_object()) {
        h += "<p><strong>" + Html(TextField(triage, "title")) + "</strong> (" +
             Html(TextField(triage, "level")) + "). " + Html(TextField(triage, "action")) + "</p>";
        std::string doubts;
        for (const json& doubt : Array(triage, "doubts")) {
          if (doubt.is_object()) doubts += "<li>" + Html(Str(doubt, "text")) + "</li>";
        }
        if (!doubts.empty()) h += "<p>Where they were not sure:</p><ul>" + doubts + "</ul>";
      }
      // The same ranking as `hipcoach assess` shows.
      const StoredRanking ranking = RankingOf(kb, result);
      if (!ranking.rule_out.empty()) {
        h += "<table><tr><th>What a doctor needs to rule out</th><th>Why</th></tr>";
        for (const StoredCause& c : ranking.rule_out) {
          h += "<tr><td>" + Html(c.name) + "</td><td>" + Html(c.why) + "</td></tr>";
        }
        h += "</table>";
      }
      if (!ranking.causes.empty()) {
        h += "<table><tr><th>Likely causes (ranked)</th><th>How likely</th></tr>";
        for (const StoredCause& c : ranking.causes) {
          h += "<tr><td>" + Html(c.name) + "</td><td>" + Html(c.chance) + "</td></tr>";
        }
        h += "</table>";
      }
      if (!ranking.more_causes.empty()) {
        std::string names;
        for (const StoredCause& c : ranking.more_causes) {
          names += (names.empty() ? "" : ", ") + Html(c.name);
        }
        h += "<p class='muted'>Less likely: " + names + ".</p>";
      }
    }
  } else {
    h += "<p>No assessment stored.</p>";
  }
  h += "</div>\n";

  // Programme.
  h += "<div class='card'><h2>Current programme</h2>\n";
  if (state.plan) {
    const ActivePlan& plan = *state.plan;
    std::string phase_name;
    for (const Phase& p : kb.rules.phases) {
      if (p.number == plan.phase) phase_name = p.name;
    }
    h += fmt::format("<p>Phase {}{}. Painful side: {}.</p>", plan.phase,
                     phase_name.empty() ? "" : " (" + Html(phase_name) + ")",
                     plan.painful_side.empty() ? "not given" : Html(plan.painful_side));
    h += "<table><tr><th>Exercise</th><th>Dose</th><th>When</th><th>Since</th></tr>";
    for (const Prescription& p : plan.items) {
      h += "<tr><td>" + Html(ExerciseName(kb, p.exercise)) + "</td><td>" + Html(DoseText(p)) +
           "</td><td>" + DaysText(p.days) + "</td><td>" + LocalDate(plan.start_day + p.since_day) +
           "</td></tr>";
    }
    h += "</table>";
  }
  h += "</div>\n";

  // Charts.
  h += "<div class='card'><h2>Pain (0-10)</h2>\n";
  if (s.trend.baseline && s.trend.current) {
    h += fmt::format("<p>{} at the start, {} now (mean of the last {} days with entries).</p>",
                     One(*s.trend.baseline), One(*s.trend.current), kb.rules.trend_window_days);
  }
  h += PainChart(s);
  h += "<p class='key'><span style='background:#1f5fa8'></span>pain now (daily mean)"
       "<span style='background:#c0392b'></span>worst in 24 hours</p></div>\n";
  double max_days = 7;
  double max_run = 1;
  double max_cycle = 1;
  for (const WeekSummary& w : s.weeks) {
    max_run = std::max(max_run, w.running_km);
    max_cycle = std::max(max_cycle, w.cycling_minutes / 10.0);
  }
  h += "<div class='card'><h2>Adherence: exercise days per week</h2>\n";
  h += fmt::format("<p>{} of {} planned days done{}.</p>", s.done_days, s.scheduled_days,
                   s.scheduled_days > 0
                       ? fmt::format(" ({} %)", s.done_days * 100 / s.scheduled_days)
                       : std::string());
  h += BarChart(s.weeks, "week", max_days, 1,
                {{"planned", [](const WeekSummary& w) { return double(w.scheduled_days); }},
                 {"done", [](const WeekSummary& w) { return double(w.done_days); }}});
  h += "<p class='key'><span style='background:#c8d6c8'></span>planned"
       "<span style='background:#2e8b57'></span>done</p></div>\n";
  h += "<div class='card'><h2>Activity load per week</h2>\n";
  const double load_max = std::ceil(std::max({max_run, max_cycle, 12.0}));
  h += BarChart(s.weeks, "week", load_max, std::max(1, static_cast<int>(load_max / 5)),
                {{"run", [](const WeekSummary& w) { return w.running_km; }},
                 {"cycle", [](const WeekSummary& w) { return w.cycling_minutes / 10.0; }},
                 {"sit", [](const WeekSummary& w) { return w.sitting_hours; }}});
  h += "<p class='key'><span style='background:#1f5fa8'></span>running (km)"
       "<span style='background:#e08e0b'></span>cycling (x10 min)"
       "<span style='background:#7d3c98'></span>sitting (hours a day)</p></div>\n";

  if (s.first_psfs && s.latest_psfs) {
    h += "<div class='card'><h2>Patient-Specific Functional Scale (0-10)</h2><table>"
         "<tr><th>Activity</th><th>First</th><th>Latest</th></tr>";
    for (const PsfsItem& item : s.latest_psfs->items) {
      std::string first = "-";
      for (const PsfsItem& f : s.first_psfs->items) {
        if (f.activity == item.activity) first = std::to_string(f.score);
      }
      h += "<tr><td>" + Html(item.activity) + "</td><td>" + first + "</td><td>" +
           std::to_string(item.score) + "</td></tr>";
    }
    h += fmt::format("<tr><th>Mean</th><th>{}</th><th>{}</th></tr></table></div>\n",
                     One(s.first_psfs->score), One(s.latest_psfs->score));
  }

  h += "<div class='card'><h2>Changes and why</h2><table><tr><th>Date</th><th>What</th>"
       "<th>Why</th></tr>";
  for (const Change& c : s.changes) {
    h += "<tr><td>" + LocalDate(LocalDay(c.at)) + "</td><td>" + Html(c.kind) + "</td><td>" +
         Html(c.text) + "</td></tr>";
  }
  if (s.changes.empty()) h += "<tr><td colspan='3'>No changes yet.</td></tr>";
  h += "</table></div>\n";
  h += fmt::format("<p class='muted'>{} check-ins, {} exercise entries, {} sessions.</p>\n",
                   data.checkins.size(), data.exercise_logs.size(), data.sessions.size());
  h += "</body></html>\n";
  return h;
}

}  // namespace hipcoach::tracking
