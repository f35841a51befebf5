// Help for the web API tests: a server in-process on an ephemeral loopback port with a fresh
// database, and a browser-like client. Shared by api_test.cpp and hardening_test.cpp.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "hipcoach/app.hpp"
#include "hipcoach/server.hpp"
#include "hipcoach/store.hpp"
#include "pg_test_support.hpp"

namespace hipcoach::server {

using json = nlohmann::json;

inline const KnowledgeBase& Kb() {
  static const KnowledgeBase kb = *app::LoadKnowledgeFrom("").kb;
  return kb;
}

// A fresh, empty database for one test: a SQLite file, or (when ctest runs the "pg." copies of
// these tests, which name the cluster in HIPCOACH_TEST_PG_URL_FILE) a schema of its own in the
// throwaway PostgreSQL cluster.
inline std::string TempDb() {
  if (std::getenv("HIPCOACH_TEST_PG_URL_FILE") != nullptr) {
    auto url = testing::SchemaUrl(testing::UniqueSchemaName("web"));
    if (!url) {
      ADD_FAILURE() << "no test PostgreSQL: " << url.error().message;
      return "postgresql://missing";
    }
    return *url;
  }
  // The directories go when the test process ends.
  struct Directories {
    std::vector<std::filesystem::path> made;
    ~Directories() {
      std::error_code ignored;
      for (const auto& dir : made) std::filesystem::remove_all(dir, ignored);
    }
  };
  static Directories directories;
  static std::mt19937_64 rng(std::random_device{}());
  const auto dir =
      std::filesystem::temp_directory_path() / ("hc-web-test-" + std::to_string(rng()));
  std::filesystem::create_directories(dir);
  directories.made.push_back(dir);
  return (dir / "hipcoach.db").string();
}

// A person whose answers lead to self-care or routine advice with a programme.
inline json SelfCareAnswer(const json& q) {
  static const json kAnswers = {{"rf_onset", {"gradual"}},
                                {"rf_weight_bearing", "normal"},
                                {"age", 35},
                                {"sex", "female"},
                                {"pain_site", {"buttock"}},
                                {"painful_side", "right"},
                                {"pain_days", 30},
                                {"pain_trend", "same"},
                                {"pain_worst", 5},
                                {"worse_with", {"sitting_long"}},
                                {"habits", {"sit_8h"}},
                                {"activities", {"desk_work"}},
                                {"minutes_per_day", 20}};
  const std::string id = q["id"];
  if (kAnswers.contains(id)) return kAnswers[id];
  const std::string type = q["type"];
  if (type == "yes_no") return false;
  if (type == "number") return q["min"];
  if (type == "side") return "left";
  if (type == "multi_choice" || type == "body_location") {
    for (const auto& c : q["choices"]) {
      if (c["id"] == "none") return json::array({"none"});
    }
    return json::array({q["choices"][0]["id"]});
  }
  return q["choices"][0]["id"];
}

class Server {
 public:
  explicit Server(bool multi_user = false, std::string db = TempDb())
      : Server(Defaults(multi_user, std::move(db))) {}
  explicit Server(Options options) : db_(options.db_path) {
    auto started = Start(Kb(), options);
    if (!started) ADD_FAILURE() << started.error().message;
    instance_ = std::move(*started);
  }
  // What these tests use: an ephemeral port, 8 threads.
  static Options Defaults(bool multi_user = false, std::string db = TempDb()) {
    Options options;
    options.port = 0;
    options.db_path = std::move(db);
    options.multi_user = multi_user;
    options.threads = 8;
    return options;
  }
  int port() const { return instance_->port(); }
  const std::string& db() const { return db_; }
  void Stop() {
    instance_->Stop();
    instance_->Wait();
    instance_.reset();
  }

 private:
  std::string db_;
  std::unique_ptr<Instance> instance_;
};

// A browser-like client: keeps the session cookie and the CSRF token.
class Client {
 public:
  explicit Client(int port) : http_("127.0.0.1", port) { http_.set_read_timeout(30, 0); }

