// Plan JSON: the documented shape (docs/plan-json.md), a lossless round
// trip of actions/unknowns/drift, and no secret in the document.
#include "engine/plan_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace infra::engine {
namespace {

Plan Sample() {
  Plan p;
  p.stack = "demo";
  p.state_lineage = "lin-1";
  p.state_serial = 7;
  p.regions = {"primary", "dr"};
  ResourceChange c;
  c.address = "aws_subnet.a";
  c.type = "aws_subnet";
  c.region_alias = "primary";
  c.region = "eu-central-1";
  c.id = "subnet-1";
  c.action = Action::kDeleteThenCreate;
  c.reason = ActionReason::kReplaceBecauseCannotUpdate;
  c.replace_paths = {"cidr_block"};
  c.depends_on = {"aws_vpc.main"};
  c.before = {{"id", Value::String("subnet-1")}, {"cidr_block", Value::String("10.0.1.0/24")}};
  c.after = {{"id", Value::Unknown()},
             {"cidr_block", Value::String("10.0.2.0/24")},
             {"password", Value::String("hunter2").WithSensitive()},
             {"tags", Value::MakeMap({{"a", Value::Unknown()}, {"b", Value::String("x")}})}};
  c.drift = Drift{false, {{"map_public_ip_on_launch", Value::Bool(false)}},
                  {{"map_public_ip_on_launch", Value::Bool(true)}}, {"map_public_ip_on_launch"}};
  ResourceChange n;
  n.address = "aws_vpc.main";
  n.type = "aws_vpc";
  n.before = n.after = {{"id", Value::String("vpc-1")}};
  p.changes = {n, c};
  return p;
}

TEST(PlanJsonTest, DocumentedShape) {
  nlohmann::json j = PlanToJson(Sample());
  EXPECT_EQ(j["format_version"], "1");
  EXPECT_EQ(j["state"]["serial"], 7);
  EXPECT_EQ(j["state"]["lineage"], "lin-1");
  const auto& c = j["resource_changes"][1];
  EXPECT_EQ(c["change"]["actions"], nlohmann::json::array({"delete", "create"}));
  EXPECT_EQ(c["action_reason"], "replace_because_cannot_update");
  EXPECT_EQ(c["change"]["after_unknown"]["id"], true);
  EXPECT_EQ(c["change"]["after_unknown"]["tags"]["a"], true);
  EXPECT_FALSE(c["change"]["after_unknown"]["tags"].contains("b"));
  EXPECT_EQ(c["change"]["after"]["cidr_block"], "10.0.2.0/24");
  EXPECT_TRUE(c["change"]["after"]["password"].is_null());
  EXPECT_EQ(c["change"]["after_sensitive"]["password"], true);
  EXPECT_EQ(c["change"]["replace_paths"], nlohmann::json::parse(R"([["cidr_block"]])"));
  EXPECT_EQ(j["resource_drift"].size(), 1u);
  EXPECT_EQ(j["summary"]["add"], 1);
  EXPECT_EQ(j["summary"]["destroy"], 1);
  EXPECT_EQ(j["resource_changes"][0]["change"]["actions"], nlohmann::json::array({"no-op"}));
  EXPECT_EQ(j.dump().find("hunter2"), std::string::npos);
}

TEST(PlanJsonTest, RoundTrip) {
  Plan p = Sample();
  auto back = PlanFromJson(PlanToJson(p));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->stack, "demo");
  EXPECT_EQ(back->state_serial, 7);
  ASSERT_EQ(back->changes.size(), 2u);
  const auto& c = back->changes[1];
  EXPECT_EQ(c.action, Action::kDeleteThenCreate);
  EXPECT_EQ(c.reason, ActionReason::kReplaceBecauseCannotUpdate);
  EXPECT_EQ(c.replace_paths, std::vector<std::string>{"cidr_block"});
  EXPECT_EQ(c.depends_on, std::vector<std::string>{"aws_vpc.main"});
  EXPECT_TRUE(c.after.at("id").is_unknown());
  EXPECT_TRUE(c.after.at("tags").AsMap().at("a").is_unknown());
  EXPECT_EQ(c.after.at("tags").AsMap().at("b").AsString(), "x");
  EXPECT_TRUE(c.after.at("password").sensitive());
  EXPECT_TRUE(c.after.at("password").is_unknown());  // re-evaluated at apply
  ASSERT_TRUE(c.drift.has_value());
  EXPECT_EQ(c.drift->changed, std::vector<std::string>{"map_public_ip_on_launch"});
  EXPECT_EQ(back->Summary().add, 1);
}

TEST(PlanJsonTest, RefusesForeignAndNewerDocuments) {
  EXPECT_FALSE(PlanFromJson(nlohmann::json::object()).ok());
  nlohmann::json j = PlanToJson(Sample());
  j["format_version"] = "99";
  auto r = PlanFromJson(j);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "PlanVersion");
}

}  // namespace
}  // namespace infra::engine
