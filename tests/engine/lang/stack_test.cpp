// LoadStack on tests/data/stacks/basic: expansion, addresses, regions,
// references through modules, variables precedence, evaluation.
#include "providers/aws/aws_provider.h"
#include "engine/lang/stack.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "engine/lang/diag.h"
#include "providers/provider.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::engine {
namespace {

class StackTest : public ::testing::Test {
 protected:
  Result<Stack> Load(VariableInputs inputs = {}) {
    inputs.read_environment = false;
    return LoadStack(test::DataDir() + "/stacks/basic", inputs, *provider_, diags_);
  }
  std::unique_ptr<provider::Provider> provider_ = aws::NewAwsProvider({});
  Diagnostics diags_;
};

TEST_F(StackTest, ModuleFilesReadInParallelReportInDeclarationOrderWithSourceLines) {
  // Child module files are read ahead on all cores; errors must still come
  // out in declaration order, each with its own file's source line.
  test::TempDir tmp("infra-stack-modules");
  std::string root = "stack: m\nregions:\n  primary: eu-west-1\nmodules:\n";
  for (int i = 0; i < 8; ++i) {
    root += "  m" + std::to_string(i) + ": {source: ./m" + std::to_string(i) + ".yaml, region: primary}\n";
    std::string body = "resources:\n  vpc:\n    type: aws_vpc\n    cidr_block: 10.0.0.0/16\n";
    if (i % 3 == 1) body += "    bogus_attribute_" + std::to_string(i) + ": 1\n";
    if (i == 2) body = "resources:\n\tvpc_with_a_tab: 1\n";
    if (i == 5) body = "resources:\n  vpc: [unclosed\n";
    std::ofstream(tmp.File("m" + std::to_string(i) + ".yaml")) << body;
  }
  std::ofstream(tmp.File("stack.yaml")) << root;
  Diagnostics diags;
  auto s = LoadStack(tmp.path(), VariableInputs{{}, false}, *provider_, diags);
  EXPECT_FALSE(s.ok());
  std::vector<std::string> files;
  for (const auto& d : diags.items())
    if (d.severity == Severity::kError) files.push_back(std::filesystem::path(d.loc.file).filename().string());
  // YAML errors while reading (m2, m5), then schema errors while validating.
  EXPECT_EQ(files, (std::vector<std::string>{"m2.yaml", "m5.yaml", "m1.yaml", "m4.yaml", "m7.yaml"}))
      << diags.RenderAll();
  std::string rendered = diags.RenderAll();
  EXPECT_NE(rendered.find("bogus_attribute_4: 1"), std::string::npos) << rendered;  // m4's own line quoted
  EXPECT_NE(rendered.find("vpc_with_a_tab: 1"), std::string::npos) << rendered;   // m2's, read on another thread
}

TEST_F(StackTest, ExpandsResourcesModulesForEachAndCount) {
  auto s = Load();
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  std::vector<std::string> addrs;
  for (const auto& r : s->resources()) addrs.push_back(r.address);
  std::vector<std::string> want = {
      "aws_vpc.vpc", "aws_subnet.subnet[\"a\"]", "aws_subnet.subnet[\"b\"]", "aws_internet_gateway.gw",
      "aws_vpc_peering_connection.peer", "module.net_dr.aws_vpc.vpc", "module.net_dr.aws_subnet.subnet[0]",
      "module.net_dr.aws_subnet.subnet[1]"};
  EXPECT_EQ(addrs, want);
  EXPECT_EQ(s->name(), "basic");
  ASSERT_EQ(s->regions().size(), 2u);
  EXPECT_EQ(s->regions()[1].alias, "dr");
  const ResourceInstance* sub = s->Find("module.net_dr.aws_subnet.subnet[1]");
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(sub->region, "eu-west-1");
  EXPECT_EQ(sub->region_alias, "dr");
  EXPECT_EQ(sub->module_path, "module.net_dr");
  EXPECT_EQ(s->Find("aws_vpc.vpc")->region, "eu-central-1");
}

TEST_F(StackTest, ReferencesFollowModuleOutputsAndDependsOn) {
  auto s = Load();
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  const ResourceInstance* peer = s->Find("aws_vpc_peering_connection.peer");
  ASSERT_NE(peer, nullptr);
  ASSERT_EQ(peer->references.size(), 2u);
  EXPECT_EQ(peer->references[0].address, "aws_vpc.vpc");
  EXPECT_EQ(peer->references[0].attribute, "id");
  EXPECT_EQ(peer->references[1].address, "module.net_dr.aws_vpc.vpc");
  EXPECT_EQ(peer->references[1].loc.line, 42);
  const ResourceInstance* gw = s->Find("aws_internet_gateway.gw");
  EXPECT_EQ(gw->depends_on, (std::vector<std::string>{"aws_subnet.subnet[\"a\"]", "aws_subnet.subnet[\"b\"]"}));
  ASSERT_EQ(gw->depends_on_locs.size(), 2u);
  EXPECT_EQ(gw->depends_on_locs[0].line, 37);
  EXPECT_TRUE(gw->lifecycle.prevent_destroy);
  EXPECT_EQ(gw->lifecycle.ignore_changes, std::vector<std::string>{"tags"});
}

TEST_F(StackTest, EvaluatesAttributesWithKnownAndUnknownValues) {
  auto s = Load();
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  const ResourceInstance* sub = s->Find("aws_subnet.subnet[\"b\"]");
  auto none = s->EvaluateAttributes(*sub, NoResourceValues());
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_TRUE(none->at("vpc_id").is_unknown());
  EXPECT_EQ(none->at("cidr_block").AsString(), "10.0.2.0/24");
  EXPECT_EQ(none->at("availability_zone").AsString(), "eu-central-1b");
  ResourceValues known = [](const std::string& a) -> std::optional<Value> {
    if (a == "aws_vpc.vpc") return Value::MakeMap({{"id", Value::String("vpc-123")}});
    return std::nullopt;
  };
  auto some = s->EvaluateAttributes(*sub, known);
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->at("vpc_id").AsString(), "vpc-123");
  // Inside the module: var.cidr is the module input, count.index the instance.
  auto m = s->EvaluateAttributes(*s->Find("module.net_dr.aws_subnet.subnet[1]"), known);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->at("cidr_block").AsString(), "10.1.1.0/24");
  EXPECT_TRUE(m->at("vpc_id").is_unknown());
}

