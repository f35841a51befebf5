// Deterministic identifiers: name-based UUIDs and the person's keyed pseudonym (libsodium's
// SHA-256 and HMAC-SHA-256).
#include <sodium.h>

#include <array>
#include <mutex>
#include <string>

#include "hipcoach/fhir.hpp"

namespace hipcoach::fhir {
namespace {

void InitSodium() {
  // sodium_init() is idempotent and thread-safe; hashing needs no randomness, so a failure (which
  // only concerns the random generator) does not stop us.
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) return;  // only the random generator would be affected
  });
}

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return out;
}

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

std::string AnswerSystem(std::string_view question_id) {
  return std::string(kAnswerSystemPrefix) + std::string(question_id);
}

std::string NameUuid(std::string_view name) {
  InitSodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), Bytes(name), name.size());
  // RFC 9562 section 5.8: version 8 in the high nibble of octet 6, variant 10 in octet 8.
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x80);
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);
  const std::string hex = Hex(digest.data(), 16);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string Pseudonym(std::string_view key, RowId person_id) {
  InitSodium();
  const std::string message = "hipcoach-person:" + std::to_string(person_id);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(message), message.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  return Hex(mac.data(), 16);
}

}  // namespace hipcoach::fhir
