// `infra validate` / `infra graph` run as a user would: exit codes, -C,
// -var / --var / -var-file, DOT and JSON output, the reference stack.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::cli {
namespace {

struct CliRun {
  int exit_code = -1;
  std::string out;
};

CliRun Infra(const std::string& args, bool with_stderr = true) {
  CliRun r;
  std::string cmd = test::InfraBinary() + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

const std::string kBasic = test::DataDir() + "/stacks/basic";

TEST(CmdValidateTest, ValidatesDirectoryFileAndDashC) {
  EXPECT_EQ(Infra("validate " + kBasic).exit_code, 0);
  CliRun file = Infra("validate " + kBasic + "/stack.yaml");
  EXPECT_EQ(file.exit_code, 0) << file.out;
  EXPECT_NE(file.out.find("Success! The stack is valid."), std::string::npos);
  CliRun c = Infra("-C " + test::DataDir() + " validate stacks/basic");
  EXPECT_EQ(c.exit_code, 0) << c.out;
}

TEST(CmdValidateTest, VariableFlagsInEitherSpellingAndFiles) {
  CliRun one = Infra("validate " + kBasic + " -var replicas=11");
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_NE(one.out.find("replicas must be between 0 and 9"), std::string::npos) << one.out;
  EXPECT_EQ(Infra("validate " + kBasic + " --var replicas=3").exit_code, 0);
  test::TempDir tmp("infra-cmd-validate");
  std::string vf = tmp.File("vars.yaml");
  std::ofstream(vf) << "replicas: 42\n";
  CliRun file = Infra("validate " + kBasic + " -var-file " + vf);
  EXPECT_EQ(file.exit_code, 1) << file.out;
  CliRun bad = Infra("validate " + kBasic + " -var nonsense");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.out.find("name=value"), std::string::npos) << bad.out;
  CliRun undeclared = Infra("validate " + kBasic + " -var replicaz=1");
  EXPECT_EQ(undeclared.exit_code, 1);
  EXPECT_NE(undeclared.out.find("did you mean 'replicas'?"), std::string::npos) << undeclared.out;
}

TEST(CmdValidateTest, GraphPrintsDotAndJson) {
  CliRun dot = Infra("graph " + kBasic, false);
  EXPECT_EQ(dot.exit_code, 0);
  EXPECT_EQ(dot.out.rfind("digraph \"basic\" {", 0), 0u) << dot.out;
  EXPECT_NE(dot.out.find("cluster_dr"), std::string::npos);
  CliRun json = Infra("-C " + kBasic + " graph --format json", false);
  ASSERT_EQ(json.exit_code, 0) << json.out;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["nodes"].size(), 8u);
  EXPECT_EQ(Infra("graph " + test::DataDir() + "/bad/cycle").exit_code, 1);
}

TEST(CmdValidateTest, ReferenceStackValidates) {
  CliRun r = Infra("validate " + test::SourceDir() + "/stacks/examples/network-2region");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  CliRun g = Infra("graph " + test::SourceDir() + "/stacks/examples/network-2region --format json", false);
  ASSERT_EQ(g.exit_code, 0);
  auto j = nlohmann::json::parse(g.out);
  EXPECT_GT(j["edges"].size(), 50u);
}

}  // namespace
}  // namespace infra::cli
