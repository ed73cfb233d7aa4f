// ChecksToJson: the stack's checks in plan JSON, against planned values.
#include "engine/cli/check_report.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/lang/diag.h"
#include "providers/aws/aws_provider.h"
#include "providers/provider.h"
#include "support/temp_dir.h"

namespace infra::cli {
namespace {

TEST(CheckReportTest, ChecksToJsonGivesEachChecksStatusAndProblems) {
  test::TempDir tmp{"infra-check-json"};
  std::ofstream(tmp.File("stack.yaml")) << R"(stack: c
regions: {primary: eu-west-1}
variables:
  azs: {type: list(string), default: [a]}
resources:
  vpc: {type: aws_vpc, cidr_block: 10.0.0.0/16}
checks:
  cidr:
    assert: {condition: "${vpc.cidr_block == \"10.0.0.0/16\"}", error_message: "cidr is ${vpc.cidr_block}"}
  zones:
    assert: {condition: "${length(var.azs) >= 2}", error_message: "give at least two AZs"}
  vpc_id:
    assert: {condition: "${vpc.id != \"\"}", error_message: "no id"}
)";
  auto provider = aws::NewAwsProvider({});
  engine::Diagnostics diags;
  auto stack = engine::LoadStack(tmp.path(), engine::VariableInputs{{}, false}, *provider, diags);
  ASSERT_TRUE(stack.ok()) << diags.RenderAll();
  engine::KnownValues planned;
  // The id is not known until apply: only the cidr is.
  planned["aws_vpc.vpc"] = engine::Value::MakeMap({{"cidr_block", engine::Value::String("10.0.0.0/16")},
                                                   {"id", engine::Value::Unknown()}});
  nlohmann::json checks = ChecksToJson(*stack, planned);
  ASSERT_EQ(checks.size(), 3u) << checks.dump(2);
  EXPECT_EQ(checks[0]["address"]["to_display"], "check.cidr");
  EXPECT_EQ(checks[0]["status"], "pass");
  EXPECT_TRUE(checks[0]["problems"].empty());
  EXPECT_EQ(checks[1]["address"]["name"], "zones");
  EXPECT_EQ(checks[1]["status"], "fail");
  ASSERT_EQ(checks[1]["problems"].size(), 1u);
  EXPECT_EQ(checks[1]["problems"][0]["message"], "give at least two AZs");
  EXPECT_NE(checks[1]["declared_at"].get<std::string>().find("stack.yaml:10:"), std::string::npos) << checks[1];
  EXPECT_EQ(checks[2]["status"], "unknown");
}

}  // namespace
}  // namespace infra::cli