TEST_F(StackTest, OutputsAndSensitiveValues) {
  auto s = Load();
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  ASSERT_EQ(s->outputs().size(), 3u);
  EXPECT_TRUE(s->outputs()[2].sensitive);
  EXPECT_EQ(s->outputs()[1].description, "the subnets");
  auto out = s->EvaluateOutputs([](const std::string& a) -> std::optional<Value> {
    return Value::MakeMap({{"id", Value::String("id-of-" + a)}});
  });
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->at("vpc_id").AsString(), "id-of-aws_vpc.vpc");
  EXPECT_TRUE(out->at("secret").sensitive());
  EXPECT_EQ(s->SensitiveStrings(), std::vector<std::string>{"s3cret"});
}

TEST_F(StackTest, VariablePrecedenceDefaultsEnvFileCli) {
  test::TempDir tmp("infra-stack-test");
  std::string file = tmp.File("vars.yaml");
  std::ofstream(file) << "replicas: 3\ncidr: 10.9.0.0/16\n";
  VariableInputs in;
  in.AddFile(file);
  auto s = Load(in);
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  EXPECT_EQ(s->variables().at("replicas").AsNumber(), 3);
  in.AddVar("replicas", "4");
  auto s2 = Load(in);
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(s2->variables().at("replicas").AsNumber(), 4);
  EXPECT_EQ(s2->variables().at("cidr").AsString(), "10.9.0.0/16");
  setenv("INFRA_VAR_replicas", "5", 1);
  VariableInputs env_in;
  env_in.AddFile(file);
  auto s3 = LoadStack(test::DataDir() + "/stacks/basic", env_in, *provider_, diags_);
  VariableInputs env_only;
  auto s4 = LoadStack(test::DataDir() + "/stacks/basic", env_only, *provider_, diags_);
  unsetenv("INFRA_VAR_replicas");
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->variables().at("replicas").AsNumber(), 3);  // as Terraform: a variable file beats the environment
  ASSERT_TRUE(s4.ok());
  EXPECT_EQ(s4->variables().at("replicas").AsNumber(), 5);  // the environment beats the default
}

