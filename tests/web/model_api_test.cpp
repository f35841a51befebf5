// The hip model over the web API (issue 13): the page's title, headline and muscle sentence come
// from the server, and they follow the numbers of the same response: "lower" when the peak hip
// force falls, "higher" when it rises, and the muscles named are those whose activation rose most.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "web_support.hpp"

namespace hipcoach::server {
namespace {

TEST(WebModelApi, TheWordsFollowTheComputedHipForce) {
  Server server;
  Client client(server.port());
  for (const char* fraction : {"0.5", "0.9"}) {
    auto [status, s] =
        client.Call("GET", std::string("/api/v1/model/summary?group=glutes&fraction=") + fraction);
    ASSERT_EQ(status, 200) << s.dump();
    const double change = s["change_bw"];
    const json& reading = s["interpretation"];
    ASSERT_TRUE(reading.is_object()) << s.dump();
    const std::string word = std::abs(s["change_percent"].get<double>()) < 1.0 ? "about the same"
                             : change < 0                                      ? "lower"
                                                                               : "higher";
    EXPECT_EQ(reading["direction"], word) << fraction;
    const std::string title = reading["title"];
    const std::string headline = reading["headline"];
    EXPECT_NE(title.find(word), std::string::npos) << title;
    EXPECT_NE(headline.find(word), std::string::npos) << headline;
    const std::string opposite = word == "lower" ? "higher" : "lower";
    EXPECT_EQ(headline.find(opposite), std::string::npos) << headline;
    // The muscles named, in order, are those the model ranks by the rise of their activation.
    const std::string muscles = reading["muscles"];
    std::size_t last = 0;
    double previous_rise = 1.0;
    ASSERT_FALSE(reading["working_harder"].empty());
    for (const json& m : reading["working_harder"]) {
      const std::string name = m["name"];
      const std::size_t at = muscles.find(name);
      ASSERT_NE(at, std::string::npos) << name << " in " << muscles;
      EXPECT_GE(at, last);
      last = at;
      EXPECT_LE(m["activation_rise"].get<double>(), previous_rise);
      previous_rise = m["activation_rise"];
      EXPECT_EQ(name.find('_'), std::string::npos) << name;
    }
    EXPECT_GE(reading["cannot_show"].size(), 4u);
  }
  // Half-strength glutes in walking: the model computes a slightly lower peak.
  auto [status, half] = client.Call("GET", "/api/v1/model/summary?group=glutes&fraction=0.5");
  ASSERT_EQ(status, 200);
  EXPECT_LT(half["change_bw"].get<double>(), 0.0);
  EXPECT_EQ(half["interpretation"]["direction"], "lower");
}

}  // namespace
}  // namespace hipcoach::server
