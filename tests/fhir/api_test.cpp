// The FHIR endpoints against a running server (hipcoach::server::Start on an ephemeral loopback
// port, a fresh database per test): GET /api/v1/fhir/Questionnaire, POST
// /api/v1/fhir/QuestionnaireResponse and GET /api/v1/fhir/Bundle.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>

#include "hipcoach/app.hpp"
#include "hipcoach/fhir.hpp"
#include "hipcoach/serialize.hpp"
#include "hipcoach/server.hpp"

namespace hipcoach::server {
namespace {

using json = nlohmann::json;

const KnowledgeBase& Kb() {
  static const KnowledgeBase kb = *app::LoadKnowledgeFrom("").kb;
  return kb;
}

class Server {
 public:
  explicit Server(bool multi_user = false) {
    static std::mt19937_64 rng(std::random_device{}());
    dir_ = std::filesystem::temp_directory_path() / ("hc-fhir-test-" + std::to_string(rng()));
    std::filesystem::create_directories(dir_);
    Options options;
    options.port = 0;
    options.db_path = (dir_ / "hipcoach.db").string();
    options.multi_user = multi_user;
    options.threads = 4;
    auto started = Start(Kb(), options);
    if (!started) {
      ADD_FAILURE() << started.error().message;
      return;
    }
    instance_ = std::move(*started);
  }
  ~Server() {
    instance_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  int port() const { return instance_->port(); }
  std::filesystem::path key_file() const { return dir_ / "hipcoach.db.fhir-key"; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Instance> instance_;
};

struct Reply {
  int status = 0;
  std::string content_type;
  std::string body;
  json Json() const { return json::parse(body, nullptr, false); }
};

class Client {
 public:
  explicit Client(int port) : http_("127.0.0.1", port) { http_.set_read_timeout(30, 0); }
  Reply Get(const std::string& path) { return Wrap(http_.Get(path.c_str(), Headers())); }
  Reply Post(const std::string& path, const std::string& body,
             const std::string& type = "application/fhir+json") {
    return Wrap(http_.Post(path.c_str(), Headers(), body, type.c_str()));
  }
  void LoadCsrf() { csrf_ = Get("/api/v1/status").Json()["csrf"]; }
  void Register(const std::string& name) {
    const Reply r = Post("/api/v1/account/register",
                         json{{"username", name}, {"password", "correct horse battery"}}.dump(),
                         "application/json");
    ASSERT_EQ(r.status, 201) << r.body;
    csrf_ = r.Json()["csrf"];
  }

 private:
  httplib::Headers Headers() const {
    httplib::Headers headers;
    if (!cookie_.empty()) headers.emplace("Cookie", cookie_);
    if (!csrf_.empty()) headers.emplace("X-CSRF-Token", csrf_);
    return headers;
  }
  Reply Wrap(const httplib::Result& r) {
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.content_type = r->get_header_value("Content-Type");
    out.body = r->body;
    const std::string set = r->get_header_value("Set-Cookie");
    if (!set.empty()) cookie_ = set.substr(0, set.find(';'));
    return out;
  }
  httplib::Client http_;
  std::string cookie_;
  std::string csrf_;
};

// A completed response of a person with outer-hip pain (routine, with a programme).
std::string Response() {
  auto answers = ParseAnswersDocument(Kb(), R"({"answers": {"pain_site": ["lateral_hip"],
    "rf_onset": ["gradual"], "rf_weight_bearing": "normal", "rf_nerve_signs": ["none"],
    "rf_body_signs": ["none"], "rf_background": ["none"], "rf_serious_signs": ["none"],
    "age": 54, "sex": "female", "painful_side": "right", "activities": ["none"],
    "pain_days": 120, "pain_trend": "same", "pain_worst": 7,
    "worse_with": ["lying_side", "stairs", "crossing"], "bony_point_press": true}})",
                                      "test");
  EXPECT_TRUE(answers);
  return fhir::QuestionnaireResponseJson(Kb(), *answers, Kb().version, "", "").dump();
}

TEST(FhirApi, QuestionnaireIsPublic) {
  Server server(true);
  Client nobody(server.port());
  const Reply r = nobody.Get("/api/v1/fhir/Questionnaire");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/fhir+json");
  const json q = r.Json();
  EXPECT_EQ(q["resourceType"], "Questionnaire");
  EXPECT_EQ(q["version"], Kb().version);
  EXPECT_EQ(q["item"].size(), Kb().questions.size());
}

TEST(FhirApi, ResponseStartsAndSavesAnAssessment) {
  Server server;
  Client client(server.port());
  // A write needs the CSRF token, as every other write does.
  EXPECT_EQ(client.Post("/api/v1/fhir/QuestionnaireResponse", Response()).status, 403);
  client.LoadCsrf();
  const Reply saved = client.Post("/api/v1/fhir/QuestionnaireResponse", Response());
  ASSERT_EQ(saved.status, 201) << saved.body;
  const json body = saved.Json();
  EXPECT_TRUE(body["id"].is_number_integer());
  EXPECT_TRUE(body["has_programme"].get<bool>());
  EXPECT_EQ(body["result"]["triage"]["level"], "routine");
  EXPECT_EQ(body["result"]["causes"][0]["id"], "gluteal_tendinopathy");
  // The same as the answers endpoint would give.
  auto answers = fhir::AnswersFromQuestionnaireResponse(Kb(), Response());
  ASSERT_TRUE(answers);
  EXPECT_EQ(body["result"], AssessmentJson(Kb(), Assess(Kb(), *answers).value()));
  const json list = client.Get("/api/v1/assessments").Json();
  EXPECT_EQ(list["assessments"].size(), 1u);
  // application/json is accepted too.
  EXPECT_EQ(
      client.Post("/api/v1/fhir/QuestionnaireResponse", Response(), "application/json").status,
      201);
}

TEST(FhirApi, InvalidResponseNamesThePlaceAndChangesNothing) {
  Server server;
  Client client(server.port());
  client.LoadCsrf();
  json bad = json::parse(Response());
  bad["item"][3]["answer"][0]["valueCoding"]["code"] = "maybe";
  const Reply r = client.Post("/api/v1/fhir/QuestionnaireResponse", bad.dump());
  EXPECT_EQ(r.status, 400);
  const json error = r.Json()["error"];
  EXPECT_EQ(error["code"], "invalid_fhir");
  EXPECT_EQ(error["message"].get<std::string>().rfind(
                "QuestionnaireResponse.item[3].answer[0].valueCoding.code: \"maybe\" is not an "
                "answer to question",
                0),
            0u)
      << error.dump();
  EXPECT_EQ(client.Post("/api/v1/fhir/QuestionnaireResponse", R"({"resourceType": "Patient"})")
                .Json()["error"]["message"],
            "resourceType: \"Patient\" is not a QuestionnaireResponse");
  EXPECT_EQ(client.Post("/api/v1/fhir/QuestionnaireResponse", "").Json()["error"]["code"],
            "invalid_fhir");
  EXPECT_EQ(client.Post("/api/v1/fhir/QuestionnaireResponse", Response(), "text/plain").status,
            415);
  EXPECT_TRUE(client.Get("/api/v1/assessments").Json()["assessments"].empty());
  EXPECT_FALSE(std::filesystem::exists(server.key_file()));
}

// A response from a form that did not ask every danger-sign question is refused as invalid FHIR
// input, naming the first one the interview would still ask; nothing is saved.
TEST(FhirApi, AResponseWithoutTheDangerScreenIsRefusedAndNothingSaved) {
  Server server;
  Client client(server.port());
  client.LoadCsrf();
  json partial = json::parse(Response());
  json kept = json::array();
  for (const json& item : partial["item"]) {
    if (item["linkId"] != "rf_body_signs" && item["linkId"] != "rf_serious_signs") {
      kept.push_back(item);
    }
  }
  ASSERT_EQ(kept.size() + 2, partial["item"].size());
  partial["item"] = kept;
  const Reply r = client.Post("/api/v1/fhir/QuestionnaireResponse", partial.dump());
  EXPECT_EQ(r.status, 400) << r.body;
  const json error = r.Json()["error"];
  EXPECT_EQ(error["code"], "invalid_fhir");
  const Question* first = Kb().FindQuestion("rf_body_signs");
  ASSERT_NE(first, nullptr);
  const std::string message = error["message"];
  EXPECT_EQ(message.rfind("the danger-sign question rf_body_signs (\"" + first->text + "\")", 0),
            0u)
      << message;
  EXPECT_NE(message.find("(\"not sure\" is an answer)"), std::string::npos) << message;
  EXPECT_TRUE(client.Get("/api/v1/assessments").Json()["assessments"].empty());
}

TEST(FhirApi, BundleOfTheCallersOwnDataIsReproducible) {
  Server server;
  Client client(server.port());
  client.LoadCsrf();
  ASSERT_EQ(client.Post("/api/v1/fhir/QuestionnaireResponse", Response()).status, 201);
  const Reply first = client.Get("/api/v1/fhir/Bundle");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.content_type, "application/fhir+json");
  const json bundle = first.Json();
  EXPECT_EQ(bundle["resourceType"], "Bundle");
  std::set<std::string> types;
  for (const json& entry : bundle["entry"]) types.insert(entry["resource"]["resourceType"]);
  for (const char* type :
       {"Patient", "Questionnaire", "QuestionnaireResponse", "Observation", "CarePlan"}) {
    EXPECT_TRUE(types.count(type)) << type;
  }
  EXPECT_TRUE(std::filesystem::exists(server.key_file()));
  EXPECT_EQ(client.Get("/api/v1/fhir/Bundle").body, first.body);
}

TEST(FhirApi, BundleNeedsTheSignedInPerson) {
  Server server(true);
  Client nobody(server.port()), alice(server.port()), bob(server.port());
  EXPECT_EQ(nobody.Get("/api/v1/fhir/Bundle").status, 401);
  EXPECT_EQ(nobody.Post("/api/v1/fhir/QuestionnaireResponse", Response()).status, 401);
  alice.Register("alice");
  bob.Register("bobby");
  ASSERT_EQ(alice.Post("/api/v1/fhir/QuestionnaireResponse", Response()).status, 201);
  // Bob's Bundle holds none of Alice's data, and another pseudonym.
  const json a = alice.Get("/api/v1/fhir/Bundle").Json();
  const json b = bob.Get("/api/v1/fhir/Bundle").Json();
  int responses = 0;
  for (const json& entry : b["entry"]) {
    responses += entry["resource"]["resourceType"] == "QuestionnaireResponse" ? 1 : 0;
  }
  EXPECT_EQ(responses, 0);
  EXPECT_NE(a["entry"][0]["resource"]["identifier"][0]["value"],
            b["entry"][0]["resource"]["identifier"][0]["value"]);
}

}  // namespace
}  // namespace hipcoach::server
