// default_tags: merged into every taggable resource's tags (the resource's
// own win), from variables too; not given to data sources or types
// without tags; tag keys starting with infra: or aws: are refused.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/cli/providers.h"
#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

class DefaultTagsTest : public ::testing::Test {
 protected:
  Result<Stack> Load(const std::string& body) {
    std::ofstream(tmp_.File("stack.yaml")) << body;
    return LoadStack(tmp_.path(), VariableInputs{{}, false}, *provider_, diags_);
  }
  Value::Map Attrs(const Stack& s, const std::string& address) {
    auto v = s.EvaluateAttributes(*s.Find(address), NoResourceValues());
    EXPECT_TRUE(v.ok()) << v.error().message;
    return v.ok() ? *v : Value::Map{};
  }
  test::TempDir tmp_{"infra-default-tags"};
  std::unique_ptr<provider::Provider> provider_ = NewProviders({});
  Diagnostics diags_;
};

TEST_F(DefaultTagsTest, MergedUnderTheResourcesOwnTags) {
  auto s = Load(R"(stack: t
regions:
  primary: eu-west-1
default_tags:
  Team: web
  Env: ${var.env}
variables:
  env: {type: string, default: prod}
data:
  azs: {type: aws_availability_zones}
resources:
  vpc: {type: aws_vpc, cidr_block: 10.0.0.0/16, tags: {Name: main, Team: db}}
  bare: {type: aws_vpc, cidr_block: 10.1.0.0/16}
  pw: {type: random_password, length: 8}
)");
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  auto tags = Attrs(*s, "aws_vpc.vpc").at("tags").AsMap();
  EXPECT_EQ(tags.at("Name").AsString(), "main");
  EXPECT_EQ(tags.at("Team").AsString(), "db");  // the resource's own value wins
  EXPECT_EQ(tags.at("Env").AsString(), "prod");
  auto bare = Attrs(*s, "aws_vpc.bare").at("tags").AsMap();
  EXPECT_EQ(bare.size(), 2u);
  EXPECT_EQ(bare.at("Team").AsString(), "web");
  EXPECT_EQ(Attrs(*s, "data.aws_availability_zones.azs").count("tags"), 0u);
  EXPECT_EQ(Attrs(*s, "random_password.pw").count("tags"), 0u);
}

TEST_F(DefaultTagsTest, ReservedTagKeysAreRefused) {
  auto s = Load(R"(stack: t
regions:
  primary: eu-west-1
resources:
  vpc: {type: aws_vpc, cidr_block: 10.0.0.0/16, tags: {"infra:address": x}}
  sg: {type: aws_security_group, name: a, vpc_id: "${vpc.id}", tags: {"aws:cloudformation:stack-name": y}}
)");
  EXPECT_FALSE(s.ok());
  std::string text = diags_.RenderAll();
  EXPECT_NE(text.find("stack.yaml:5:55: aws_vpc.vpc: tag key 'infra:address' is reserved"), std::string::npos) << text;
  EXPECT_NE(text.find("aws_security_group.sg: tag key 'aws:cloudformation:stack-name' is reserved"),
            std::string::npos) << text;
}

}  // namespace
}  // namespace infra::engine
