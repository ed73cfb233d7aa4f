// Robustness: the stack and module files of tests/data/stacks/basic cut at
// every byte offset must load or fail with located errors, never crash or
// hang; garbage bytes likewise.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "providers/aws/aws_provider.h"
#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "providers/provider.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::engine {
namespace {
namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class StackRobustnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path();
    fs::create_directories(root_ + "/basic");
    fs::create_directories(root_ + "/modules");
    stack_ = Slurp(test::DataDir() + "/stacks/basic/stack.yaml");
    module_ = Slurp(test::DataDir() + "/stacks/modules/net.yaml");
  }
  /// Loads with the given texts; checks that failure comes with located errors.
  void Check(const std::string& stack, const std::string& module, const std::string& what) {
    std::ofstream(root_ + "/basic/stack.yaml", std::ios::binary | std::ios::trunc) << stack;
    std::ofstream(root_ + "/modules/net.yaml", std::ios::binary | std::ios::trunc) << module;
    Diagnostics diags;
    auto s = LoadStack(root_ + "/basic", VariableInputs{{}, false}, *provider_, diags);
    if (s.ok()) return;
    ASSERT_TRUE(diags.has_errors()) << what;
    for (const auto& d : diags.items()) {
      ASSERT_FALSE(d.loc.file.empty()) << what << ": " << d.summary;
      ASSERT_GT(d.loc.line, 0) << what << ": " << d.summary;
    }
  }
  test::TempDir tmp_{"infra-stack-robustness"};
  std::string root_, stack_, module_;
  std::unique_ptr<provider::Provider> provider_ = aws::NewAwsProvider({});
};

TEST_F(StackRobustnessTest, IntactFilesLoad) {
  std::ofstream(root_ + "/basic/stack.yaml") << stack_;
  std::ofstream(root_ + "/modules/net.yaml") << module_;
  Diagnostics diags;
  EXPECT_TRUE(LoadStack(root_ + "/basic", VariableInputs{{}, false}, *provider_, diags).ok())
      << diags.RenderAll();
}

TEST_F(StackRobustnessTest, StackFileCutAtEveryByte) {
  for (size_t n = 0; n < stack_.size(); ++n) Check(stack_.substr(0, n), module_, "stack cut at " + std::to_string(n));
}

TEST_F(StackRobustnessTest, ModuleFileCutAtEveryByte) {
  for (size_t n = 0; n < module_.size(); ++n) Check(stack_, module_.substr(0, n), "module cut at " + std::to_string(n));
}

TEST_F(StackRobustnessTest, RandomByteFlips) {
  std::mt19937 rng(42);
  for (int i = 0; i < 300; ++i) {
    std::string s = stack_;
    for (int k = 0; k < 3; ++k) s[rng() % s.size()] = static_cast<char>(rng() % 256);
    Check(s, module_, "flip round " + std::to_string(i));
  }
}

}  // namespace
}  // namespace infra::engine