TEST_F(StackTest, FailedValidationNamesVariableAndMessage) {
  VariableInputs in;
  in.AddVar("replicas", "12");
  auto s = Load(in);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(diags_.RenderAll().find("replicas must be between 0 and 9"), std::string::npos) << diags_.RenderAll();
}

TEST_F(StackTest, NestedModulesWithForEachAndCount) {
  auto s = LoadStack(test::DataDir() + "/stacks/nested", VariableInputs{{}, false}, *provider_, diags_);
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  ASSERT_EQ(s->resources().size(), 5u);
  const ResourceInstance* v = s->Find("module.env[\"prod\"].module.net[1].aws_vpc.vpc");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->module_path, "module.env[\"prod\"].module.net[1]");
  EXPECT_EQ(v->region, "eu-west-1");  // inherited from the outer module call
  auto attrs = s->EvaluateAttributes(*v, NoResourceValues());
  ASSERT_TRUE(attrs.ok()) << attrs.error().message;
  EXPECT_EQ(attrs->at("cidr_block").AsString(), "10.0.16.0/20");
  const ResourceInstance* sg = s->Find("aws_security_group.sg");
  EXPECT_EQ(sg->depends_on.size(), 4u);  // depends_on: [module.env] = every resource inside
  auto out = s->EvaluateOutputs([](const std::string& a) -> std::optional<Value> {
    return Value::MakeMap({{"id", Value::String(a)}});
  });
  ASSERT_TRUE(out.ok()) << out.error().message;
  const Value& all = out->at("all");
  EXPECT_EQ(all.AsMap().at("dev").AsMap().at("vpc_id").AsString(), "module.env[\"dev\"].module.net[0].aws_vpc.vpc");
  EXPECT_EQ(all.AsMap().at("dev").AsMap().at("region_seen").AsString(), "eu-west-1");
}

TEST_F(StackTest, TimeoutsReachEveryInstanceOfTheResource) {
  test::TempDir tmp("infra-stack-timeouts");
  std::ofstream(tmp.File("stack.yaml")) << "stack: t\nregions:\n  primary: eu-west-1\nresources:\n"
                                           "  vpc:\n    type: aws_vpc\n    count: 2\n    cidr_block: 10.0.0.0/16\n"
                                           "    timeouts:\n      create: 45m\n      delete: 1h30m\n";
  Diagnostics diags;
  auto s = LoadStack(tmp.path(), VariableInputs{{}, false}, *provider_, diags);
  ASSERT_TRUE(s.ok()) << diags.RenderAll();
  for (const char* address : {"aws_vpc.vpc[0]", "aws_vpc.vpc[1]"}) {
    const ResourceInstance* v = s->Find(address);
    ASSERT_NE(v, nullptr) << address;
    EXPECT_EQ(v->timeouts.create, std::chrono::minutes(45));
    EXPECT_EQ(v->timeouts.update, std::chrono::seconds(0));  // the type's default
    EXPECT_EQ(v->timeouts.destroy, std::chrono::minutes(90));
  }
}

}  // namespace
}  // namespace infra::engine
