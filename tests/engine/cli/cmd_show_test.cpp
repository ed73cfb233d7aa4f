// `infra show` and `infra console` through the real binary, against a state
// filled with the store API: the state rendered (text and -json) with
// secrets hidden, a saved plan rendered, and console expressions over
// variables and resources, one per stdin line; `output -raw` / `-json`.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>

#include "infra_binary.h"
#include "state/store.h"

namespace infra::cli {
namespace {

using test_support::Has;
using test_support::Infra;

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

class CmdShowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("INFRA_STATE_KEY", kKey, 1);
    std::ofstream(tmp_.File("stack.yaml"))
        << "stack: web\nregions: {primary: eu-west-1}\n"
           "variables:\n  cidr: {type: string, default: 10.0.0.0/16}\n"
           "  pw: {type: string, default: hunter2, sensitive: true}\n"
           "resources:\n  main: {type: aws_vpc, cidr_block: \"${var.cidr}\"}\n"
           "  sub: {type: aws_subnet, count: 2, vpc_id: \"${main.id}\", cidr_block: \"${cidrsubnet(var.cidr, 8, "
           "count.index)}\"}\n";
  }
  void TearDown() override { ::unsetenv("INFRA_STATE_KEY"); }

  void Fill() {
    auto store = state::StateStore::Open(tmp_.File(".infra/web.db"), {.stack = "web"});
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    state::ResourceRecord vpc;
    vpc.address = "aws_vpc.main";
    vpc.type = "aws_vpc";
    vpc.region = "eu-west-1";
    vpc.region_alias = "primary";
    vpc.id = "vpc-1";
    vpc.attributes = {{"id", "vpc-1"}, {"cidr_block", "10.0.0.0/16"}, {"tags", {{"Name", "main"}}},
                      {"secret_note", "Hunter2-secret"}};
    vpc.sensitive_attributes = {"secret_note"};
    ASSERT_TRUE((*store)->PutResource(vpc).ok());
    state::ResourceRecord sub;
    sub.address = "aws_subnet.sub[1]";
    sub.type = "aws_subnet";
    sub.region = "eu-west-1";
    sub.id = "subnet-2";
    sub.attributes = {{"id", "subnet-2"}, {"cidr_block", "10.0.1.0/24"}};
    ASSERT_TRUE((*store)->PutResource(sub).ok());
    ASSERT_TRUE((*store)->ReplaceOutputs({{"url", "http://web", false}, {"db_password", "Hunter2-secret", true}}).ok());
  }

  std::string Dir() const { return " -C " + tmp_.path(); }
  test::TempDir tmp_{"infra-cli-show"};
};

TEST_F(CmdShowTest, ShowsTheStateWithSecretsHidden) {
  auto none = Infra("show" + Dir());
  EXPECT_EQ(none.exit_code, 0) << none.out;
  EXPECT_TRUE(Has(none.out, "No state.")) << none.out;
  Fill();
  auto text = Infra("show" + Dir());
  ASSERT_EQ(text.exit_code, 0) << text.out;
  EXPECT_TRUE(Has(text.out, "# aws_vpc.main:")) << text.out;
  EXPECT_TRUE(Has(text.out, "\"10.0.0.0/16\"")) << text.out;
  EXPECT_TRUE(Has(text.out, "url = \"http://web\"")) << text.out;
  EXPECT_TRUE(Has(text.out, "db_password = (sensitive value)")) << text.out;
  EXPECT_FALSE(Has(text.out, "Hunter2")) << text.out;
  auto json = Infra("show -json" + Dir(), false);
  ASSERT_EQ(json.exit_code, 0) << json.out;
  EXPECT_FALSE(Has(json.out, "Hunter2")) << json.out;
  auto doc = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << json.out;
  EXPECT_EQ(doc["values"]["resources"].size(), 2u);
  EXPECT_EQ(doc["values"]["outputs"]["url"]["value"], "http://web");
  EXPECT_TRUE(doc["values"]["outputs"]["db_password"]["sensitive"].get<bool>());
  EXPECT_TRUE(doc["values"]["resources"][1]["sensitive_values"]["secret_note"].get<bool>()) << doc.dump();
}

TEST_F(CmdShowTest, ShowsASavedPlanAndRefusesNonPlans) {
  ::setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);  // nothing is read: the state is empty
  auto plan = Infra("plan -no-color -out=p.plan" + Dir());
  ::unsetenv("AWS_ENDPOINT_URL");
  ASSERT_EQ(plan.exit_code, 0) << plan.out;
  auto shown = Infra("show -no-color p.plan" + Dir(), false);
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  EXPECT_TRUE(Has(shown.out, "aws_vpc.main")) << shown.out;
  EXPECT_TRUE(Has(plan.out, shown.out.substr(0, shown.out.find('\n')))) << plan.out << "\n---\n" << shown.out;
  auto json = Infra("show -json p.plan" + Dir(), false);
  ASSERT_EQ(json.exit_code, 0) << json.out;
  EXPECT_TRUE(nlohmann::json::parse(json.out, nullptr, false).is_object()) << json.out;
  auto dir = Infra("show " + tmp_.path() + Dir());
  EXPECT_EQ(dir.exit_code, 1);
  EXPECT_TRUE(Has(dir.out, "is a directory")) << dir.out;
  std::ofstream(tmp_.File("junk.plan")) << "not json";
  auto junk = Infra("show junk.plan" + Dir());
  EXPECT_EQ(junk.exit_code, 1);
  EXPECT_TRUE(Has(junk.out, "not a plan file")) << junk.out;
}

