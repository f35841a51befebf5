// The web API against a running server: hipcoach::server::Start on an ephemeral loopback port,
// in-process, with a fresh database per test, and real HTTP requests (cpp-httplib's client).
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "hipcoach/app.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/serialize.hpp"
#include "hipcoach/server.hpp"
#include "hipcoach/store.hpp"
#include "pg_test_support.hpp"
#include "web_support.hpp"

namespace hipcoach::server {
namespace {

TEST(WebApi, StatusInPersonalMode) {
  Server server;
  Client client(server.port());
  auto [status, body] = client.Call("GET", "/api/v1/status");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["mode"], "personal");
  EXPECT_EQ(body["knowledge_version"], Kb().version);
  EXPECT_TRUE(body["signed_in"].get<bool>());
  EXPECT_EQ(body["csrf"].get<std::string>().size(), 48u);
}

TEST(WebApi, InterviewMatchesTheCoreAssessment) {
  Server server;
  Client client(server.port());
  auto [answers, result] = RunInterview(client, SelfCareAnswer);
  ASSERT_TRUE(result.is_object());
  EXPECT_EQ(result["stop_reason"], "complete");
  // The same answers through the core give the same document.
  auto parsed = ParseAnswersDocument(Kb(), json{{"answers", answers}}.dump(), "test");
  ASSERT_TRUE(parsed) << parsed.error().message;
  json expected = AssessmentJson(Kb(), Assess(Kb(), *parsed).value());
  result.erase("stop_reason");
  EXPECT_EQ(result, expected);
  EXPECT_FALSE(result["programme"].is_null());
  // The result document: at most five likely causes in order of probability, none above 90 %,
  // each with its chance in words; the rest behind "show more"; the doubts, not the old list of
  // unanswered screening questions.
  ASSERT_TRUE(result["causes"].is_array());
  ASSERT_FALSE(result["causes"].empty());
  EXPECT_LE(result["causes"].size(), 5u);
  double previous = 1;
  for (const json& group : {result["causes"], result["more_causes"]}) {
    for (const json& cause : group) {
      const double p = cause["probability"];
      EXPECT_LE(p, 0.9) << cause["id"];
      EXPECT_LE(p, previous) << cause["id"];
      previous = p;
      EXPECT_NE(cause["chance"].get<std::string>().find("in 10 people with answers like yours"),
                std::string::npos);
      EXPECT_FALSE(cause.contains("flagged_by")) << cause["id"];
    }
  }
  EXPECT_TRUE(result["rule_out"].is_array());
  EXPECT_TRUE(result["rule_out"].empty());
  EXPECT_TRUE(result["triage"]["doubts"].is_array());
  EXPECT_FALSE(result["triage"].contains("unanswered_screening"));
}

// "Not sure" is an answer, and no longer the danger sign itself: a person who cannot say whether
// they had a fever (asked plainly after a "not sure" to the list) is read as the knowledge base
// says, told so in the result with how to check, and keeps the self-care advice and programme.
TEST(WebApi, NotSureIsADoubtNotADangerSign) {
  Server server;
  Client client(server.port());
  std::vector<std::string> asked;
  auto [answers, result] = RunInterview(client, [&asked](const json& q) -> json {
    const std::string id = q["id"];
    asked.push_back(id);
    if (id == "rf_body_signs" || id == "rf_fever_plain") return "unknown";
    return SelfCareAnswer(q);
  });
  // The plainer follow-ups came one at a time right after the "not sure", each saying so.
  const auto list = std::find(asked.begin(), asked.end(), "rf_body_signs");
  ASSERT_NE(list, asked.end());
  ASSERT_NE(list + 1, asked.end());
  EXPECT_EQ(*(list + 1), "rf_fever_plain");
  EXPECT_EQ(result["stop_reason"], "complete");
  EXPECT_NE(result["triage"]["level"], "emergency");
  EXPECT_NE(result["triage"]["level"], "urgent");
  EXPECT_FALSE(result["programme"].is_null());
  ASSERT_EQ(result["triage"]["doubts"].size(), 1u) << result["triage"].dump();
  const json& doubt = result["triage"]["doubts"][0];
  EXPECT_EQ(doubt["question"], "rf_fever_plain");
  const Question* fever = Kb().FindQuestion("rf_fever_plain");
  ASSERT_NE(fever, nullptr);
  EXPECT_FALSE(fever->check.empty());
  EXPECT_NE(doubt["text"].get<std::string>().find(fever->check), std::string::npos) << doubt.dump();
  // The question itself says how to check, and which question it follows up.
  auto [status, questions] = client.Call("GET", "/api/v1/questions");
  ASSERT_EQ(status, 200);
  bool found = false;
  for (const json& q : questions["questions"]) {
    if (q["id"] != "rf_fever_plain") continue;
    found = true;
    EXPECT_EQ(q["check"], fever->check);
    EXPECT_EQ(q["follows_up"], "rf_body_signs");
    EXPECT_TRUE(q["red_flag_screen"].get<bool>());
  }
  EXPECT_TRUE(found);
}

// An assessment needs its danger screen: answers that leave a screening question out are refused
// (400 incomplete_screen), naming the first one the interview would still ask, and nothing is
// saved. "Not sure" counts as an answer.
TEST(WebApi, AnAssessmentWithoutItsDangerScreenIsRefusedAndNotSaved) {
  Server server;
  Client client(server.port());
  client.LoadCsrf();
  json answers = RunInterview(client, SelfCareAnswer).first;
  ASSERT_TRUE(answers.contains("rf_nerve_signs"));
  ASSERT_TRUE(answers.contains("rf_body_signs"));
  answers.erase("rf_nerve_signs");
  answers.erase("rf_body_signs");
  // The question the interview asks next is the one the refusal names.
  auto [i_status, next] = client.Call("POST", "/api/v1/interview", {{"answers", answers}});
  ASSERT_EQ(i_status, 200) << next.dump();
  const std::string first = next["question"]["id"];
  EXPECT_TRUE(first == "rf_nerve_signs" || first == "rf_body_signs") << first;
  const auto refused = client.Call("POST", "/api/v1/assessments", {{"answers", answers}});
  ExpectError(refused, 400, "incomplete_screen");
  const std::string message = refused.second["error"]["message"];
  EXPECT_EQ(message.rfind("the danger-sign question " + first + " (\"", 0), 0u) << message;
  EXPECT_NE(message.find("(\"not sure\" is an answer)"), std::string::npos) << message;
  // No answers at all: the first question of the interview.
  const auto empty = client.Call("POST", "/api/v1/assessments", {{"answers", json::object()}});
  ExpectError(empty, 400, "incomplete_screen");
  auto [f_status, start] = client.Call("POST", "/api/v1/interview", {{"answers", json::object()}});
  ASSERT_EQ(f_status, 200);
  EXPECT_NE(empty.second["error"]["message"].get<std::string>().find(
                "question " + start["question"]["id"].get<std::string>() + " "),
            std::string::npos);
  // Nothing was saved: no assessment, no programme.
  auto [l_status, list] = client.Call("GET", "/api/v1/assessments");
  EXPECT_EQ(l_status, 200);
  EXPECT_TRUE(list["assessments"].empty()) << list.dump();
  ExpectError(client.Call("GET", "/api/v1/programme"), 404, "no_programme");
  // "Not sure" to each named question (and the plainer follow-ups it brings) completes it.
  for (int step = 0; step < 20; ++step) {
    auto [status, body] = client.Call("POST", "/api/v1/assessments", {{"answers", answers}});
    if (status == 201) break;
    ASSERT_EQ(body["error"]["code"], "incomplete_screen") << body.dump();
    const std::string text = body["error"]["message"];
    const std::string prefix = "the danger-sign question ";
    ASSERT_EQ(text.rfind(prefix, 0), 0u) << text;
    answers[text.substr(prefix.size(), text.find(' ', prefix.size()) - prefix.size())] = "unknown";
  }
  auto [after_status, after] = client.Call("GET", "/api/v1/assessments");
  EXPECT_EQ(after["assessments"].size(), 1u) << after.dump();
}

TEST(WebApi, DangerSignGivesEmergencyAndNoProgramme) {
  Server server;
  Client client(server.port());
  auto [answers, result] = RunInterview(client, [](const json& q) -> json {
    if (q["id"] == "rf_nerve_signs") return json::array({"bladder"});
    return SelfCareAnswer(q);
  });
  EXPECT_EQ(result["triage"]["level"], "emergency");
  EXPECT_TRUE(result["programme"].is_null());
  EXPECT_EQ(result["stop_reason"], "danger_sign");
  // Saved, it pauses tracking: there is no programme to show.
  client.LoadCsrf();
  auto [saved_status, saved] = client.Call("POST", "/api/v1/assessments", {{"answers", answers}});
  EXPECT_EQ(saved_status, 201);
  EXPECT_FALSE(saved["has_programme"].get<bool>());
  ExpectError(client.Call("GET", "/api/v1/programme"), 404, "no_programme");
}

TEST(WebApi, BadInterviewInputIsAPlainJsonError) {
  Server server;
  Client client(server.port());
  ExpectError(client.Call("POST", "/api/v1/interview", {{"answers", {{"pain_now", 12}}}}), 400,
              "invalid_answer");
  ExpectError(client.Call("POST", "/api/v1/interview", {{"answers", {{"no_such_question", 1}}}}),
              400, "invalid_answer");
  auto raw = client.Raw("POST", "/api/v1/interview", "{not json");
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->status, 400);
  EXPECT_EQ(json::parse(raw->body)["error"]["code"], "invalid_answer");
  ExpectError(client.Call("GET", "/api/v1/nothing-here"), 404, "not_found");
  ExpectError(client.Call("DELETE", "/api/v1/interview", json::object()), 405,
              "method_not_allowed");
  auto [status, message] = client.Call("POST", "/api/v1/interview", {{"answers", {{"age", "x"}}}});
  EXPECT_EQ(status, 400);
  EXPECT_EQ(message["error"]["message"].get<std::string>().rfind("request:", 0), std::string::npos);
}

