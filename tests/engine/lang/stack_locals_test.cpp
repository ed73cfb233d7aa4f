// locals: and path.* in stacks and modules: values, edges through locals to
// the resources they name, for_each over a local, and cycles among locals.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "providers/aws/aws_provider.h"
#include "providers/provider.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

class StackLocalsTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(tmp_.File(name)).parent_path());
    std::ofstream(tmp_.File(name)) << text;
  }
  Result<Stack> Load() { return LoadStack(tmp_.path(), VariableInputs{{}, false}, *provider_, diags_); }

  test::TempDir tmp_{"infra-locals"};
  std::unique_ptr<provider::Provider> provider_ = aws::NewAwsProvider({});
  Diagnostics diags_;
};

const char* kHeader = "stack: l\nregions:\n  primary: eu-west-1\n";

TEST_F(StackLocalsTest, LocalsFeedAttributesForEachAndEdges) {
  Write("stack.yaml", std::string(kHeader) + R"(variables:
  env: {type: string, default: prod}
locals:
  prefix: app-${var.env}
  names: [web, db]
  tags: {Name: "${local.prefix}", Vpc: "${vpc.id}"}
resources:
  vpc: {type: aws_vpc, cidr_block: 10.0.0.0/16}
  sg:
    type: aws_security_group
    for_each: ${local.names}
    name: ${local.prefix}-${each.key}
    vpc_id: ${vpc.id}
    tags: ${local.tags}
)");
  auto s = Load();
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  const ResourceInstance* web = s->Find("aws_security_group.sg[\"web\"]");
  ASSERT_NE(web, nullptr);
  ASSERT_NE(s->Find("aws_security_group.sg[\"db\"]"), nullptr);
  auto attrs = s->EvaluateAttributes(*web, [](const std::string& a) -> std::optional<Value> {
    if (a == "aws_vpc.vpc") return Value::MakeMap({{"id", Value::String("vpc-1")}});
    return std::nullopt;
  });
  ASSERT_TRUE(attrs.ok()) << attrs.error().message;
  EXPECT_EQ(attrs->at("name"), Value::String("app-prod-web"));
  EXPECT_EQ(attrs->at("tags").AsMap().at("Vpc"), Value::String("vpc-1"));
  // tags: ${local.tags} depends on the VPC through the local.
  bool through_local = false;
  for (const auto& r : web->references)
    through_local |= r.address == "aws_vpc.vpc" && r.loc.line == 16;
  EXPECT_TRUE(through_local);
}

TEST_F(StackLocalsTest, ModuleLocalsAndPaths) {
  Write("stack.yaml", std::string(kHeader) + R"(modules:
  net: {source: mods/net.yaml, inputs: {cidr: 10.1.0.0/16}}
outputs:
  where: ${path.root}
  sub: ${module.net.first}
  dir: ${module.net.dir}
)");
  Write("mods/net.yaml", R"(inputs:
  cidr: {type: string}
locals:
  first: ${cidrsubnet(var.cidr, 8, 0)}
resources:
  vpc: {type: aws_vpc, cidr_block: "${var.cidr}"}
outputs:
  first: ${local.first}
  dir: ${path.module}
)");
  auto s = Load();
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  auto outs = s->EvaluateOutputs(NoResourceValues());
  ASSERT_TRUE(outs.ok()) << outs.error().message;
  EXPECT_EQ(outs->at("sub"), Value::String("10.1.0.0/24"));
  // Relative to the stack directory, as Terraform's: the same in every checkout.
  EXPECT_EQ(outs->at("where"), Value::String("."));
  EXPECT_EQ(outs->at("dir"), Value::String("mods"));
}

TEST_F(StackLocalsTest, PathModuleOfAStackLoadedFromTheWorkingDirectoryIsThatDirectory) {
  // `infra -C .` loads "./stack.yaml" or "stack.yaml": path.module must be
  // ".", never "" (which made "${path.module}/x" "/x").
  Write("stack.yaml", std::string(kHeader) + "outputs:\n  zip: ${path.module}/build/x.zip\n");
  auto old = std::filesystem::current_path();
  std::filesystem::current_path(tmp_.path());
  auto s = LoadStack(".", VariableInputs{{}, false}, *provider_, diags_);
  auto outs = s.ok() ? s->EvaluateOutputs(NoResourceValues()) : Result<std::map<std::string, Value>>(s.error());
  std::filesystem::current_path(old);
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  ASSERT_TRUE(outs.ok()) << outs.error().message;
  EXPECT_EQ(outs->at("zip"), Value::String("./build/x.zip"));
}

TEST_F(StackLocalsTest, CycleAmongLocalsShowsTheWholeLoop) {
  Write("stack.yaml", std::string(kHeader) + R"(locals:
  a: ${local.b}-x
  b: ${local.c}
  c: ${upper(local.a)}
  ok: fine
)");
  auto s = Load();
  EXPECT_FALSE(s.ok());
  bool found = false;
  for (const auto& d : diags_.items()) {
    if (d.summary != "dependency cycle between 3 locals:") continue;
    found = true;
    EXPECT_EQ(d.loc.line, 5);
    EXPECT_EQ(d.loc.column, 8);
    EXPECT_EQ(d.address, "local.a");
    EXPECT_NE(d.detail.find("local.a -> local.b"), std::string::npos) << d.detail;
    EXPECT_NE(d.detail.find("local.b -> local.c"), std::string::npos) << d.detail;
    EXPECT_NE(d.detail.find(":7:"), std::string::npos) << d.detail;  // c -> a, written on line 7
  }
  EXPECT_TRUE(found) << diags_.RenderAll();
}

TEST_F(StackLocalsTest, UndefinedLocalSuggestsTheNearest) {
  Write("stack.yaml", std::string(kHeader) + "locals:\n  prefix: x\noutputs:\n  o: ${local.prefx}\n");
  EXPECT_FALSE(Load().ok());
  EXPECT_NE(diags_.RenderAll().find("undefined local value 'local.prefx'; did you mean 'prefix'?"), std::string::npos)
      << diags_.RenderAll();
}

}  // namespace
}  // namespace infra::engine
