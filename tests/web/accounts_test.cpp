// Issue 12: sign-in throttling under parallel bursts, lock-outs that strangers could cause,
// passwords, sign-out, account deletion, and what an account leaves behind. Named WebApi* so
// that they run over SQLite and again over PostgreSQL (tests/web/CMakeLists.txt).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "web_support.hpp"

namespace hipcoach::server {
namespace {

constexpr const char* kPassword = "correct horse battery";

// `count` requests at once, each from a client of its own; the statuses by code.
std::map<int, int> Burst(int port, int count, const std::function<int(Client&, int)>& request) {
  std::vector<std::thread> threads;
  std::vector<int> statuses(static_cast<std::size_t>(count), 0);
  std::atomic<int> ready{0};
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      Client client(port);
      ++ready;
      while (ready < count) std::this_thread::yield();  // start together
      statuses[static_cast<std::size_t>(i)] = request(client, i);
    });
  }
  for (std::thread& t : threads) t.join();
  std::map<int, int> by_status;
  for (int s : statuses) ++by_status[s];
  return by_status;
}

std::string Describe(const std::map<int, int>& by_status) {
  std::string out;
  for (const auto& [status, n] : by_status)
    out += std::to_string(status) + "x" + std::to_string(n) + " ";
  return out;
}

int Login(Client& client, const std::string& username, const std::string& password) {
  return client
      .Call("POST", "/api/v1/account/login", {{"username", username}, {"password", password}})
      .first;
}

// Options for a server behind a proxy on 127.0.0.1 that names the client in X-Real-IP.
Options BehindProxy() {
  Options options = Server::Defaults(true);
  options.trusted_proxies = {"127.0.0.1"};
  return options;
}

TEST(WebApiThrottle, ABurstOfWrongPasswordsGetsAtMostFiveChecks) {
  Server server(true);
  Client alice(server.port());
  Register(alice, "alice");
  const auto statuses = Burst(server.port(), 60, [](Client& c, int i) {
    return Login(c, "alice", "wrong guess " + std::to_string(i));
  });
  EXPECT_LE(statuses.count(401) ? statuses.at(401) : 0, 5) << Describe(statuses);
  EXPECT_EQ(statuses.count(401) ? statuses.at(401) : 0, 5) << Describe(statuses);
  EXPECT_EQ(statuses.count(429) ? statuses.at(429) : 0, 55) << Describe(statuses);
  // The right password from a device that has never signed in waits too: the burst bought
  // the attacker nothing, and a guess that happens to be right is not let through.
  Client stranger(server.port());
  EXPECT_EQ(Login(stranger, "alice", kPassword), 429);
  // Alice's own browser has signed in before (its device cookie): it gets in at once.
  EXPECT_EQ(Login(alice, "alice", kPassword), 200);
}

TEST(WebApiThrottle, StrangersCannotLockTheOwnerOut) {
  Server server(BehindProxy());
  Client alice_home(server.port()), bob(server.port());
  alice_home.AlwaysSend("X-Real-IP", "10.0.0.1");
  bob.AlwaysSend("X-Real-IP", "10.6.6.6");
  Register(alice_home, "alice");
  Register(bob, "bob");
  Client mallory(server.port());
  mallory.AlwaysSend("X-Real-IP", "10.6.6.6");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Login(mallory, "alice", "guess " + std::to_string(i)), 401);
  }
  EXPECT_EQ(Login(mallory, "alice", "guess 5"), 429);
  // Alice on a new device, from elsewhere: not locked out by Mallory's guesses.
  Client alice_phone(server.port());
  alice_phone.AlwaysSend("X-Real-IP", "10.0.0.2");
  EXPECT_EQ(Login(alice_phone, "alice", kPassword), 200);
  // Bob shares Mallory's address (one household, one NAT): Mallory's guesses at another name do
  // not lock him out either.
  Client bob_again(server.port());
  bob_again.AlwaysSend("X-Real-IP", "10.6.6.6");
  EXPECT_EQ(Login(bob_again, "bob", kPassword), 200);
}

