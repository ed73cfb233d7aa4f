// Plan JSON: the documented shape (docs/plan-json.md), a lossless round
// trip of actions/unknowns/drift, and no secret in the document.
#include "engine/plan/plan_json.h"

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

TEST(PlanJsonTest, OutputChangesHaveTerraformsShape) {
  Plan p = Sample();
  p.output_changes = {
      {"gone", Action::kDelete, Value::String("old"), Value(), false},
      {"id", Action::kUpdate, Value::String("subnet-1"), Value::Unknown(), false},
      {"pw", Action::kCreate, Value(), Value::String("hunter2").WithSensitive(), true},
      {"same", Action::kNoOp, Value::Number(3), Value::Number(3), false},
  };
  nlohmann::json j = PlanToJson(p);
  ASSERT_TRUE(j["output_changes"].is_object());
  const auto& id = j["output_changes"]["id"];
  EXPECT_EQ(id["actions"], nlohmann::json::array({"update"}));
  EXPECT_EQ(id["before"], "subnet-1");
  EXPECT_TRUE(id["after"].is_null());
  EXPECT_EQ(id["after_unknown"], true);
  EXPECT_EQ(id["before_sensitive"], false);
  EXPECT_EQ(id["after_sensitive"], false);
  const auto& gone = j["output_changes"]["gone"];
  EXPECT_EQ(gone["actions"], nlohmann::json::array({"delete"}));
  EXPECT_EQ(gone["before"], "old");
  EXPECT_TRUE(gone["after"].is_null());
  EXPECT_EQ(gone["after_unknown"], false);
  const auto& pw = j["output_changes"]["pw"];
  EXPECT_TRUE(pw["before"].is_null());
  EXPECT_TRUE(pw["after"].is_null());
  EXPECT_EQ(pw["after_sensitive"], true);
  EXPECT_EQ(j["output_changes"]["same"]["actions"], nlohmann::json::array({"no-op"}));
  EXPECT_EQ(j["output_changes"]["same"]["after"], 3);
  EXPECT_EQ(j.dump().find("hunter2"), std::string::npos);

  auto back = PlanFromJson(j);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  ASSERT_EQ(back->output_changes.size(), 4u);
  EXPECT_EQ(back->output_changes[0].action, Action::kDelete);
  EXPECT_EQ(back->output_changes[0].before.AsString(), "old");
  EXPECT_TRUE(back->output_changes[1].after.is_unknown());
  EXPECT_TRUE(back->output_changes[2].sensitive);
  EXPECT_TRUE(back->output_changes[2].after.sensitive());
  EXPECT_EQ(back->output_changes[3].after.AsNumber(), 3);
  // A plan without the field (older writers) reads as no output changes.
  j.erase("output_changes");
  auto old = PlanFromJson(j);
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(old->output_changes.empty());
  j["output_changes"] = nlohmann::json::array();
  EXPECT_EQ(PlanFromJson(j).error().code, "PlanInvalid");
}

// Issue 10 item 3: a secret nested in a map and the old value of an
// attribute that is secret only now are never written; the masks say
// where they were, on both sides, as Terraform's before/after_sensitive.
TEST(PlanJsonTest, SecretsAreMaskedPerPathOnBothSides) {
  Plan p;
  ResourceChange c;
  c.address = "aws_security_group.web";
  c.type = "aws_security_group";
  c.action = Action::kUpdate;
  c.before = {{"description", Value::String("pw is hunter2")},
              {"tags", Value::MakeMap({{"Name", Value::String("web")}, {"Secret", Value::String("hunter1")}})}};
  c.after = {{"description", Value::String("pw is hunter3").WithSensitive()},
             {"tags", Value::MakeMap({{"Name", Value::String("web")},
                                      {"Secret", Value::String("hunter3").WithSensitive()}})}};
  ResourceChange gone;
  gone.address = "aws_db.main";
  gone.type = "aws_db";
  gone.action = Action::kDelete;
  gone.before = {{"password", Value::String("hunter4").WithSensitive()}};
  gone.drift = Drift{false, {{"password", Value::String("hunter5")}}, {{"password", Value::String("hunter6").WithSensitive()}},
                     {"password"}};
  p.changes = {c, gone};
  nlohmann::json doc = PlanToJson(p);
  std::string text = doc.dump();
  EXPECT_EQ(text.find("hunter"), std::string::npos) << text;
  const auto& ch = doc["resource_changes"][0]["change"];
  EXPECT_EQ(ch["after_sensitive"], nlohmann::json::parse(R"({"description": true, "tags": {"Secret": true}})"));
  EXPECT_EQ(ch["before_sensitive"], nlohmann::json::parse(R"({"description": true, "tags": {"Secret": true}})"));
  EXPECT_EQ(ch["before"]["tags"]["Name"], "web");
  EXPECT_TRUE(ch["before"]["tags"]["Secret"].is_null());
  EXPECT_EQ(doc["resource_changes"][1]["change"]["before_sensitive"], nlohmann::json::parse(R"({"password": true})"));

  // The secrets a saved plan carries (sealed by the CLI) come back in place.
  nlohmann::json secrets = PlanSecrets(p);
  auto back = PlanFromJson(doc);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  RestorePlanSecrets(secrets, &*back);
  EXPECT_EQ(back->changes[0].after.at("tags").AsMap().at("Secret").AsString(), "hunter3");
  EXPECT_TRUE(back->changes[0].after.at("tags").sensitive());
  EXPECT_EQ(back->changes[0].before.at("description").AsString(), "pw is hunter2");
  EXPECT_TRUE(back->changes[0].before.at("description").sensitive());
  EXPECT_EQ(back->changes[1].before.at("password").AsString(), "hunter4");
}

TEST(PlanJsonTest, OutputsOnlyPlanHasChanges) {
  Plan p;
  p.stack = "demo";
  p.output_changes = {{"greeting", Action::kCreate, Value(), Value::String("hi"), false}};
  EXPECT_FALSE(p.HasResourceChanges());
  EXPECT_TRUE(p.HasChanges());
  EXPECT_EQ(PlanToJson(p)["has_changes"], true);
  p.output_changes[0].action = Action::kNoOp;
  EXPECT_EQ(PlanToJson(p)["has_changes"], false);
}

TEST(PlanJsonTest, DigestIsSha256OfTheCanonicalTextAndSurvivesReformatting) {
  nlohmann::json doc = PlanToJson(Sample());
  std::string digest = PlanDigest(doc);
  ASSERT_EQ(digest.size(), 7u + 64u);
  EXPECT_EQ(digest.rfind("sha256:", 0), 0u);
  // The canonical text is what `plan --out` writes: compact, keys sorted.
  std::string text = CanonicalPlanText(doc);
  EXPECT_EQ(text, doc.dump());
  EXPECT_EQ(text.find('\n'), std::string::npos);
  // The same document read back from an indented file has the same digest.
  EXPECT_EQ(PlanDigest(nlohmann::json::parse(doc.dump(2))), digest);
  // SHA-256 of a known text, to pin the algorithm (echo -n '{}' | sha256sum).
  EXPECT_EQ(PlanDigest(nlohmann::json::object()),
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  // Any change to the plan changes it.
  doc["state"]["serial"] = 8;
  EXPECT_NE(PlanDigest(doc), digest);
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
