// Accounts, login sessions, clinician links and sign-in throttling for the multi-user web app
// (`hipcoach serve --multi-user`). The Store interface has no accounts, so they live here, in
// tables of their own (prefixed web_) in the same database as the Store (the SQLite file, or the
// PostgreSQL database). Nothing of this is kept in a server's memory, so several servers can share
// one PostgreSQL database. Secrets are never stored: session tokens and share
// codes are kept as SHA-256 hashes, passwords as Argon2id strings (libsodium).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hipcoach/status.hpp"
#include "hipcoach/store.hpp"

namespace hipcoach::server {

struct Account {
  RowId id = 0;
  std::string username;
  std::string password_hash;  // $argon2id$...
  std::string role;           // person | clinician
  RowId person_id = 0;        // the Store's person id (a clinician has one too, unused)
  TimeSeconds created_at = 0;
};

struct WebSession {
  RowId account_id = 0;
  std::string csrf;
  TimeSeconds expires_at = 0;
};

// A clinician's read access to one person, given with a share code and revocable by the person.
struct ClinicianLink {
  RowId id = 0;
  RowId person_account = 0;
  RowId clinician_account = 0;
  std::string clinician_name;  // the clinician's username
  std::string person_name;     // the person's username
  TimeSeconds created_at = 0;
  std::optional<TimeSeconds> revoked_at;
};

// A programme change made by a clinician: who, when, why and what.
struct ClinicianChange {
  RowId id = 0;
  RowId link_id = 0;
  RowId person_account = 0;
  std::string clinician_name;
  TimeSeconds at = 0;
  std::string why;
  std::string details_json;
};

// One key an attempt counts against, and its rule.
struct ThrottleKey {
  std::string key;
  int free_attempts = 5;  // within the window, before the rule applies
  // false: then refused until the window lets go of the oldest failures (a hard limit, for what
  // only the requester's own address can trigger). true: then each further attempt waits twice
  // as long as the one before (30 s, 1 min, 2 min ... 15 min), so that others' failures slow a
  // person down but cannot shut them out for the whole window.
  bool backoff = true;
  TimeSeconds window_seconds = TimeSeconds{15} * 60;
};

struct ThrottleDecision {
  bool allowed = false;
  TimeSeconds retry_after = 0;  // when refused: seconds until the next attempt may be made
  std::string attempt;          // when allowed: its id, for ForgetAttempt
};

// When the next attempt under `key` may be made, given its `failures` within the window, the
// oldest and the latest of them: 0 for now, otherwise seconds from `now`.
TimeSeconds ThrottleWait(const ThrottleKey& key, int failures, TimeSeconds oldest,
                         TimeSeconds latest, TimeSeconds now);

// A new attempt id (random).
std::string NewAttemptId();

class Accounts {
 public:
  virtual ~Accounts() = default;

  // kInvalidInput when the username is taken.
  virtual Result<Account> CreateAccount(const std::string& username,
                                        const std::string& password_hash, const std::string& role,
                                        TimeSeconds now) = 0;
  virtual Result<std::optional<Account>> FindAccount(const std::string& username) = 0;
  virtual Result<std::optional<Account>> GetAccount(RowId id) = 0;
  // Deletes the account with its sessions, codes, links and change records.
  virtual Result<void> DeleteAccount(RowId id) = 0;

  virtual Result<void> AddSession(const std::string& token_hash, const WebSession& session) = 0;
  // The live session for a token hash (expired ones are removed).
  virtual Result<std::optional<WebSession>> FindSession(const std::string& token_hash,
                                                        TimeSeconds now) = 0;
  virtual Result<void> DeleteSession(const std::string& token_hash) = 0;

  virtual Result<void> AddShareCode(const std::string& code_hash, RowId person_account,
                                    TimeSeconds expires_at) = 0;
  // Turns a live code into a link (a code works once); nullopt when no such live code.
  virtual Result<std::optional<ClinicianLink>> RedeemShareCode(const std::string& code_hash,
                                                               RowId clinician_account,
                                                               TimeSeconds now) = 0;
  // Links where the account is the person or the clinician, live ones only unless `all`.
  virtual Result<std::vector<ClinicianLink>> Links(RowId account, bool all) = 0;
  // kNotFound unless the link is the person's own.
  virtual Result<void> RevokeLink(RowId link_id, RowId person_account, TimeSeconds now) = 0;
  virtual Result<RowId> AddChange(const ClinicianChange& change) = 0;
  virtual Result<std::vector<ClinicianChange>> Changes(RowId person_account) = 0;

  // Throttling of sign-in, registration, share-code and password-check attempts. An attempt is
  // checked against every key it falls under and, when all of them allow it, recorded against
  // each at once, in one transaction under a lock per key: parallel requests cannot all pass a
  // check that none of them has recorded yet. Failures live in the database, so every server
  // process sharing it sees the same counts. Keys are hashed by the caller when they hold an
  // address or a name.
  virtual Result<ThrottleDecision> TryAttempt(const std::vector<ThrottleKey>& keys,
                                              TimeSeconds now) = 0;
  // An attempt that succeeded (the right password): it no longer counts against its keys.
  virtual Result<void> ForgetAttempt(const std::string& attempt) = 0;

  // Devices a person has signed in on (by the hash of the hc_device cookie): their sign-ins are
  // throttled on their own, so strangers' failures cannot lock the owner out.
  virtual Result<void> AddDevice(const std::string& token_hash, RowId account_id,
                                 TimeSeconds now) = 0;
  virtual Result<std::optional<RowId>> DeviceAccount(const std::string& token_hash) = 0;

  // A secret every server on this database shares, such as the key behind the FHIR pseudonym
  // (docs/fhir.md): the stored one, or `candidate` stored first if there is none yet (when two
  // servers race, both get the one stored first).
  virtual Result<std::string> SharedSecret(const std::string& name,
                                           const std::string& candidate) = 0;
};

// The tables in the SQLite database at `path` (created if missing). Thread-safe.
Result<std::unique_ptr<Accounts>> OpenSqliteAccounts(const std::string& path);

// The tables in the PostgreSQL database at `url` (created if missing, under an advisory lock),
// used through a pool of `pool_size` connections. Thread-safe; several processes may share them.
Result<std::unique_ptr<Accounts>> OpenPostgresAccounts(const std::string& url, int pool_size);

}  // namespace hipcoach::server