TEST(WebApiThrottle, ParallelRegistrationsStopAtTheLimit) {
  Server server(true);
  const auto statuses = Burst(server.port(), 12, [](Client& c, int i) {
    return c
        .Call("POST", "/api/v1/account/register",
              {{"username", "person" + std::to_string(i)}, {"password", kPassword}})
        .first;
  });
  EXPECT_EQ(statuses.count(201) ? statuses.at(201) : 0, 5) << Describe(statuses);
  EXPECT_EQ(statuses.count(429) ? statuses.at(429) : 0, 7) << Describe(statuses);
}

// Asking whether a name is taken counts as a registration: an address learns at most five
// names an hour that way, and then hears nothing about any name.
TEST(WebApiThrottle, RegistrationAnswersAboutNamesOnlyWithinTheLimit) {
  Server server(true);
  Client owner(server.port());
  Register(owner, "taken");
  Client prober(server.port());
  for (int i = 0; i < 4; ++i) {
    ExpectError(prober.Call("POST", "/api/v1/account/register",
                            {{"username", "taken"}, {"password", kPassword}}),
                400, "username_taken");
  }
  ExpectError(prober.Call("POST", "/api/v1/account/register",
                          {{"username", "taken"}, {"password", kPassword}}),
              429, "too_many");
  ExpectError(prober.Call("POST", "/api/v1/account/register",
                          {{"username", "free-name"}, {"password", kPassword}}),
              429, "too_many");
}

TEST(WebApiAccounts, DeletingAnAccountChecksThePasswordWithAThrottle) {
  Server server(true);
  Client alice(server.port());
  Register(alice, "alice");
  const auto statuses = Burst(server.port(), 20, [&](Client& c, int i) {
    c.TakeSessionOf(alice);
    return c.Call("DELETE", "/api/v1/account", {{"password", "not it " + std::to_string(i)}}).first;
  });
  EXPECT_EQ(statuses.count(401) ? statuses.at(401) : 0, 5) << Describe(statuses);
  EXPECT_EQ(statuses.count(429) ? statuses.at(429) : 0, 15) << Describe(statuses);
  auto [status, account] = alice.Call("GET", "/api/v1/account");
  EXPECT_EQ(status, 200) << account.dump();
}

TEST(WebApiAccounts, WeakPasswordsAreRefused) {
  Server server(BehindProxy());
  int address = 0;
  auto try_register = [&](const std::string& username, const std::string& password) {
    Client c(server.port());
    c.AlwaysSend("X-Real-IP", "10.1.0." + std::to_string(++address));  // not the limit's turn
    return c.Call("POST", "/api/v1/account/register",
                  {{"username", username}, {"password", password}});
  };
  for (const auto& [username, password] : std::vector<std::pair<std::string, std::string>>{
           {"amy", "aaaaaaaaaa"},
           {"amy", "          "},
           {"amy", "\t \t \t \t \t "},
           {"alice-smith", "alice-smith"},
           {"alice-smith", "ALICE-SMITH!"},
           {"amy", "1234567890"},
           {"amy", "abcdefghijk"},
           {"amy", "qwertyuiop"},
           {"amy", "ababababab"},
           // Nine characters in 18 bytes: counted as characters, not bytes.
           {"amy", "\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab\xc4\x93\xc4\x95\xc4\x97\xc4\x99\xc4\x9b"},
       }) {
    const auto reply = try_register(username, password);
    EXPECT_EQ(reply.first, 400) << username << " / " << password << ": " << reply.second.dump();
    EXPECT_EQ(reply.second["error"]["code"], "weak_password") << password;
  }
  // Invalid UTF-8 is not a password (sent as raw bytes: it is not JSON's to carry).
  Client raw(server.port());
  raw.AlwaysSend("X-Real-IP", "10.1.1.1");
  auto invalid = raw.Raw("POST", "/api/v1/account/register",
                         "{\"username\": \"amy\", \"password\": \"abcdefghij\xff\"}");
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->status, 400) << invalid->body;
  EXPECT_EQ(try_register("amy", kPassword).first, 201);
  EXPECT_EQ(try_register("bea", "h\xc3\xa9llo w\xc3\xb6rld 42").first, 201);
}

