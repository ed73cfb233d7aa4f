// The plan as Markdown (engine/cli/plan_markdown.h) against a golden file
// (tests/data/plan/mixed.md; INFRA_UPDATE_GOLDEN=1 rewrites it): the
// per-region table, one <details> per change, secrets hidden however deep,
// a fence no value can close, and a 2,000-change plan cut to GitHub's
// comment limit with a note.
#include "engine/cli/plan_markdown.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "test_paths.h"

namespace infra::cli {
namespace {

using engine::Action;
using engine::ResourceChange;
using engine::Value;

Value S(const std::string& s) { return Value::String(s); }

std::string Golden(const std::string& name, const std::string& actual) {
  std::string path = test::DataDir() + "/plan/" + name;
  if (std::getenv("INFRA_UPDATE_GOLDEN")) std::ofstream(path) << actual;
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

ResourceChange Change(std::string address, std::string type, Action action, std::string alias, std::string region) {
  ResourceChange c;
  c.address = std::move(address);
  c.type = std::move(type);
  c.action = action;
  c.region_alias = std::move(alias);
  c.region = std::move(region);
  return c;
}

// Two regions, every kind of change, secrets nested in a map and in a list
// of maps, backticks in a value, an output change.
engine::Plan MixedPlan() {
  engine::Plan p;
  p.stack = "lamp-dr";
  p.regions = {"primary", "dr"};
  auto vpc = Change("module.net.aws_vpc.main", "aws_vpc", Action::kCreate, "primary", "eu-central-1");
  vpc.after = {{"cidr_block", S("10.0.0.0/16")},
               {"id", Value::Unknown()},
               {"tags", Value::MakeMap({{"Name", S("main")}, {"Token", S("nested-secret-1").WithSensitive()}})}};
  auto task = Change("aws_ecs_task_definition.app", "aws_ecs_task_definition", Action::kUpdate, "primary",
                     "eu-central-1");
  task.id = "app:3";
  Value env_old = Value::MakeList({Value::MakeMap({{"name", S("DB_PASSWORD")}, {"value", S("nested-secret-2").WithSensitive()}})});
  Value env_new = Value::MakeList({Value::MakeMap({{"name", S("DB_PASSWORD")}, {"value", S("nested-secret-3").WithSensitive()}})});
  task.before = {{"id", S("app:3")}, {"environment", env_old}, {"description", S("run ```rm -rf``` never")}};
  task.after = {{"id", S("app:3")}, {"environment", env_new}, {"description", S("run ```` quoted ```` <b>now</b>")}};
  auto subnet = Change("aws_subnet.public[\"a\"]", "aws_subnet", Action::kDeleteThenCreate, "dr", "eu-west-1");
  subnet.reason = engine::ActionReason::kReplaceBecauseCannotUpdate;
  subnet.replace_paths = {"cidr_block"};
  subnet.id = "subnet-1";
  subnet.before = {{"id", S("subnet-1")}, {"cidr_block", S("10.1.1.0/24")}};
  subnet.after = {{"id", Value::Unknown()}, {"cidr_block", S("10.1.9.0/24")}};
  auto eip = Change("aws_eip.old", "aws_eip", Action::kDelete, "dr", "eu-west-1");
  eip.reason = engine::ActionReason::kDeleteBecauseNoConfig;
  eip.id = "eipalloc-1";
  eip.before = {{"id", S("eipalloc-1")}, {"domain", S("vpc")}};
  auto same = Change("aws_vpc.same", "aws_vpc", Action::kNoOp, "dr", "eu-west-1");
  same.before = same.after = {{"id", S("vpc-2")}};
  p.changes = {vpc, task, subnet, eip, same};
  p.output_changes = {{"url", Action::kCreate, Value(), Value::Unknown(), false},
                      {"db_password", Action::kUpdate, S("nested-secret-4"), S("nested-secret-5"), true}};
  return p;
}

TEST(PlanMarkdownTest, MixedPlanMatchesGolden) {
  std::string md = RenderPlanMarkdown(MixedPlan());
  EXPECT_EQ(md, Golden("mixed.md", md));
  EXPECT_NE(md.find("| primary (eu-central-1) | 1 | 1 | 0 | 0 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| dr (eu-west-1) | 0 | 0 | 1 | 1 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| **total** | **1** | **1** | **1** | **1** |"), std::string::npos) << md;
  EXPECT_EQ(md.find("nested-secret"), std::string::npos) << "a sensitive value reached the Markdown";
  EXPECT_EQ(md.find("aws_vpc.same"), std::string::npos) << "no-ops are not listed";
}

// The fence around each change is longer than any backtick run inside,
// so a value cannot end the code block and inject Markdown.
TEST(PlanMarkdownTest, AValueCannotCloseTheCodeBlock) {
  std::string md = RenderPlanMarkdown(MixedPlan());
  auto task = md.find("aws_ecs_task_definition.app");
  ASSERT_NE(task, std::string::npos);
  auto open = md.find("`````diff\n", task);
  ASSERT_NE(open, std::string::npos) << md;
  auto close = md.find("\n`````\n", open);
  ASSERT_NE(close, std::string::npos);
  EXPECT_LT(md.find("```` quoted ````", open), close);
}

TEST(PlanMarkdownTest, TwoThousandChangesStayUnderTheCommentLimit) {
  engine::Plan p;
  p.stack = "big";
  p.regions = {"primary"};
  for (int i = 0; i < 2000; ++i) {
    auto c = Change("aws_security_group_rule.r[" + std::to_string(i) + "]", "aws_security_group_rule",
                    Action::kCreate, "primary", "eu-central-1");
    c.after = {{"cidr_blocks", Value::MakeList({S("10.0.0.0/8")})},
               {"description", S("rule number " + std::to_string(i) + " of the generated stack")},
               {"from_port", Value::Number(443)},
               {"secret", Value::MakeMap({{"inner", S("nested-secret-big").WithSensitive()}})},
               {"id", Value::Unknown()}};
    p.changes.push_back(c);
  }
  std::string md = RenderPlanMarkdown(p);
  EXPECT_LE(md.size(), kGitHubCommentLimit);
  EXPECT_LE(md.size(), MarkdownOptions{}.max_bytes);
  EXPECT_GT(md.size(), kGitHubCommentLimit / 2) << "as much as fits is shown";
  EXPECT_NE(md.find("| primary (eu-central-1) | 2000 | 0 | 0 | 0 |"), std::string::npos);
  EXPECT_NE(md.find("sections are not shown: GitHub limits a comment to 65,536 characters"), std::string::npos);
  EXPECT_NE(md.find("The full plan is in the workflow run's artifacts"), std::string::npos);
  EXPECT_EQ(md.find("nested-secret"), std::string::npos);
  EXPECT_NE(md.find("aws_security_group_rule.r[0]"), std::string::npos);
  EXPECT_EQ(md.find("aws_security_group_rule.r[1999]"), std::string::npos);
  // Every <details> opened is closed: the cut falls between sections.
  size_t opened = 0, closed = 0;
  for (size_t at = 0; (at = md.find("<details>", at)) != std::string::npos; ++at) ++opened;
  for (size_t at = 0; (at = md.find("</details>", at)) != std::string::npos; ++at) ++closed;
  EXPECT_EQ(opened, closed);
  EXPECT_GT(opened, 10u);
}

TEST(PlanMarkdownTest, NoChangesHasNoTable) {
  engine::Plan p;
  p.stack = "quiet";
  auto same = Change("aws_vpc.same", "aws_vpc", Action::kNoOp, "primary", "eu-central-1");
  p.changes = {same};
  EXPECT_EQ(RenderPlanMarkdown(p),
            "### infra plan: `quiet`\n\n**No changes. Your infrastructure matches the configuration.**\n\n");
}

}  // namespace
}  // namespace infra::cli
