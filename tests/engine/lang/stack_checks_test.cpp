// checks: parsed from stacks and modules, evaluated against values as
// passed / failed (with each false assertion's message) / unknown; bad
// shapes and undefined references are validation errors with places.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "fakes/fake_provider.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

class StackChecksTest : public ::testing::Test {
 protected:
  StackChecksTest() { provider_.AddThing("fake_thing"); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(tmp_.File(name)) << text; }
  Result<Stack> Load(const std::string& body) {
    Write("stack.yaml", "stack: c\nregions:\n  primary: eu-west-1\n" + body);
    return LoadStack(tmp_.path(), VariableInputs{{}, false}, provider_, diags_);
  }
  test::TempDir tmp_{"infra-checks"};
  test::FakeProvider provider_;
  Diagnostics diags_;
};

const char* kBody = R"(variables:
  want: {type: number, default: 3}
resources:
  a: {type: fake_thing, name: a, size: 3}
modules:
  m: {source: ./m.yaml}
checks:
  size_ok:
    assert:
      - condition: ${a.size == var.want}
        error_message: a has size ${a.size}, not ${var.want}
      - condition: ${a.arn != ""}
        error_message: a has no ARN
  single: {assert: {condition: "${a.name == \"a\"}", error_message: "renamed to ${a.name}"}}
)";

TEST_F(StackChecksTest, PassedFailedAndUnknown) {
  Write("m.yaml", "checks:\n  in_module: {assert: {condition: true, error_message: never}}\n");
  auto s = Load(kBody);
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  auto unknown = s->EvaluateChecks(NoResourceValues());
  ASSERT_EQ(unknown.size(), 3u);
  EXPECT_EQ(unknown[0].name, "size_ok");
  EXPECT_EQ(unknown[0].status, CheckResult::Status::kUnknown);
  EXPECT_EQ(unknown[2].name, "module.m.in_module");
  EXPECT_EQ(unknown[2].status, CheckResult::Status::kPassed);

  ResourceValues values = [](const std::string& address) -> std::optional<Value> {
    if (address != "fake_thing.a") return std::nullopt;
    return Value::MakeMap({{"name", Value::String("b")}, {"size", Value::Number(5)}, {"arn", Value::String("x")}});
  };
  auto got = s->EvaluateChecks(values);
  EXPECT_EQ(got[0].status, CheckResult::Status::kFailed);
  EXPECT_EQ(got[0].failures, std::vector<std::string>{"a has size 5, not 3"});
  EXPECT_EQ(got[1].status, CheckResult::Status::kFailed);
  EXPECT_EQ(got[1].failures, std::vector<std::string>{"renamed to b"});
  EXPECT_NE(got[0].loc.ToString().find("stack.yaml:11:3"), std::string::npos) << got[0].loc.ToString();
}

TEST_F(StackChecksTest, BadChecksAreValidationErrors) {
  auto s = Load(R"(resources:
  a: {type: fake_thing, name: a}
checks:
  no_assert: {description: x}
  half: {assert: [{condition: true}]}
  typo: {assert: {condition: "${b.size > 1}", error_message: x}}
)");
  EXPECT_FALSE(s.ok());
  std::string text = diags_.RenderAll();
  EXPECT_NE(text.find("stack.yaml:7:3: check.no_assert: a check needs 'assert:'"), std::string::npos) << text;
  EXPECT_NE(text.find("check.half: an assertion needs both 'condition' and 'error_message'"), std::string::npos)
      << text;
  EXPECT_NE(text.find("check.typo"), std::string::npos) << text;
  EXPECT_NE(text.find("no resource named 'b'"), std::string::npos) << text;
}

}  // namespace
}  // namespace infra::engine