// Sign-out ends the session the cookie names, however the Cookie header is laid out.
TEST(WebApiAccounts, SignOutEndsTheRealSession) {
  Server server(true);
  Client alice(server.port());
  Register(alice, "alice");
  const std::string session = alice.CookieValue("hc_session");
  ASSERT_EQ(session.size(), 64u);
  // Another cookie whose name ends in hc_session, first in the header (the jar sends cookies in
  // name order).
  alice.SetCookie("a_hc_session", std::string(64, 'b'));
  auto [out_status, out] = alice.Call("POST", "/api/v1/account/logout", json::object());
  EXPECT_EQ(out_status, 200) << out.dump();
  Client thief(server.port());
  thief.SetCookie("hc_session", session);
  ExpectError(thief.Call("GET", "/api/v1/account"), 401, "signed_out");
}

// The FHIR pseudonym comes from the person id: a new account must never get a deleted one's.
TEST(WebApiAccounts, ADeletedAccountsPersonIdIsNeverReused) {
  Server server(true);
  auto patient = [](Client& client) {
    auto [status, bundle] = client.Call("GET", "/api/v1/fhir/Bundle");
    EXPECT_EQ(status, 200) << bundle.dump();
    for (const auto& entry : bundle["entry"]) {
      if (entry["resource"]["resourceType"] == "Patient") return entry["resource"]["identifier"];
    }
    return json();
  };
  Client first(server.port());
  Register(first, "first");
  Client second(server.port());
  Register(second, "second");
  const json second_id = patient(second);
  // The newest account goes; the next one must not step into its place.
  ASSERT_EQ(second.Call("DELETE", "/api/v1/account", {{"password", kPassword}}).first, 200);
  Client third(server.port());
  Register(third, "third");
  const json third_id = patient(third);
  EXPECT_FALSE(third_id.is_null());
  EXPECT_NE(third_id, second_id);
  EXPECT_NE(third_id, patient(first));
}

// The record of what a clinician changed belongs to the person's history: it stays when the
// clinician's account goes.
TEST(WebApiAccounts, AClinicianLeavingKeepsTheRecordOfTheirChanges) {
  Server server(true);
  Client alice(server.port()), physio(server.port());
  Register(alice, "alice");
  Register(physio, "physio", "clinician");
  auto answers = RunInterview(alice, SelfCareAnswer).first;
  ASSERT_EQ(alice.Call("POST", "/api/v1/assessments", {{"answers", answers}}).first, 201);
  auto [c_status, code] = alice.Call("POST", "/api/v1/share-codes", json::object());
  ASSERT_EQ(c_status, 201);
  auto [l_status, link] = physio.Call("POST", "/api/v1/links", {{"code", code["code"]}});
  ASSERT_EQ(l_status, 201) << link.dump();
  const std::string base = "/api/v1/links/" + std::to_string(link["link"]["id"].get<long>());
  auto [p_status, programme] = physio.Call("GET", base + "/programme");
  ASSERT_EQ(p_status, 200);
  const json item = programme["items"][0];
  auto [a_status, adjusted] = physio.Call("POST", base + "/programme",
                                          {{"exercise", item["exercise"]},
                                           {"sets", item["sets"].get<int>() == 1 ? 2 : 1},
                                           {"why", "Build up more slowly"}});
  ASSERT_EQ(a_status, 201) << adjusted.dump();
  ASSERT_EQ(physio.Call("DELETE", "/api/v1/account", {{"password", kPassword}}).first, 200);
  auto [ch_status, changes] = alice.Call("GET", "/api/v1/changes");
  EXPECT_EQ(ch_status, 200);
  ASSERT_EQ(changes["changes"].size(), 1u) << changes.dump();
  EXPECT_EQ(changes["changes"][0]["by"], "physio");
  EXPECT_EQ(changes["changes"][0]["why"], "Build up more slowly");
  // The person's own deletion still removes it with everything else.
  ASSERT_EQ(alice.Call("DELETE", "/api/v1/account", {{"password", kPassword}}).first, 200);
}

}  // namespace
}  // namespace hipcoach::server