TEST(WebApi, LimitsAndCrossSiteRequests) {
  Server server;
  Client client(server.port());
  // Too large.
  auto big = client.Raw("POST", "/api/v1/interview", std::string(3 << 20, ' '));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  // A compressed body is refused unread.
  auto gz = client.Raw("POST", "/api/v1/interview", "xx", {{"Content-Encoding", "gzip"}});
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->status, 415);
  // DNS rebinding: a loopback server answers only to loopback host names.
  auto host = client.Raw("GET", "/api/v1/status", "", {{"Host", "evil.example:8080"}});
  ASSERT_TRUE(host);
  EXPECT_EQ(host->status, 421);
  // Another site's page posting here.
  client.LoadCsrf();
  auto cross = client.Raw("POST", "/api/v1/checkins", R"({"pain_now": 3})",
                          {{"Origin", "http://evil.example"}});
  ASSERT_TRUE(cross);
  EXPECT_EQ(cross->status, 403);
  // Without the CSRF token.
  client.ForgetCsrf();
  ExpectError(client.Call("POST", "/api/v1/checkins", {{"pain_now", 3}}), 403, "csrf");
}

TEST(WebApi, StaticFilesAreGzippedWithAnETag) {
  Server server;
  httplib::Client http("127.0.0.1", server.port());
  http.set_decompress(false);
  // A browser says it accepts gzip (a client that does not gets the file as it is:
  // Hardening.StaticFilesAreGzippedOnlyForClientsThatAcceptIt).
  const httplib::Headers gzip = {{"Accept-Encoding", "gzip, deflate, br"}};
  auto r = http.Get("/", gzip);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  ASSERT_GE(r->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(r->body[0]), 0x1f);  // gzip magic
  const std::string etag = r->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto again = http.Get("/", {{"If-None-Match", etag}, {"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  auto js = http.Get("/js/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  auto missing = http.Get("/nope.html");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST(WebApi, TrackingFlowAndSurvivesARestart) {
  const std::string db = TempDb();
  json answers;
  {
    Server server(false, db);
    Client client(server.port());
    client.LoadCsrf();
    answers = RunInterview(client, SelfCareAnswer).first;
    auto [saved_status, saved] = client.Call("POST", "/api/v1/assessments", {{"answers", answers}});
    ASSERT_EQ(saved_status, 201) << saved.dump();
    auto [p_status, programme] = client.Call("GET", "/api/v1/programme");
    ASSERT_EQ(p_status, 200) << programme.dump();
    ASSERT_FALSE(programme["items"].empty());
    EXPECT_EQ(programme["days"].size(), 7u);
    EXPECT_FALSE(programme["days"][0]["rest_day"].get<bool>());
    for (const auto& care : programme["self_care"]) {
      if (care["id"] == "ice") {
        EXPECT_LE(care["max_minutes"].get<int>(), Kb().rules.ice_max_minutes);
      }
    }
    // A session with one exercise logged per side.
    auto [s_status, session] = client.Call("POST", "/api/v1/sessions", {{"state", {{"next", 0}}}});
    ASSERT_EQ(s_status, 201) << session.dump();
    const std::string exercise = programme["items"][0]["exercise"];
    auto [l_status, log] = client.Call("POST", "/api/v1/logs",
                                       {{"exercise", exercise},
                                        {"side", "left"},
                                        {"sets", 2},
                                        {"reps", 10},
                                        {"pain", 2},
                                        {"session_id", session["id"]}});
    EXPECT_EQ(l_status, 201) << log.dump();
    ExpectError(
        client.Call("POST", "/api/v1/logs", {{"exercise", exercise}, {"sets", 2}, {"pain", 11}}),
        400, "invalid_field");
    ExpectError(
        client.Call("POST", "/api/v1/logs", {{"exercise", "nope"}, {"sets", 1}, {"pain", 1}}), 400,
        "invalid_field");
    auto [u_status, updated] =
        client.Call("PUT", "/api/v1/sessions/" + std::to_string(session["id"].get<long>()),
                    {{"status", "completed"}, {"state", {{"next", 1}}}});
    EXPECT_EQ(u_status, 200) << updated.dump();
    EXPECT_TRUE(updated.contains("updates"));
    // A check-in with the weekly questions answered "no".
    auto [c_status, checkin] =
        client.Call("POST", "/api/v1/checkins",
                    {{"pain_now", 3},
                     {"sitting_hours", 6.5},
                     {"regions", {{{"region", "buttock"}, {"side", "right"}, {"pain", 3}}}},
                     {"danger_answers", {{"rf_nerve_signs", {"none"}}}},
                     {"change", "same"}});
    EXPECT_EQ(c_status, 201) << checkin.dump();
    EXPECT_TRUE(checkin["red_flags"].empty());
    ExpectError(client.Call("POST", "/api/v1/checkins", {{"pain_now", 3}, {"extra", 1}}), 400,
                "unknown_field");
    ExpectError(client.Call("POST", "/api/v1/checkins",
                            {{"pain_now", 3}, {"danger_answers", {{"minutes_per_day", 20}}}}),
                400, "invalid_answer");
    auto [pr_status, progress] = client.Call("GET", "/api/v1/progress");
    EXPECT_EQ(pr_status, 200) << progress.dump();
    EXPECT_EQ(progress["days"].size(), 1u);
    EXPECT_DOUBLE_EQ(progress["days"][0]["pain_now"].get<double>(), 3.0);
    auto report = client.Raw("GET", "/api/v1/report", "");
    ASSERT_TRUE(report);
    EXPECT_EQ(report->status, 200);
    EXPECT_NE(report->body.find("<svg"), std::string::npos);
    auto ics = client.Raw("GET", "/api/v1/calendar.ics?hour=7&minute=30", "");
    ASSERT_TRUE(ics);
    EXPECT_EQ(ics->body.rfind("BEGIN:VCALENDAR", 0), 0u);
    EXPECT_NE(ics->body.find("T073000"), std::string::npos);
    ExpectError(client.Call("GET", "/api/v1/calendar.ics?hour=25"), 400, "invalid_field");
    server.Stop();
  }
  // Everything is still there after a clean stop and a new start.
  Server again(false, db);
  Client client(again.port());
  auto [status, list] = client.Call("GET", "/api/v1/assessments");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(list["assessments"].size(), 1u);
  auto [e_status, exported] = client.Call("GET", "/api/v1/export");
  EXPECT_EQ(e_status, 200);
  EXPECT_EQ(exported["checkins"].size(), 1u);
  EXPECT_EQ(exported["exercise_logs"].size(), 1u);
  // Import refuses to overwrite without replace, and replaces with it.
  client.LoadCsrf();
  auto refused = client.Raw("POST", "/api/v1/import", exported.dump());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 409);
  auto replaced = client.Raw("POST", "/api/v1/import?replace=true", exported.dump());
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->status, 200) << replaced->body;
  auto [after_status, after] = client.Call("GET", "/api/v1/export");
  EXPECT_EQ(after["checkins"], exported["checkins"]);
}

// The danger-sign questions of the check-in answered as a person with none of the signs would.
json AllClear(Client& client) {
  auto [status, info] = client.Call("GET", "/api/v1/checkins/danger-questions");
  EXPECT_EQ(status, 200) << info.dump();
  json answers = json::object();
  for (const json& q : info["questions"]) {
    if (q["type"] == "body_location") continue;  // where it hurts is not a danger sign
    answers[q["id"].get<std::string>()] = SelfCareAnswer(q);
  }
  return answers;
}

// Resuming after an emergency pause needs every question of the sign that paused the programme
// answered with a plain no, and the person's word that a clinician has seen them. A refused
// resume keeps the check-in and says why.
TEST(WebApi, ResumingAfterAnEmergencyPauseNeedsAPlainNoAndAClinician) {
  Server server;
  Client client(server.port());
  client.LoadCsrf();
  const json answers = RunInterview(client, SelfCareAnswer).first;
  ASSERT_EQ(client.Call("POST", "/api/v1/assessments", {{"answers", answers}}).first, 201);
  // A check-in with a fever: an emergency, and the programme pauses.
  auto [f_status, fever] =
      client.Call("POST", "/api/v1/checkins",
                  {{"pain_now", 4}, {"danger_answers", {{"rf_body_signs", {"fever"}}}}});
  ASSERT_EQ(f_status, 201) << fever.dump();
  ASSERT_FALSE(fever["red_flags"].empty());
  EXPECT_EQ(fever["red_flags"][0]["level"], "emergency");
  auto paused = [&client] {
    return client.Call("GET", "/api/v1/checkins/danger-questions").second;
  };
  EXPECT_TRUE(paused()["paused"].get<bool>());
  EXPECT_EQ(paused()["pause_level"], "emergency");

  // No danger answers at all: refused, kept.
  auto [e_status, empty] = client.Call("POST", "/api/v1/checkins",
                                       {{"pain_now", 3},
                                        {"danger_answers", json::object()},
                                        {"resume", true},
                                        {"clinician_seen", true}});
  ASSERT_EQ(e_status, 201) << empty.dump();
  EXPECT_FALSE(empty["resumed"].get<bool>());
  EXPECT_NE(empty["not_resumed"].get<std::string>().find("plain no"), std::string::npos)
      << empty.dump();
  EXPECT_TRUE(paused()["paused"].get<bool>());
  // "Not sure" about the fever is not a no.
  json doubtful = AllClear(client);
  doubtful["rf_body_signs"] = "unknown";
  auto [d_status, doubt] = client.Call(
      "POST", "/api/v1/checkins",
      {{"pain_now", 3}, {"danger_answers", doubtful}, {"resume", true}, {"clinician_seen", true}});
  ASSERT_EQ(d_status, 201) << doubt.dump();
  EXPECT_FALSE(doubt["resumed"].get<bool>());
  EXPECT_NE(doubt["not_resumed"].get<std::string>().find("plain no"), std::string::npos)
      << doubt.dump();
  // Every danger answer a plain no, but no clinician has seen them yet.
  auto [n_status, no_clinician] =
      client.Call("POST", "/api/v1/checkins",
                  {{"pain_now", 3}, {"danger_answers", AllClear(client)}, {"resume", true}});
  ASSERT_EQ(n_status, 201) << no_clinician.dump();
  EXPECT_TRUE(no_clinician["red_flags"].empty());
  EXPECT_FALSE(no_clinician["resumed"].get<bool>());
  EXPECT_NE(no_clinician["not_resumed"].get<std::string>().find("doctor or physiotherapist"),
            std::string::npos)
      << no_clinician.dump();
  EXPECT_TRUE(paused()["paused"].get<bool>());
  ExpectError(client.Call("POST", "/api/v1/checkins",
                          {{"pain_now", 3}, {"resume", true}, {"clinician_seen", "yes"}}),
              400, "invalid_field");
  // Both: resumed.
  auto [r_status, resumed] = client.Call("POST", "/api/v1/checkins",
                                         {{"pain_now", 2},
                                          {"danger_answers", AllClear(client)},
                                          {"resume", true},
                                          {"clinician_seen", true}});
  ASSERT_EQ(r_status, 201) << resumed.dump();
  EXPECT_TRUE(resumed["resumed"].get<bool>()) << resumed.dump();
  EXPECT_FALSE(resumed.contains("not_resumed"));
  EXPECT_FALSE(paused()["paused"].get<bool>());
  EXPECT_TRUE(paused()["pause_level"].is_null());
  // Every check-in was kept, refused resumes included.
  auto [c_status, checkins] = client.Call("GET", "/api/v1/checkins");
  ASSERT_EQ(c_status, 200);
  EXPECT_EQ(checkins["checkins"].size(), 5u);
}

// ---- Multi-user ----

TEST(WebApiMultiUser, PeopleCannotReachEachOthersData) {
  Server server(true);
  Client alice(server.port()), bob(server.port()), nobody(server.port());
  ExpectError(nobody.Call("GET", "/api/v1/assessments"), 401, "signed_out");
  Register(alice, "alice");
  Register(bob, "bob");
  auto answers = RunInterview(alice, SelfCareAnswer).first;
  auto [saved_status, saved] = alice.Call("POST", "/api/v1/assessments", {{"answers", answers}});
  ASSERT_EQ(saved_status, 201);
  const std::string assessment = std::to_string(saved["id"].get<long>());
  auto [s_status, session] = alice.Call("POST", "/api/v1/sessions", json::object());
  ASSERT_EQ(s_status, 201) << session.dump();
  const std::string session_id = std::to_string(session["id"].get<long>());

  // Bob sees nothing of Alice's, by list or by id, and cannot write to her session.
  auto [list_status, list] = bob.Call("GET", "/api/v1/assessments");
  EXPECT_EQ(list_status, 200);
  EXPECT_TRUE(list["assessments"].empty());
  ExpectError(bob.Call("GET", "/api/v1/assessments/" + assessment), 404, "not_found");
  ExpectError(bob.Call("GET", "/api/v1/programme"), 404, "no_programme");
  ExpectError(bob.Call("PUT", "/api/v1/sessions/" + session_id, {{"status", "stopped"}}), 404,
              "not_found");
  ExpectError(
      bob.Call(
          "POST", "/api/v1/logs",
          {{"exercise", "glute_bridge"}, {"sets", 1}, {"pain", 1}, {"session_id", session["id"]}}),
      404, "not_found");
  auto [e_status, exported] = bob.Call("GET", "/api/v1/export");
  EXPECT_EQ(e_status, 200);
  EXPECT_TRUE(exported["assessments"].empty());
  // Alice's export imported by Bob lands in Bob's data only, with new ids.
  auto [a_status, alice_export] = alice.Call("GET", "/api/v1/export");
  auto imported = bob.Raw("POST", "/api/v1/import", alice_export.dump());
  ASSERT_TRUE(imported);
  EXPECT_EQ(imported->status, 200) << imported->body;
  auto [again_status, alice_again] = alice.Call("GET", "/api/v1/assessments");
  EXPECT_EQ(alice_again["assessments"].size(), 1u);
  auto [bob_status, bob_list] = bob.Call("GET", "/api/v1/assessments");
  ASSERT_EQ(bob_list["assessments"].size(), 1u);
  EXPECT_NE(bob_list["assessments"][0]["id"], saved["id"]);
  // A stolen cookie without the CSRF token cannot write.
  bob.ForgetCsrf();
  ExpectError(bob.Call("POST", "/api/v1/checkins", {{"pain_now", 1}}), 403, "csrf");
}

TEST(WebApiMultiUser, LoginRateLimitAndAccountDeletion) {
  Server server(true);
  Client alice(server.port());
  Register(alice, "alice");
  auto answers = RunInterview(alice, SelfCareAnswer).first;
  ASSERT_EQ(alice.Call("POST", "/api/v1/assessments", {{"answers", answers}}).first, 201);
  ExpectError(alice.Call("POST", "/api/v1/account/register",
                         {{"username", "alice"}, {"password", "another long one"}}),
              400, "username_taken");
  ExpectError(alice.Call("POST", "/api/v1/account/register",
                         {{"username", "carol"}, {"password", "short"}}),
              400, "weak_password");
  Client mallory(server.port());
  for (int i = 0; i < 5; ++i) {
    ExpectError(mallory.Call("POST", "/api/v1/account/login",
                             {{"username", "alice"}, {"password", "guess " + std::to_string(i)}}),
                401, "wrong_password");
  }
  // The sixth try is refused even with the right password.
  ExpectError(mallory.Call("POST", "/api/v1/account/login",
                           {{"username", "alice"}, {"password", "correct horse battery"}}),
              429, "too_many");
  // Deleting needs the password, then removes the account and every record.
  ExpectError(alice.Call("DELETE", "/api/v1/account", {{"password", "wrong"}}), 401,
              "wrong_password");
  auto [d_status, deleted] =
      alice.Call("DELETE", "/api/v1/account", {{"password", "correct horse battery"}});
  EXPECT_EQ(d_status, 200) << deleted.dump();
  ExpectError(alice.Call("GET", "/api/v1/assessments"), 401, "signed_out");
  server.Stop();
  auto store = OpenStore(server.db());
  ASSERT_TRUE(store) << store.error().message;
  for (RowId person = 1000001; person < 1000003; ++person) {
    auto left = (*store)->Assessments(person);
    ASSERT_TRUE(left);
    EXPECT_TRUE(left->empty());
  }
  // The profile went with the data.
  auto profile = (*store)->Export(1000001);
  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().code, ErrorCode::kNotFound);
}

// Servers keep no state of their own: two servers on one database, a person signs in on one and
// carries on on the other; signing out on either ends the session on both; failed sign-ins
// counted by one server hold on the other.
TEST(WebApiMultiUser, TwoServersShareOneDatabase) {
  Server first(true);
  Server second(true, first.db());
  ASSERT_NE(first.port(), second.port());
  Client on_first(first.port());
  Register(on_first, "alice");
  auto answers = RunInterview(on_first, SelfCareAnswer).first;
  auto [saved_status, saved] = on_first.Call("POST", "/api/v1/assessments", {{"answers", answers}});
  ASSERT_EQ(saved_status, 201) << saved.dump();

  Client on_second(second.port());
  on_second.TakeSessionOf(on_first);
  auto [list_status, list] = on_second.Call("GET", "/api/v1/assessments");
  ASSERT_EQ(list_status, 200) << list.dump();
  ASSERT_EQ(list["assessments"].size(), 1u);
  EXPECT_EQ(list["assessments"][0]["id"], saved["id"]);
  auto [c_status, checkin] = on_second.Call("POST", "/api/v1/checkins", {{"pain_now", 2}});
  ASSERT_EQ(c_status, 201) << checkin.dump();
  auto [back_status, back] = on_first.Call("GET", "/api/v1/checkins");
  ASSERT_EQ(back_status, 200) << back.dump();
  ASSERT_EQ(back["checkins"].size(), 1u) << back.dump();
  EXPECT_EQ(back["checkins"][0]["pain_now"], 2);
  // Both servers give the person the same FHIR pseudonym: its key is shared through the database.
  auto patient = [](Client& client) {
    auto [status, bundle] = client.Call("GET", "/api/v1/fhir/Bundle");
    EXPECT_EQ(status, 200) << bundle.dump();
    for (const auto& entry : bundle["entry"]) {
      if (entry["resource"]["resourceType"] == "Patient") return entry["resource"]["identifier"];
    }
    ADD_FAILURE() << "no Patient in the bundle";
    return json();
  };
  const json identifier = patient(on_first);
  EXPECT_FALSE(identifier.is_null());
  EXPECT_EQ(patient(on_second), identifier);

  // Five wrong passwords through the first server; the second refuses the sixth try.
  Client mallory_first(first.port()), mallory_second(second.port());
  for (int i = 0; i < 5; ++i) {
    ExpectError(
        mallory_first.Call("POST", "/api/v1/account/login",
                           {{"username", "alice"}, {"password", "guess " + std::to_string(i)}}),
        401, "wrong_password");
  }
  ExpectError(mallory_second.Call("POST", "/api/v1/account/login",
                                  {{"username", "alice"}, {"password", "correct horse battery"}}),
              429, "too_many");

  // Signing out on the second server ends the session on the first as well.
  auto [out_status, out] = on_second.Call("POST", "/api/v1/account/logout", json::object());
  EXPECT_EQ(out_status, 200) << out.dump();
  ExpectError(on_first.Call("GET", "/api/v1/assessments"), 401, "signed_out");
}

TEST(WebApiMultiUser, ClinicianSeesAndAdjustsUntilRevoked) {
  Server server(true);
  Client alice(server.port()), physio(server.port()), bob(server.port());
  Register(alice, "alice");
  Register(physio, "physio", "clinician");
  Register(bob, "bob");
  auto answers = RunInterview(alice, SelfCareAnswer).first;
  ASSERT_EQ(alice.Call("POST", "/api/v1/assessments", {{"answers", answers}}).first, 201);
  // A clinician account has no data of its own, and a person cannot redeem codes.
  ExpectError(physio.Call("GET", "/api/v1/programme"), 403, "forbidden");
  auto [c_status, code] = alice.Call("POST", "/api/v1/share-codes", json::object());
  ASSERT_EQ(c_status, 201) << code.dump();
  ExpectError(bob.Call("POST", "/api/v1/links", {{"code", code["code"]}}), 403, "forbidden");
  ExpectError(physio.Call("POST", "/api/v1/links", {{"code", "AAAA-BBBB-CCCC"}}), 404,
              "wrong_code");
  auto [l_status, link] = physio.Call("POST", "/api/v1/links", {{"code", code["code"]}});
  ASSERT_EQ(l_status, 201) << link.dump();
  // A code works once.
  ExpectError(physio.Call("POST", "/api/v1/links", {{"code", code["code"]}}), 404, "wrong_code");
  const std::string base = "/api/v1/links/" + std::to_string(link["link"]["id"].get<long>());
  auto [p_status, programme] = physio.Call("GET", base + "/programme");
  ASSERT_EQ(p_status, 200) << programme.dump();
  const json item = programme["items"][0];
  const int sets = item["sets"].get<int>() == 1 ? 2 : 1;
  auto [a_status, adjusted] = physio.Call(
      "POST", base + "/programme",
      {{"exercise", item["exercise"]}, {"sets", sets}, {"why", "Build up more slowly"}});
  ASSERT_EQ(a_status, 201) << adjusted.dump();
  // The person sees the change, who made it and why.
  auto [ap_status, alice_programme] = alice.Call("GET", "/api/v1/programme");
  EXPECT_EQ(alice_programme["items"][0]["sets"], sets);
  EXPECT_NE(alice_programme["reason"].get<std::string>().find("physio"), std::string::npos);
  auto [ch_status, changes] = alice.Call("GET", "/api/v1/changes");
  ASSERT_EQ(changes["changes"].size(), 1u);
  EXPECT_EQ(changes["changes"][0]["by"], "physio");
  EXPECT_EQ(changes["changes"][0]["why"], "Build up more slowly");
  auto report = physio.Raw("GET", base + "/report", "");
  ASSERT_TRUE(report);
  EXPECT_EQ(report->status, 200);
  // Bob (another clinician would be the same) has no such link.
  ExpectError(bob.Call("GET", base + "/progress"), 403, "forbidden");
  // Revoked: the clinician loses access at once.
  ASSERT_EQ(alice
                .Call("DELETE", "/api/v1/links/" + std::to_string(link["link"]["id"].get<long>()),
                      json::object())
                .first,
            200);
  ExpectError(physio.Call("GET", base + "/programme"), 404, "not_found");
}

TEST(WebApi, PersonalModeHasNoAccounts) {
  Server server;
  Client client(server.port());
  client.LoadCsrf();
  ExpectError(client.Call("POST", "/api/v1/account/register",
                          {{"username", "x"}, {"password", "0123456789"}}),
              404, "not_found");
  ExpectError(client.Call("GET", "/api/v1/links/1/programme"), 404, "not_found");
}

}  // namespace
}  // namespace hipcoach::server
