// `infra validate` / `infra graph` run as a user would: exit codes, -C,
// -var / --var / -var-file, DOT and JSON output, the reference stack,
// region names AWS does not have, validate -json.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "infra_binary.h"

namespace infra::cli {
namespace {

using test_support::CliRun;
using test_support::Infra;

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

TEST(CmdValidateTest, RegionAwsDoesNotHaveIsAnErrorAtItsName) {
  test::TempDir tmp("infra-cmd-validate-region");
  std::ofstream(tmp.File("stack.yaml")) << "stack: one\nregions:\n  primary: eu-centrl-1\n  dr: eu-west-1\n"
                                           "resources: {}\n";
  CliRun r = Infra("validate " + tmp.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("stack.yaml:3:12: region 'primary': AWS has no region named \"eu-centrl-1\"; did you mean "
                       "\"eu-central-1\"?"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("(1 error)"), std::string::npos) << r.out;
  CliRun graph = Infra("graph " + tmp.path());
  EXPECT_EQ(graph.exit_code, 1) << graph.out;
}

TEST(CmdValidateTest, JsonReportsValidityAndEveryDiagnosticWithItsRange) {
  CliRun ok = Infra("validate -json " + kBasic, false);
  ASSERT_EQ(ok.exit_code, 0) << ok.out;
  auto good = nlohmann::json::parse(ok.out);
  EXPECT_TRUE(good["valid"].get<bool>());
  EXPECT_EQ(good["error_count"], 0);
  CliRun bad = Infra("validate -json " + kBasic + " -var replicas=11 -var replicaz=1", false);
  EXPECT_EQ(bad.exit_code, 1);
  auto doc = nlohmann::json::parse(bad.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << bad.out;
  EXPECT_FALSE(doc["valid"].get<bool>());
  EXPECT_EQ(doc["format_version"], "1.0");
  ASSERT_GE(doc["diagnostics"].size(), 1u) << doc.dump(2);
  bool found = false;
  for (const auto& d : doc["diagnostics"])
    if (d["summary"].get<std::string>().find("replicas must be between 0 and 9") != std::string::npos) {
      found = true;
      EXPECT_EQ(d["severity"], "error");
      EXPECT_TRUE(d.contains("range")) << d.dump();
    }
  EXPECT_TRUE(found) << doc.dump(2);
  EXPECT_EQ(doc["error_count"].get<size_t>() + doc["warning_count"].get<size_t>(), doc["diagnostics"].size());
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
