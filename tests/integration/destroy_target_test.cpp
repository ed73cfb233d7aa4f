// Issue 10 item 15 end to end against moto_server: `destroy --target X`
// changes only the outputs that depend on what it destroys; the others
// stay in state as they were. Checked with the AWS CLI.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "stack_dir_fixture.h"

namespace infra::test {
namespace {

constexpr char kStack[] =
    "stack: targeted\nregions: {primary: eu-central-1}\n"
    "resources:\n"
    "  keep: {type: aws_vpc, cidr_block: 10.42.0.0/16}\n"
    "  gone: {type: aws_vpc, cidr_block: 10.43.0.0/16}\n"
    "outputs:\n"
    "  keep_id: ${keep.id}\n"
    "  gone_id: ${gone.id}\n"
    "  both: \"${keep.id},${gone.id}\"\n"
    "  fixed: constant\n";

class DestroyTargetTest : public StackDirTest {};

TEST_F(DestroyTargetTest, OnlyOutputsOfWhatIsDestroyedChange) {
  WriteStack(kStack);
  auto apply = Infra("apply --auto-approve");
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  auto before = nlohmann::json::parse(Infra("output --json").out);
  ASSERT_TRUE(before.contains("keep_id")) << before.dump();

  auto plan = Infra("plan --destroy --target aws_vpc.gone");
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("- gone_id"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("- both"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("keep_id"), std::string::npos) << "unchanged outputs are not listed:\n" << plan.out;
  EXPECT_EQ(plan.out.find("fixed"), std::string::npos) << plan.out;

  auto destroy = Infra("destroy --auto-approve --target aws_vpc.gone");
  ASSERT_EQ(destroy.exit_code, 0) << destroy.out << destroy.err;
  auto after = nlohmann::json::parse(Infra("output --json").out);
  EXPECT_EQ(after["keep_id"], before["keep_id"]) << after.dump();
  EXPECT_EQ(after["fixed"]["value"], "constant") << after.dump();
  EXPECT_FALSE(after.contains("gone_id")) << after.dump();
  EXPECT_FALSE(after.contains("both")) << after.dump();

  auto vpcs = AwsCli("eu-central-1", "ec2 describe-vpcs --filters Name=tag:infra:stack,Values=targeted");
  ASSERT_EQ(vpcs.exit_code, 0) << vpcs.err;
  ASSERT_EQ(vpcs.json["Vpcs"].size(), 1u) << vpcs.out;
  EXPECT_EQ(vpcs.json["Vpcs"][0]["VpcId"], before["keep_id"]["value"]);
}

}  // namespace
}  // namespace infra::test
