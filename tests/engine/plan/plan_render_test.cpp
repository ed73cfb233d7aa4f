// Plan rendering against golden files in tests/data/plan/. Set
// INFRA_UPDATE_GOLDEN=1 to rewrite them after an intended change (and
// review the diff).
#include "engine/plan/plan_render.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "test_paths.h"

namespace infra::engine {
namespace {

Value S(const std::string& s) { return Value::String(s); }

std::string Golden(const std::string& name, const std::string& actual) {
  std::string path = test::DataDir() + "/plan/" + name;
  if (std::getenv("INFRA_UPDATE_GOLDEN")) {
    std::ofstream(path) << actual;
    return actual;
  }
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// One change of every kind, drift, unknowns and a secret.
Plan MixedPlan() {
  Plan p;
  p.stack = "demo";
  p.regions = {"primary", "dr"};
  ResourceChange vpc;
  vpc.address = "module.net.aws_vpc.main";
  vpc.type = "aws_vpc";
  vpc.action = Action::kCreate;
  vpc.after = {{"cidr_block", S("10.0.0.0/16")},
               {"enable_dns_support", Value::Bool(true)},
               {"id", Value::Unknown()},
               {"tags", Value::MakeMap({{"Name", S("main")}})}};
  ResourceChange sg;
  sg.address = "aws_security_group.app";
  sg.type = "aws_security_group";
  sg.action = Action::kUpdate;
  sg.id = "sg-1";
  sg.before = {{"id", S("sg-1")}, {"description", S("app")}, {"tags", Value::MakeMap({{"env", S("dev")}})}};
  sg.after = {{"id", S("sg-1")}, {"description", S("app")}, {"tags", Value::MakeMap({{"env", S("prod")}})}};
  ResourceChange subnet;
  subnet.address = "aws_subnet.public[\"a\"]";
  subnet.type = "aws_subnet";
  subnet.action = Action::kDeleteThenCreate;
  subnet.reason = ActionReason::kReplaceBecauseCannotUpdate;
  subnet.replace_paths = {"cidr_block"};
  subnet.id = "subnet-1";
  subnet.before = {{"id", S("subnet-1")}, {"cidr_block", S("10.0.1.0/24")}, {"vpc_id", S("vpc-1")}};
  subnet.after = {{"id", Value::Unknown()}, {"cidr_block", S("10.0.9.0/24")}, {"vpc_id", S("vpc-1")}};
  ResourceChange db;
  db.address = "aws_db.main";
  db.type = "aws_db";
  db.action = Action::kUpdate;
  db.id = "db-1";
  db.before = {{"id", S("db-1")}, {"password", S("old-secret").WithSensitive()}};
  db.after = {{"id", S("db-1")}, {"password", S("new-secret").WithSensitive()}};
  ResourceChange old;
  old.address = "aws_eip.old";
  old.type = "aws_eip";
  old.action = Action::kDelete;
  old.reason = ActionReason::kDeleteBecauseNoConfig;
  old.id = "eipalloc-1";
  old.before = {{"id", S("eipalloc-1")}, {"domain", S("vpc")}};
  ResourceChange route;
  route.address = "aws_route.internet";
  route.type = "aws_route";
  route.action = Action::kCreate;
  route.reason = ActionReason::kCreateBecauseDeletedOutside;
  route.after = {{"destination_cidr_block", S("0.0.0.0/0")}, {"gateway_id", S("igw-1")}, {"id", Value::Unknown()}};
  route.drift = Drift{true, {{"id", S("r-1")}}, {}, {}};
  route.id = "r-1";
  ResourceChange same;
  same.address = "aws_vpc.same";
  same.type = "aws_vpc";
  same.action = Action::kNoOp;
  same.before = same.after = {{"id", S("vpc-2")}, {"enable_dns_hostnames", Value::Bool(true)}};
  same.drift = Drift{false, {{"enable_dns_hostnames", Value::Bool(false)}}, {{"enable_dns_hostnames", Value::Bool(true)}},
                     {"enable_dns_hostnames"}};
  p.changes = {vpc, sg, subnet, db, old, route, same};
  return p;
}

TEST(PlanRenderTest, MixedPlanMatchesGolden) {
  std::string out = RenderPlan(MixedPlan(), {false});
  EXPECT_EQ(out, Golden("mixed.txt", out));
  EXPECT_NE(out.find("Plan: 3 to add, 2 to change, 2 to destroy."), std::string::npos);
  EXPECT_EQ(out.find("secret"), std::string::npos) << "a sensitive value reached the output";
  EXPECT_EQ(out.find("\x1b["), std::string::npos) << "colour without a terminal";
}

TEST(PlanRenderTest, ColorOnlyWhenAsked) {
  std::string out = RenderPlan(MixedPlan(), {true});
  EXPECT_EQ(out, Golden("mixed_color.txt", out));
  EXPECT_NE(out.find("\x1b[32m+\x1b[0m"), std::string::npos);
}

TEST(PlanRenderTest, NoChanges) {
  Plan p;
  ResourceChange same;
  same.address = "aws_vpc.same";
  same.type = "aws_vpc";
  p.changes = {same};
  EXPECT_EQ(RenderPlan(p, {false}), "No changes. Your infrastructure matches the configuration.\n");
}

TEST(PlanRenderTest, RefreshOnlySummary) {
  Plan p = MixedPlan();
  p.mode = PlanMode::kRefreshOnly;
  for (auto& c : p.changes) c.action = c.drift ? Action::kRead : Action::kNoOp;
  std::string out = RenderPlan(p, {false});
  EXPECT_EQ(out, Golden("refresh_only.txt", out));
  EXPECT_NE(out.find("update the state to match 2 objects"), std::string::npos);
}

// Issue 10, "Plan readability" and item 3: maps one key per line with
// per-key markers, lists one element per line, the attribute forcing a
// replacement named whatever its marker, an attribute going to null shown,
// and a secret hidden on both sides (also the old value of an attribute
// that only now became secret, and in destroy plans).
Plan ReadabilityPlan() {
  Plan p;
  ResourceChange sg;
  sg.address = "aws_security_group.web";
  sg.type = "aws_security_group";
  sg.action = Action::kUpdate;
  sg.id = "sg-1";
  Value::Map tags_before, tags_after;
  for (int i = 0; i < 40; ++i) {
    std::string k = "Key" + std::to_string(100 + i);
    tags_before[k] = tags_after[k] = S("value-" + std::to_string(i));
  }
  tags_before["Name"] = S("a");
  tags_after["Name"] = S("b");
  tags_after["Added"] = S("new");
  tags_before["Gone"] = S("old");
  tags_after["Secret"] = S("hunter2-tag").WithSensitive();
  sg.before = {{"id", S("sg-1")},
               {"description", S("pw is hunter2")},
               {"name", S("web")},
               {"revoke_rules_on_delete", Value::Bool(true)},
               {"cidrs", Value::MakeList({S("10.0.0.0/16"), S("10.1.0.0/16"), S("10.2.0.0/16")})},
               {"tags", Value::MakeMap(tags_before)}};
  sg.after = {{"id", S("sg-1")},
              {"description", S("pw is hunter3").WithSensitive()},
              {"name", S("web")},
              {"cidrs", Value::MakeList({S("10.0.0.0/16"), S("10.9.0.0/16"), S("10.2.0.0/16"), S("10.3.0.0/16")})},
              {"tags", Value::MakeMap(tags_after)}};
  ResourceChange subnet;
  subnet.address = "aws_subnet.a";
  subnet.type = "aws_subnet";
  subnet.action = Action::kDeleteThenCreate;
  subnet.reason = ActionReason::kReplaceBecauseCannotUpdate;
  subnet.replace_paths = {"availability_zone", "tags"};
  subnet.id = "subnet-1";
  subnet.before = {{"id", S("subnet-1")},
                   {"availability_zone", S("eu-central-1a")},
                   {"cidr_block", S("10.0.1.0/24")},
                   {"tags", Value::MakeMap({{"Name", S("a")}, {"Tier", S("web")}})}};
  subnet.after = {{"id", Value::Unknown()},
                  {"cidr_block", S("10.0.1.0/24")},
                  {"tags", Value::MakeMap({{"Name", S("a")}, {"Tier", S("app")}})}};
  ResourceChange db;
  db.address = "aws_db.main";
  db.type = "aws_db";
  db.action = Action::kDelete;
  db.reason = ActionReason::kDeleteBecauseDestroy;
  db.id = "db-1";
  db.before = {{"id", S("db-1")},
               {"description", S("pw is hunter2").WithSensitive()},
               {"tags", Value::MakeMap({{"Owner", S("ops")}, {"Secret", S("hunter2-tag").WithSensitive()}})}};
  p.changes = {sg, subnet, db};
  return p;
}

TEST(PlanRenderTest, ReadablePlanMatchesGolden) {
  std::string out = RenderPlan(ReadabilityPlan(), {false});
  EXPECT_EQ(out, Golden("readability.txt", out));
  EXPECT_EQ(out.find("hunter"), std::string::npos) << "a secret (old or new) reached the output";
  EXPECT_NE(out.find("          ~ \"Name\"   = \"a\" -> \"b\"\n"), std::string::npos) << out;
  EXPECT_NE(out.find("# (40 unchanged elements hidden)"), std::string::npos) << out;
  EXPECT_NE(out.find("- revoke_rules_on_delete = true -> null"), std::string::npos) << out;
  EXPECT_NE(out.find("- availability_zone = \"eu-central-1a\" -> null # forces replacement"), std::string::npos)
      << out;
  EXPECT_NE(out.find("~ tags              = { # forces replacement"), std::string::npos) << out;
  EXPECT_NE(out.find("~ description            = (sensitive value) -> (sensitive value)"), std::string::npos) << out;
  EXPECT_EQ(out.find("(sensitive)"), std::string::npos) << "one spelling: (sensitive value)";
  size_t longest = 0;
  std::stringstream lines(out);
  for (std::string l; std::getline(lines, l);) longest = std::max(longest, l.size());
  EXPECT_LT(longest, 100u) << "a map or list folded into one long line";
}

// A replica whose source is removed is promoted, and the headline says so
// (issue 15); another update keeps the plain headline.
TEST(PlanRenderTest, ARemovedReplicaSourceSaysPromoted) {
  Plan p;
  ResourceChange cluster;
  cluster.address = "aws_rds_cluster.dr";
  cluster.type = "aws_rds_cluster";
  cluster.action = Action::kUpdate;
  cluster.before = {{"id", S("dr")}, {"replication_source_identifier", S("arn:aws:rds:eu-central-1:1:cluster:p")}};
  cluster.after = {{"id", S("dr")}};
  ResourceChange instance = cluster;
  instance.address = "aws_db_instance.dr";
  instance.type = "aws_db_instance";
  instance.before = {{"id", S("dr")}, {"replicate_source_db", S("arn:aws:rds:eu-central-1:1:db:p")}};
  ResourceChange resized = cluster;
  resized.address = "aws_rds_cluster.other";
  resized.before = {{"id", S("dr")}, {"backup_retention_period", S("1")}};
  resized.after = {{"id", S("dr")}, {"backup_retention_period", S("7")}};
  p.changes = {cluster, instance, resized};
  std::string out = RenderPlan(p, {false});
  EXPECT_NE(out.find("# aws_rds_cluster.dr will be promoted to a standalone cluster"), std::string::npos) << out;
  EXPECT_NE(out.find("# aws_db_instance.dr will be promoted to a standalone instance"), std::string::npos) << out;
  EXPECT_NE(out.find("replication_source_identifier = \"arn:aws:rds:eu-central-1:1:cluster:p\" -> null"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("# aws_rds_cluster.other will be updated in-place"), std::string::npos) << out;
}

}  // namespace
}  // namespace infra::engine
