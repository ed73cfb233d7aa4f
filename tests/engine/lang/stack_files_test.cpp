// A stack directory of many files: stack files merged, duplicates across
// files, stray .yaml files, module sources that are directories, the
// default variable file and validate's unset variables.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "providers/aws/aws_provider.h"
#include "providers/provider.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

class StackFilesTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(tmp_.File(name)).parent_path());
    std::ofstream(tmp_.File(name)) << text;
  }
  Result<Stack> Load(VariableInputs in = {}, LoadMode mode = {}) {
    in.read_environment = in.read_environment && read_env_;
    return LoadStack(tmp_.path(), in, *provider_, diags_, mode);
  }
  bool HasError(const std::string& text) const {
    for (const auto& d : diags_.items())
      if (d.summary.find(text) != std::string::npos) return true;
    return false;
  }

  test::TempDir tmp_{"infra-files"};
  std::unique_ptr<provider::Provider> provider_ = aws::NewAwsProvider({});
  Diagnostics diags_;
  bool read_env_ = false;
};

const char* kHeader = "stack: f\nregions:\n  primary: eu-west-1\n";

TEST_F(StackFilesTest, StackFilesInTheDirectoryAreMerged) {
  Write("stack.yaml", std::string(kHeader) + "variables:\n  cidr: {type: string, default: 10.0.0.0/16}\n");
  Write("network.yaml", "resources:\n  vpc: {type: aws_vpc, cidr_block: \"${var.cidr}\"}\n");
  Write("security.yml", "locals:\n  sg_name: web\nresources:\n  sg: {type: aws_security_group, name: \"${local.sg_name}\", vpc_id: \"${vpc.id}\"}\n");
  Write("outputs.yaml", "outputs:\n  vpc: ${vpc.id}\n");
  auto s = Load();
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  ASSERT_NE(s->Find("aws_vpc.vpc"), nullptr);
  const ResourceInstance* sg = s->Find("aws_security_group.sg");
  ASSERT_NE(sg, nullptr);
  ASSERT_EQ(sg->references.size(), 1u);
  EXPECT_EQ(sg->references[0].address, "aws_vpc.vpc");
  EXPECT_EQ(std::filesystem::path(sg->loc.file).filename(), "security.yml");
  EXPECT_EQ(s->outputs().size(), 1u);
}

TEST_F(StackFilesTest, ADuplicateNameAcrossFilesNamesBothPlaces) {
  Write("stack.yaml", std::string(kHeader) + "resources:\n  vpc: {type: aws_vpc, cidr_block: 10.0.0.0/16}\n");
  Write("more.yaml", "resources:\n  vpc: {type: aws_vpc, cidr_block: 10.1.0.0/16}\n");
  EXPECT_FALSE(Load().ok());
  bool found = false;
  for (const auto& d : diags_.items())
    if (d.summary.find("duplicate resource 'vpc': it is also declared at " + tmp_.File("stack.yaml") + ":5:3") !=
        std::string::npos) {
      found = true;
      EXPECT_EQ(d.loc.file, tmp_.File("more.yaml"));
      EXPECT_EQ(d.loc.line, 2);
    }
  EXPECT_TRUE(found) << diags_.RenderAll();
}

TEST_F(StackFilesTest, AStrayYamlFileIsAnErrorNeverIgnored) {
  Write("stack.yaml", std::string(kHeader) + "resources:\n  vpc: {type: aws_vpc, cidr_block: 10.0.0.0/16}\n");
  Write("docker-compose.yaml", "services:\n  web: {image: nginx}\n");
  Write("orphan.yaml", "inputs:\n  x: {}\n");  // a module file no module uses
  Write("prod.vars.yaml", "anything: 1\n");      // a variable file: only read with -var-file
  EXPECT_FALSE(Load().ok());
  EXPECT_TRUE(HasError("docker-compose.yaml is neither a stack file nor a variable file")) << diags_.RenderAll();
  EXPECT_TRUE(HasError("orphan.yaml is neither a stack file nor a variable file")) << diags_.RenderAll();
  EXPECT_FALSE(HasError("prod.vars.yaml")) << diags_.RenderAll();
}

// A stray file is often a misnamed variable file: its location is given,
// its line (maybe a secret) is not quoted.
TEST_F(StackFilesTest, AStrayYamlFileIsNotQuoted) {
  Write("stack.yaml", std::string(kHeader) + "resources:\n  vpc: {type: aws_vpc, cidr_block: 10.0.0.0/16}\n");
  Write("prod.yaml", "db_password: Hunter2-stray-secret\n");
  EXPECT_FALSE(Load().ok());
  std::string text = diags_.RenderAll();
  EXPECT_TRUE(HasError("prod.yaml is neither a stack file nor a variable file")) << text;
  EXPECT_NE(text.find(tmp_.File("prod.yaml") + ":1:1"), std::string::npos) << text;
  EXPECT_EQ(text.find("Hunter2-stray-secret"), std::string::npos) << text;
}

