// Issue 12 (hardening), against an in-process server: hostile bodies, the HTTP parser, headers on
// every response, static files, and what stored values can do to a GET. The same attacks against
// a real `hipcoach serve` process are replayed by tests/security/.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "web_support.hpp"

namespace hipcoach::server {
namespace {

std::string Nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// ~200 KB of nesting, as in the report that took the server down.
const std::string& DeepArray() {
  static const std::string deep = Nested(100000);
  return deep;
}

// The server answers after whatever came before.
void ExpectAlive(int port) {
  Client client(port);
  auto [status, body] = client.Call("GET", "/api/v1/status");
  EXPECT_EQ(status, 200) << body.dump();
}

TEST(Hardening, DeeplyNestedBodiesAreRefusedNotACrash) {
  Server server;
  Client client(server.port());
  client.LoadCsrf();
  const std::string deep = DeepArray();
  struct Case {
    const char* method;
    const char* path;
    std::string body;
  };
  const Case cases[] = {
      {"POST", "/api/v1/sessions", R"({"state": {"a": )" + deep + "}}"},
      {"POST", "/api/v1/checkins",
       R"({"pain_now": 2, "danger_answers": {"rf_bladder_bowel": )" + deep + "}}"},
      {"POST", "/api/v1/import", R"({"format": "hipcoach-export", "x": )" + deep + "}"},
      {"POST", "/api/v1/interview", R"({"answers": {"pain_site": )" + deep + "}}"},
      {"POST", "/api/v1/assessments", R"({"answers": )" + deep + "}"},
      {"POST", "/api/v1/fhir/QuestionnaireResponse", R"({"resourceType": )" + deep + "}"},
      {"POST", "/api/v1/logs", deep},
      {"PUT", "/api/v1/sessions/1", R"({"status": "stopped", "state": )" + deep + "}"},
  };
  for (const Case& c : cases) {
    auto r = client.Raw(c.method, c.path, c.body);
    ASSERT_TRUE(r) << c.path << ": no answer (did the server die?)";
    EXPECT_EQ(r->status, 400) << c.path << ": " << r->body;
    const json error = json::parse(r->body, nullptr, false);
    ASSERT_TRUE(error.is_object()) << r->body;
    EXPECT_NE(error["error"]["message"].get<std::string>().find("nested more than 64 deep"),
              std::string::npos)
        << c.path << ": " << r->body;
  }
  ExpectAlive(server.port());
  // Nothing was stored.
  auto [status, exported] = client.Call("GET", "/api/v1/export");
  EXPECT_EQ(status, 200);
  EXPECT_TRUE(exported["sessions"].empty());
  EXPECT_TRUE(exported["checkins"].empty());
}

TEST(Hardening, DuplicateKeysAreRefused) {
  Server server;
  Client client(server.port());
  client.LoadCsrf();
  auto r = client.Raw("POST", "/api/v1/checkins", R"({"pain_now": 1, "pain_now": 9})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "invalid_json");
  EXPECT_NE(r->body.find("appears twice"), std::string::npos) << r->body;
  auto [status, list] = client.Call("GET", "/api/v1/checkins");
  EXPECT_TRUE(list["checkins"].empty());
}

TEST(Hardening, InvalidUtf8IsAPlainBadRequest) {
  Server server;
  Client client(server.port());
  client.LoadCsrf();
  for (const std::string& body : {std::string("{\"pain_now\": \xff}"), std::string("\xff\xfe"),
                                  std::string("{\"pain_now\": 2, \"change\": \"\xc3\x28\"}"),
                                  std::string("{\"answers\": {\"\xe2\x82\": 1}}")}) {
    for (const char* path : {"/api/v1/checkins", "/api/v1/interview", "/api/v1/import"}) {
      auto r = client.Raw("POST", path, body);
      ASSERT_TRUE(r) << path;
      EXPECT_EQ(r->status, 400) << path << ": " << r->body;
      EXPECT_FALSE(json::parse(r->body, nullptr, false).is_discarded()) << r->body;
    }
  }
  ExpectAlive(server.port());
}

TEST(Hardening, HugeNumbersAreABadRequest) {
  Server server;
  Client client(server.port());
  client.LoadCsrf();
  auto r = client.Raw("POST", "/api/v1/interview", R"({"answers": {"age": 1e999}})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("a number is too large"), std::string::npos) << r->body;
}

}  // namespace
}  // namespace hipcoach::server
