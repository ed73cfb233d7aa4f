// `rollout: waves|parallel` in stack.yaml (issue 12): read as given, empty
// when absent, anything else an error naming file:line:col.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/cli/providers.h"
#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

class RolloutTest : public ::testing::Test {
 protected:
  Result<Stack> Load(const std::string& rollout_line) {
    std::ofstream(tmp_.File("stack.yaml")) << "stack: t\nregions:\n  primary: eu-west-1\n  dr: eu-central-1\n"
                                           << rollout_line << "resources:\n  vpc: {type: aws_vpc, cidr_block: 10.0.0.0/16}\n";
    return LoadStack(tmp_.path(), VariableInputs{{}, false}, *provider_, diags_);
  }
  test::TempDir tmp_{"infra-rollout"};
  std::unique_ptr<provider::Provider> provider_ = NewProviders({});
  Diagnostics diags_;
};

TEST_F(RolloutTest, WavesAndParallelAreRead) {
  auto waves = Load("rollout: waves\n");
  ASSERT_TRUE(waves.ok()) << diags_.RenderAll();
  EXPECT_EQ(waves->rollout(), "waves");
  auto parallel = Load("rollout: parallel\n");
  ASSERT_TRUE(parallel.ok()) << diags_.RenderAll();
  EXPECT_EQ(parallel->rollout(), "parallel");
}

TEST_F(RolloutTest, AbsentIsEmpty) {
  auto s = Load("");
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  EXPECT_EQ(s->rollout(), "");
}

TEST_F(RolloutTest, AnythingElseIsAnErrorAtItsPlace) {
  auto s = Load("rollout: sequential\n");
  EXPECT_FALSE(s.ok());
  std::string all = diags_.RenderAll();
  EXPECT_NE(all.find("stack.yaml:5:10"), std::string::npos) << all;
  EXPECT_NE(all.find("'rollout' must be 'waves' or 'parallel', not 'sequential'"), std::string::npos) << all;
}

}  // namespace
}  // namespace infra::engine