  httplib::Result Raw(const std::string& method, const std::string& path, const std::string& body,
                      httplib::Headers headers = {}) {
    if (!cookies_.empty()) headers.emplace("Cookie", CookieHeader());
    if (!csrf_.empty() && method != "GET") headers.emplace("X-CSRF-Token", csrf_);
    for (const auto& [name, value] : extra_) headers.emplace(name, value);
    httplib::Result r =
        method == "GET"    ? http_.Get(path.c_str(), headers)
        : method == "POST" ? http_.Post(path.c_str(), headers, body, "application/json")
        : method == "PUT"  ? http_.Put(path.c_str(), headers, body, "application/json")
                           : http_.Delete(path.c_str(), headers, body, "application/json");
    if (r) {
      // A cookie jar: every Set-Cookie, and Max-Age=0 removes one.
      for (const auto& [name, value] : r->headers) {
        if (name != "Set-Cookie") continue;
        const std::string pair = value.substr(0, value.find(';'));
        const std::size_t eq = pair.find('=');
        if (eq == std::string::npos) continue;
        if (value.find("Max-Age=0") != std::string::npos) {
          cookies_.erase(pair.substr(0, eq));
        } else {
          cookies_[pair.substr(0, eq)] = pair.substr(eq + 1);
        }
      }
    }
    return r;
  }

  // Returns {status, body as JSON (or the raw text under "text")}.
  std::pair<int, json> Call(const std::string& method, const std::string& path,
                            const json& body = nullptr) {
    auto r = Raw(method, path, body.is_null() ? std::string() : body.dump());
    if (!r) return {0, json()};
    json parsed = json::parse(r->body, nullptr, false);
    if (parsed.is_discarded()) parsed = json{{"text", r->body}};
    if (parsed.is_object() && parsed.contains("csrf") && parsed["csrf"].is_string()) {
      csrf_ = parsed["csrf"];
    }
    return {r->status, parsed};
  }

  void LoadCsrf() { Call("GET", "/api/v1/status"); }
  // Carries on the other client's signed-in session (its cookies and CSRF token), as a browser
  // does when a proxy sends its next request to another server.
  void TakeSessionOf(const Client& other) {
    cookies_ = other.cookies_;
    csrf_ = other.csrf_;
  }
  // The value of one cookie ("" when there is none).
  std::string CookieValue(const std::string& name) const {
    auto it = cookies_.find(name);
    return it == cookies_.end() ? std::string() : it->second;
  }
  void SetCookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
  // A header sent with every request (X-Real-IP behind a trusted proxy, say).
  void AlwaysSend(const std::string& name, const std::string& value) {
    extra_.emplace_back(name, value);
  }
  void ForgetCsrf() { csrf_.clear(); }
  void ForgetCookie() { cookies_.clear(); }

 private:
  std::string CookieHeader() const {
    std::string header;
    for (const auto& [name, value] : cookies_) {
      header += (header.empty() ? "" : "; ") + name + "=" + value;
    }
    return header;
  }

  httplib::Client http_;
  std::map<std::string, std::string> cookies_;
  std::vector<std::pair<std::string, std::string>> extra_;
  std::string csrf_;
};

// Runs the interview through the API with `answer` until the result; returns {answers, result}.
inline std::pair<json, json> RunInterview(Client& client,
                                          const std::function<json(const json&)>& answer) {
  json answers = json::object();
  for (int step = 0; step < 80; ++step) {
    auto [status, reply] = client.Call("POST", "/api/v1/interview", {{"answers", answers}});
    EXPECT_EQ(status, 200) << reply.dump();
    if (reply.contains("result")) return {answers, reply["result"]};
    const json q = reply["question"];
    EXPECT_TRUE(q.contains("progress"));
    answers[q["id"].get<std::string>()] = answer(q);
  }
  ADD_FAILURE() << "the interview did not end";
  return {answers, json()};
}

inline void ExpectError(const std::pair<int, json>& reply, int status, const std::string& code) {
  EXPECT_EQ(reply.first, status) << reply.second.dump();
  ASSERT_TRUE(reply.second.contains("error")) << reply.second.dump();
  EXPECT_EQ(reply.second["error"]["code"], code);
  EXPECT_FALSE(reply.second["error"]["message"].get<std::string>().empty());
}

inline void Register(Client& c, const std::string& name, const std::string& role = "person") {
  auto [status, body] =
      c.Call("POST", "/api/v1/account/register",
             {{"username", name}, {"password", "correct horse battery"}, {"role", role}});
  ASSERT_EQ(status, 201) << body.dump();
}

}  // namespace hipcoach::server
