// The reader of untrusted JSON (include/hipcoach/json_reader.hpp): limits, duplicate keys, and
// messages that are safe to show.
#include "hipcoach/json_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hipcoach {
namespace {

std::string Nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonReader, ReadsOrdinaryDocuments) {
  auto value = ReadUntrustedJson(R"({"a": [1, 2.5, "x", true, null, {"b": {}}]})");
  ASSERT_TRUE(value) << value.error().what;
  EXPECT_EQ((*value)["a"][1], 2.5);
  EXPECT_EQ((*value)["a"][5]["b"], nlohmann::json::object());
  auto ordered = ReadUntrustedOrderedJson(R"({"z": 1, "a": 2})");
  ASSERT_TRUE(ordered);
  EXPECT_EQ(ordered->begin().key(), "z");  // the order of the text is kept
}

TEST(JsonReader, DepthIsLimitedWithoutRecursion) {
  JsonLimits limits;
  limits.max_depth = 8;
  EXPECT_TRUE(ReadUntrustedJson(Nested(8), limits));
  auto deep = ReadUntrustedJson(Nested(9), limits);
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().what, "arrays and objects are nested more than 8 deep");
  EXPECT_EQ(deep.error().line, 1u);
  EXPECT_EQ(deep.error().column, 9u);
  // Far deeper than any stack would survive if anything recursed: refused just the same.
  const std::string huge = std::string(1 << 20, '[');
  auto refused = ReadUntrustedJson(huge);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().what, "arrays and objects are nested more than 64 deep");
  auto objects = ReadUntrustedJson([] {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += "{\"a\":";
    return text;
  }());
  ASSERT_FALSE(objects);
  EXPECT_EQ(objects.error().what, "arrays and objects are nested more than 64 deep");
}

TEST(JsonReader, DuplicateKeysAreRefused) {
  auto twice = ReadUntrustedJson("{\"pain\": 1,\n \"pain\": 9}");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().what, "the key \"pain\" appears twice in one object");
  EXPECT_EQ(twice.error().line, 2u);
  // The same key in two different objects is fine.
  EXPECT_TRUE(ReadUntrustedJson(R"({"a": {"pain": 1}, "b": {"pain": 2}})"));
  EXPECT_FALSE(ReadUntrustedOrderedJson(R"({"a": 1, "a": 1})"));
}

TEST(JsonReader, SizeStringsAndValuesAreLimited) {
  JsonLimits limits;
  limits.max_bytes = 10;
  auto big = ReadUntrustedJson("[1, 2, 3, 4, 5]", limits);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().what, "15 bytes is more than the 10 allowed");
  EXPECT_EQ(big.error().Format("f.json"), "f.json: 15 bytes is more than the 10 allowed");
  limits = JsonLimits{};
  limits.max_string_bytes = 4;
  EXPECT_TRUE(ReadUntrustedJson(R"(["abcd"])", limits));
  auto long_string = ReadUntrustedJson(R"(["abcde"])", limits);
  ASSERT_FALSE(long_string);
  EXPECT_EQ(long_string.error().what, "a text of 5 bytes is longer than the 4 allowed");
  EXPECT_FALSE(ReadUntrustedJson(R"({"abcde": 1})", limits));  // keys too
  limits = JsonLimits{};
  limits.max_values = 3;
  EXPECT_TRUE(ReadUntrustedJson("[1, 2]", limits));
  auto many = ReadUntrustedJson("[1, 2, 3]", limits);
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().what, "more than 3 values");
}

TEST(JsonReader, HugeNumbersAreAnErrorNotAnException) {
  auto huge = ReadUntrustedJson(R"({"age": 1e999})");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().what, "a number is too large");
  EXPECT_TRUE(ReadUntrustedJson("[1e308, -1e308, 18446744073709551615]"));
}

TEST(JsonReader, MessagesHoldOnlyPrintableText) {
  // Invalid UTF-8, outside and inside a string: the message must not repeat those bytes.
  for (const std::string& text : {std::string("{\"a\": \xff\xfe}"), std::string("[\"\xc3\x28\"]"),
                                  std::string("\x80"), std::string("{\"a\":\n \x01}")}) {
    auto bad = ReadUntrustedJson(text);
    ASSERT_FALSE(bad) << text;
    EXPECT_EQ(bad.error().what.rfind("malformed JSON: ", 0), 0u) << bad.error().what;
    for (char c : bad.error().what) {
      const auto byte = static_cast<unsigned char>(c);
      EXPECT_TRUE(byte >= 0x20 && byte < 0x7f) << bad.error().what;
    }
    EXPECT_TRUE(nlohmann::json(bad.error().what).dump().size() > 2);  // serialisable
  }
  auto truncated = ReadUntrustedJson("{\"a\": [1, 2");
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().Format("x.json").rfind("x.json:1:", 0), 0u);
  EXPECT_FALSE(ReadUntrustedJson(""));
  EXPECT_FALSE(ReadUntrustedJson("[1] [2]"));  // one document only
  EXPECT_FALSE(ReadUntrustedJson("[1] /* comment */"));
}

}  // namespace
}  // namespace hipcoach
