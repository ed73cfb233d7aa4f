// Robustness without libFuzzer: every prefix of valid templates, random
// single-byte mutations and random byte strings must parse or fail cleanly
// (an error with a location inside the input), and whatever parses must
// evaluate or fail cleanly. A crash or hang fails the test binary.
#include <gtest/gtest.h>

#include <random>

#include "engine/lang/expr.h"

namespace infra::engine {
namespace {

const char* const kValid[] = {
    "${var.dr_active ? 2 : 0}",
    "${var.dr_active ? null : db_primary.arn}",
    "app-${var.env}-${region}-$${literal}",
    "${cidrsubnet(var.cidr, 8, count.index + 1)}",
    "${module.net_primary.subnets[\"a\"].id}",
    "${format(\"%s-%03d\", each.key, each.value * 2)}",
    "${{a = [1, 2.5e3, \"x\\n\\u00e9\"], \"b\": {c = !true && (1 < 2 || 3 >= 4)}}}",
    "${lookup(var.tags, \"env\", \"dev\") == \"prod\" ? join(\",\", concat([\"a\"], var.x)) : \"\"}",
    "${x[var.i].y[0] % 3 - -4 / 2 != 1}",
    "line one\n  ${vpc.id}\n${\"nested ${region} ok\"}",
};

// Permissive scope: every reference resolves to unknown.
class UnknownScope : public EvalScope {
 public:
  Result<Resolved> Lookup(const Traversal&) const override { return Resolved{Value::Unknown(), 0}; }
};

int Lines(std::string_view s) {
  int n = 1;
  for (char c : s) n += c == '\n';
  return n;
}

// Parses and (if it parsed) evaluates; checks error shape. Returns true if parsed.
bool Exercise(std::string_view text) {
  const SourceLoc start{"fuzz.yaml", 7, 3};
  auto e = ParseTemplate(text, start);
  if (!e) {
    const std::string& m = e.error().message;
    EXPECT_EQ(m.rfind("fuzz.yaml:", 0), 0u) << m;
    int line = 0, col = 0;
    EXPECT_EQ(std::sscanf(m.c_str(), "fuzz.yaml:%d:%d:", &line, &col), 2) << m;
    EXPECT_GE(line, 7) << m;
    EXPECT_LE(line, 7 + Lines(text)) << m;
    EXPECT_GE(col, 1) << m;
    EXPECT_LE(col, static_cast<int>(text.size()) + 3) << m;
    return false;
  }
  UnknownScope scope;
  auto v = Evaluate(**e, scope);
  if (!v) {
    EXPECT_EQ(v.error().message.rfind("fuzz.yaml:", 0), 0u) << v.error().message;
  }
  CollectReferences(**e);
  (*e)->ToString();
  return true;
}

TEST(ExprParserRobustness, ValidInputsParse) {
  for (const char* text : kValid) EXPECT_TRUE(Exercise(text)) << text;
}

TEST(ExprParserRobustness, EveryPrefix) {
  int parsed = 0, failed = 0;
  for (std::string_view text : kValid) {
    for (size_t n = 0; n <= text.size(); ++n) (Exercise(text.substr(0, n)) ? parsed : failed)++;
  }
  EXPECT_GT(failed, 100);  // most prefixes cut an expression open
  EXPECT_GT(parsed, 10);   // prefixes before the first ${ are plain strings
}

TEST(ExprParserRobustness, SingleByteMutations) {
  std::mt19937 rng(12345);
  const std::string alphabet = "${}[]()\"\\.,:=?!<>&|+-*/%# \n\t0123456789abcxyz_\x01\xff\xc3";
  for (std::string_view base : kValid) {
    for (int i = 0; i < 300; ++i) {
      std::string text(base);
      size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.erase(at, 1); break;
        default: text.insert(at, 1, alphabet[rng() % alphabet.size()]);
      }
      Exercise(text);
    }
  }
}

TEST(ExprParserRobustness, RandomBytes) {
  std::mt19937 rng(987654);
  const std::string dense = "${}[]()\"\\.,:=?!<>&|+-*/% \nax0";
  for (int i = 0; i < 3000; ++i) {
    std::string text(rng() % 64, '\0');
    bool from_dense = i % 2 == 0;
    for (auto& c : text) c = from_dense ? dense[rng() % dense.size()] : static_cast<char>(rng() % 256);
    if (i % 3 == 0) text = "${" + text;
    Exercise(text);
  }
}

// Repeats `unit` n times after `prefix` and appends `suffix` (built with +=;
// GCC 12 warns falsely on operator+ with large temporaries).
std::string Repeat(const char* prefix, const char* unit, int n, const char* suffix) {
  std::string s = prefix;
  for (int i = 0; i < n; ++i) s += unit;
  s += suffix;
  return s;
}

TEST(ExprParserRobustness, PathologicalShapes) {
  EXPECT_FALSE(Exercise(Repeat("${", "(", 100000, "")));
  EXPECT_FALSE(Exercise(Repeat("${", "-", 100000, "1}")));
  EXPECT_FALSE(Exercise(Repeat("${", "{", 100000, "")));
  EXPECT_FALSE(Exercise(Repeat("${\"", "\\", 100000, "")));
  std::string opens;
  for (int i = 0; i < 20000; ++i) opens += "${";
  EXPECT_FALSE(Exercise(opens));
  EXPECT_TRUE(Exercise(Repeat("", "$", 20000, "{")));  // ends in the escape $${
  std::string chain = "${a";
  for (int i = 0; i < 20000; ++i) chain += " + a[0].b";
  EXPECT_FALSE(Exercise(chain + "}"));  // height is bounded: an error, not a stack overflow
  std::string postfix = "${f()";
  for (int i = 0; i < 20000; ++i) postfix += ".a";
  EXPECT_FALSE(Exercise(postfix + "}"));
  std::string ok_chain = "${a";
  for (int i = 0; i < 300; ++i) ok_chain += " + a";
  EXPECT_TRUE(Exercise(ok_chain + "}"));
}

}  // namespace
}  // namespace infra::engine
