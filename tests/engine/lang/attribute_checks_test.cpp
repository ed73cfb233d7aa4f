// Nested blocks and declared checks at validate: a typo inside a block is
// reported with its path, location and "did you mean"; nested values are
// converted per nested type; one_of / regex / range and the
// cross-attribute checks fail with the attribute's location.
#include "engine/lang/attribute_checks.h"

#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <fstream>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "fakes/fake_provider.h"
#include "providers/aws/kit/schema_builder.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

using namespace aws::schema;
using provider::AttrMode;
using provider::AttrType;

class AttributeChecksTest : public testing::Test {
 protected:
  void SetUp() override {
    provider::ResourceSchema s;
    s.type = "fake_lb";
    s.service = "fake";
    s.attributes = {
        OneOf(Optional("scheme"), {"internal", "internet-facing"}),
        Block("health_check", AttrMode::kOptional,
              {Range(Optional("interval", kNone, AttrType::kNumber), 5, 300), Optional("path"),
               Required("protocol"), Computed("last_seen")}),
        Blocks("rule", AttrMode::kOptional, {Required("id"), Optional("enabled", kNone, AttrType::kBool)}),
        Optional("a"),
        Optional("b"),
        OneOf(Optional("days", kNone, AttrType::kNumber), {"1", "3", "5"}),
        Computed("id"),
    };
    s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"a", "b"}}};
    provider_.AddType(s);
  }

  // Loads a one-resource stack; returns every error as "line:col: message".
  std::vector<std::string> Errors(const std::string& resource_body) {
    test::TempDir tmp("infra-checks");
    std::ofstream(tmp.File("stack.yaml")) << "stack: c\nregions:\n  primary: eu-west-1\nresources:\n  lb:\n"
                                             "    type: fake_lb\n"
                                          << resource_body;
    Diagnostics diags;
    (void)LoadStack(tmp.path(), VariableInputs{{}, false}, provider_, diags);
    std::vector<std::string> out;
    for (const auto& d : diags.items())
      if (d.severity == Severity::kError) out.push_back(fmt::format("{}:{}: {}", d.loc.line, d.loc.column, d.summary));
    return out;
  }

  test::FakeProvider provider_;
};

TEST_F(AttributeChecksTest, TypoInsideABlockNamesItsPathAndSuggests) {
  auto errors = Errors("    health_check:\n      intervl: 30\n      protocol: HTTP\n");
  ASSERT_EQ(errors.size(), 1u) << fmt::format("{}", fmt::join(errors, "\n"));
  EXPECT_EQ(errors[0], "8:7: unknown attribute 'health_check.intervl' in block 'health_check'; did you mean 'interval'?");
}

TEST_F(AttributeChecksTest, RepeatingBlocksAreCheckedPerElement) {
  auto errors = Errors("    rule:\n      - {id: a}\n      - {idd: b}\n");
  ASSERT_EQ(errors.size(), 2u) << fmt::format("{}", fmt::join(errors, "\n"));
  EXPECT_NE(errors[0].find("unknown attribute 'rule[1].idd'"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("missing required attribute 'rule[1].id'"), std::string::npos) << errors[1];
}

TEST_F(AttributeChecksTest, ComputedAndMissingNestedAttributes) {
  auto errors = Errors("    health_check: {last_seen: x}\n");
  ASSERT_EQ(errors.size(), 2u) << fmt::format("{}", fmt::join(errors, "\n"));
  EXPECT_NE(errors[0].find("'health_check.last_seen' is computed"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("missing required attribute 'health_check.protocol'"), std::string::npos) << errors[1];
}

TEST_F(AttributeChecksTest, DeclaredChecksFailWithTheValuesLocation) {
  auto errors = Errors("    scheme: internall\n    health_check: {protocol: HTTP, interval: 1}\n    a: x\n    b: y\n");
  ASSERT_EQ(errors.size(), 3u) << fmt::format("{}", fmt::join(errors, "\n"));
  EXPECT_EQ(errors[0], "7:13: 'scheme' must be one of internal, internet-facing; got \"internall\"; did you mean 'internal'?");
  EXPECT_NE(errors[1].find("'health_check.interval' must be between 5 and 300; got 1"), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find("fake_lb: a and b cannot be set together"), std::string::npos) << errors[2];
}

TEST_F(AttributeChecksTest, ANumberOneOfIsCheckedAgainstTheNumbersAllowed) {
  auto errors = Errors("    days: 4\n");
  ASSERT_EQ(errors.size(), 1u) << fmt::format("{}", fmt::join(errors, "\n"));
  EXPECT_EQ(errors[0], "7:11: 'days' must be one of 1, 3, 5; got 4");
  EXPECT_TRUE(Errors("    days: 3\n").empty());
  EXPECT_TRUE(Errors("    days: \"5\"\n").empty());
}

TEST_F(AttributeChecksTest, ValidBlocksPass) {
  EXPECT_TRUE(Errors("    scheme: internal\n    health_check: {protocol: HTTP, interval: \"30\"}\n"
                     "    rule: [{id: a, enabled: \"true\"}]\n")
                  .empty());
}

TEST(ConvertBlockTest, ConvertsNestedValuesPerNestedType) {
  auto s = Block("health_check", AttrMode::kOptional, {Optional("interval", kNone, AttrType::kNumber)});
  auto v = ConvertBlock(s, "health_check", Value::MakeMap({{"interval", Value::String("30")}}));
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->AsMap().at("interval").kind(), ValueKind::kNumber);
  auto bad = ConvertBlock(s, "health_check", Value::MakeMap({{"interval", Value::String("often")}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'health_check.interval'"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace infra::engine
