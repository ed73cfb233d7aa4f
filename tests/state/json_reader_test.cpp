// ReadJson must agree with nlohmann::json::parse on everything it accepts
// and refuse what is not JSON; ReadStringList and DumpJson edge cases.
#include "state/json_reader.h"

#include <gtest/gtest.h>

namespace infra::state {
namespace {

TEST(JsonReaderTest, AgreesWithNlohmannOnValidDocuments) {
  const char* docs[] = {
      R"({})",
      R"([])",
      R"({"a":1,"b":[true,false,null],"c":{"d":"e"}})",
      R"(  { "z" : -12 , "y" : 3.25e2 , "x" : 1E-3, "w": 0, "v": -0.5 }  )",
      R"({"big":18446744073709551615,"neg":-9223372036854775808,"huge":1e308})",
      R"(["esc \" \\ \/ \b \f \n \r \t", "\u00e9\u4e2d", "\ud83d\ude00", "plain"])",
      R"({"dup":1,"dup":2})",
      R"("just a string")",
      R"(42)",
      R"({"nested":[[[[{"deep":[1,2,{"x":"y"}]}]]]]})",
  };
  for (const char* doc : docs) {
    SCOPED_TRACE(doc);
    nlohmann::json mine;
    ASSERT_TRUE(ReadJson(doc, &mine));
    EXPECT_EQ(mine, nlohmann::json::parse(doc));
    EXPECT_EQ(mine.dump(), nlohmann::json::parse(doc).dump());
  }
}

TEST(JsonReaderTest, RefusesInvalidText) {
  const char* bad[] = {"",          "{",          "{\"a\"}",      "{\"a\":}",  "[1,]",   "[1 2]",   "01",
                       "1.",        "-",          "\"unterminated", "tru",     "nul",    "{} x",    "\"\\x\"",
                       "\"\\ud800\"", "\"a\tb\"", "{'a':1}",      "[1,,2]",    "1e",     "+1"};
  for (const char* doc : bad) {
    SCOPED_TRACE(doc);
    nlohmann::json out;
    EXPECT_FALSE(ReadJson(doc, &out));
    EXPECT_TRUE(ParseJsonOrDiscard(doc).is_discarded());
  }
}

TEST(JsonReaderTest, DeepNestingFallsBackInsteadOfOverflowing) {
  std::string deep = std::string(1000, '[') + std::string(1000, ']');
  nlohmann::json out;
  EXPECT_FALSE(ReadJson(deep, &out));
  EXPECT_TRUE(ParseJsonOrDiscard(deep).is_array());  // nlohmann takes it
}

TEST(JsonReaderTest, StringListsAndDumps) {
  EXPECT_EQ(ReadStringList(R"(["a","b\"c"])"), (std::vector<std::string>{"a", "b\"c"}));
  EXPECT_TRUE(ReadStringList("[]").empty());
  EXPECT_TRUE(ReadStringList("not json").empty());
  EXPECT_EQ(ReadStringList(R"(["a", 1, "b"])"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(DumpJson({{"k", "v"}}), R"({"k":"v"})");
  EXPECT_EQ(DumpJson(std::string("bad \xff utf8")), "\"bad \xEF\xBF\xBD utf8\"");  // no throw
}

}  // namespace
}  // namespace infra::state