// The output flags as Terraform users type them (cmd_output.cpp's plumbing).
TEST_F(CmdShowTest, OutputRawAndJsonWithOneDash) {
  Fill();
  auto raw = Infra("output -raw url" + Dir(), false);
  EXPECT_EQ(raw.exit_code, 0);
  EXPECT_EQ(raw.out, "http://web");  // as is: no quotes, no newline
  auto json = Infra("output -json" + Dir(), false);
  ASSERT_EQ(json.exit_code, 0) << json.out;
  auto doc = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(doc.is_object()) << json.out;
  EXPECT_EQ(doc["url"]["value"], "http://web");
  EXPECT_FALSE(Has(json.out, "Hunter2")) << json.out;
  auto nameless = Infra("output -raw" + Dir());
  EXPECT_EQ(nameless.exit_code, 1);
  EXPECT_TRUE(Has(nameless.out, "-raw needs an output NAME")) << nameless.out;
}

TEST_F(CmdShowTest, ConsoleEvaluatesLinesAgainstVariablesAndState) {
  Fill();
  auto r = Infra("console" + Dir(), false,
                 "var.cidr\n"
                 "cidrsubnet(var.cidr, 8, 3)\n"
                 "aws_vpc.main.id\n"
                 "main.tags.Name\n"
                 "aws_subnet.sub[1].cidr_block\n"
                 "var.pw\n"
                 "aws_vpc.main.secret_note\n"
                 "\"${aws_vpc.main.id}-x\"\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out,
            "\"10.0.0.0/16\"\n\"10.0.3.0/24\"\n\"vpc-1\"\n\"main\"\n\"10.0.1.0/24\"\n(sensitive value)\n"
            "(sensitive value)\n\"vpc-1-x\"\n");
  auto bad = Infra("console" + Dir(), true, "var.cidrr\naws_subnet.sub[0].id\nnope.x\n1 +\nvar.cidr\n");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(Has(bad.out, "undefined variable 'cidrr'; did you mean 'cidr'?")) << bad.out;
  EXPECT_TRUE(Has(bad.out, "not in state")) << bad.out;
  EXPECT_TRUE(Has(bad.out, "unknown name 'nope'")) << bad.out;
  EXPECT_TRUE(Has(bad.out, "\"10.0.0.0/16\"")) << bad.out;  // later lines still run
}

// Issue 10 (Terraform habits, console): locals, region, a whole counted
// resource (list of its instances in state, splats over it) and, with
// --instance, one instance's count.index and region.
TEST_F(CmdShowTest, ConsoleSeesLocalsWholeResourcesAndOneInstancesCountIndex) {
  std::ofstream(tmp_.File("stack.yaml"), std::ios::app) << "locals:\n  label: \"net-${var.cidr}\"\n";
  Fill();
  {
    auto store = state::StateStore::Open(tmp_.File(".infra/web.db"), {.create = false});
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    state::ResourceRecord sub;
    sub.address = "aws_subnet.sub[0]";
    sub.type = "aws_subnet";
    sub.region = "eu-west-1";
    sub.id = "subnet-1";
    sub.attributes = {{"id", "subnet-1"}, {"cidr_block", "10.0.0.0/24"}};
    ASSERT_TRUE((*store)->PutResource(sub).ok());
  }
  auto r = Infra("console" + Dir(), false,
                 "local.label\n"
                 "region\n"
                 "length(sub)\n"
                 "aws_subnet.sub[*].id\n"
                 "[for s in sub : s.cidr_block]\n"
                 "aws_subnet.sub[1].id\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out,
            "\"net-10.0.0.0/16\"\n\"eu-west-1\"\n2\n[\"subnet-1\", \"subnet-2\"]\n"
            "[\"10.0.0.0/24\", \"10.0.1.0/24\"]\n\"subnet-2\"\n");
  auto one = Infra("console --instance 'aws_subnet.sub[1]'" + Dir(), false,
                   "count.index\ncidrsubnet(var.cidr, 8, count.index)\nregion\n");
  EXPECT_EQ(one.exit_code, 0) << one.out;
  EXPECT_EQ(one.out, "1\n\"10.0.1.0/24\"\n\"eu-west-1\"\n");
  auto root = Infra("console" + Dir(), true, "count.index\n");
  EXPECT_EQ(root.exit_code, 1);
  EXPECT_TRUE(Has(root.out, "--instance ADDRESS")) << root.out;
  auto wrong = Infra("console --instance aws_subnet.nope" + Dir(), true, "1\n");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_TRUE(Has(wrong.out, "not a resource instance")) << wrong.out;
}

}  // namespace
}  // namespace infra::cli