TEST_F(StackFilesTest, ModuleFilesNextToStackYamlAreModulesNotStackFiles) {
  Write("stack.yaml", std::string(kHeader) + "modules:\n  net: {source: net.yaml, inputs: {cidr: 10.0.0.0/16}}\n");
  Write("net.yaml", "inputs:\n  cidr: {type: string}\nresources:\n  vpc: {type: aws_vpc, cidr_block: \"${var.cidr}\"}\n");
  auto s = Load();
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  EXPECT_NE(s->Find("module.net.aws_vpc.vpc"), nullptr);
  EXPECT_EQ(s->Find("aws_vpc.vpc"), nullptr);
}

TEST_F(StackFilesTest, AModuleSourceMayBeADirectory) {
  Write("stack.yaml", std::string(kHeader) +
                          "modules:\n  net: {source: modules/net, inputs: {cidr: 10.0.0.0/16}}\noutputs:\n  id: ${module.net.vpc_id}\n");
  Write("modules/net/inputs.yaml", "inputs:\n  cidr: {type: string}\n");
  Write("modules/net/main.yaml", "resources:\n  vpc: {type: aws_vpc, cidr_block: \"${var.cidr}\"}\n");
  Write("modules/net/outputs.yaml", "outputs:\n  vpc_id: ${vpc.id}\n");
  auto s = Load();
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  EXPECT_NE(s->Find("module.net.aws_vpc.vpc"), nullptr);
  Write("stack.yaml", std::string(kHeader) + "modules:\n  net: {source: modules/empty}\n");
  std::filesystem::create_directories(tmp_.File("modules/empty"));
  Diagnostics d2;
  EXPECT_FALSE(LoadStack(tmp_.path(), VariableInputs{{}, false}, *provider_, d2).ok());
  EXPECT_NE(d2.RenderAll().find("module source 'modules/empty' is a directory without .yaml files"), std::string::npos)
      << d2.RenderAll();
}

TEST_F(StackFilesTest, TheDefaultVariableFileSitsBetweenEnvironmentAndVarFiles) {
  Write("stack.yaml", std::string(kHeader) + "variables:\n  env: {type: string}\n  size: {type: number, default: 1}\n");
  Write("infra.vars.yaml", "env: staging\nsize: 2\n");
  Write("prod.vars.yaml", "env: prod\n");
  auto s = Load();
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  EXPECT_EQ(s->variables().at("env"), Value::String("staging"));
  EXPECT_EQ(s->variables().at("size"), Value::Number(2));
  VariableInputs in;
  in.AddFile(tmp_.File("prod.vars.yaml"));
  auto p = Load(in);
  ASSERT_TRUE(p.ok()) << diags_.RenderAll();
  EXPECT_EQ(p->variables().at("env"), Value::String("prod"));
  EXPECT_EQ(p->variables().at("size"), Value::Number(2));
  setenv("INFRA_VAR_size", "7", 1);
  read_env_ = true;
  auto e = Load();
  unsetenv("INFRA_VAR_size");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->variables().at("size"), Value::Number(2));  // the file beats the environment
}

TEST_F(StackFilesTest, ValidateModeTreatsUnsetVariablesAsUnknown) {
  Write("stack.yaml", std::string(kHeader) + R"(variables:
  db_password: {type: string, sensitive: true}
  azs: {type: list(string)}
  cidr:
    type: string
    validation: {condition: "${length(var.cidr) > 8}", error_message: too short}
resources:
  vpc: {type: aws_vpc, cidr_block: "${var.cidr}"}
  subnet:
    type: aws_subnet
    for_each: ${toset(var.azs)}
    vpc_id: ${vpc.id}
    cidr_block: ${cidrsubnet(var.cidr, 8, index(var.azs, each.key))}
outputs:
  pw: {value: "${var.db_password}", sensitive: true}
)");
  EXPECT_FALSE(Load().ok());  // plan/apply: every variable needs a value
  EXPECT_TRUE(HasError("variable 'db_password' has no value"));
  Diagnostics d2;
  LoadMode mode;
  mode.unset_as_unknown = true;
  auto s = LoadStack(tmp_.path(), VariableInputs{{}, false}, *provider_, d2, mode);
  ASSERT_TRUE(s.ok()) << d2.RenderAll();
  EXPECT_TRUE(s->variables().at("azs").is_unknown());
  EXPECT_NE(s->Find("aws_vpc.vpc"), nullptr);
}

}  // namespace
}  // namespace infra::engine
