// kit::SpecType's declarations added for the EC2 port, over a scripted
// client: a field's fallback value at create, a create without a token that
// may be re-sent, adoption narrowed by extra filters (with or without the
// tag filters), delete parameters from prior, dependents named on the first
// retry, after_adopt, and a delete that only forgets.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/spec_type.h"

namespace infra::aws::kit {
namespace {

using namespace schema;
using provider::Phase;
using provider::PollStatus;
using test::ScriptedAwsClient;

Spec GadgetSpec() {
  provider::ResourceSchema s;
  s.type = "fake_gadget";
  s.service = "ec2";
  s.attributes = {Optional("kind"), Required("parent"), Tags(), Computed("id")};
  Spec spec{std::move(s), {"ec2", Protocol::kEc2, {Tagging::Style::kTagSpecifications, "gadget"}}, {
      {"kind", "Kind", "", Conv::kString, kCreate | kRead, "plain"},
      {"parent", "ParentId"},
  }, {"CreateGadget", "gadgetId", /*token=*/false, /*idempotent=*/true}};
  spec.del = {"DeleteGadget"};
  spec.read = {ReadPolicy::Kind::kIdList, "DescribeGadgets", "GadgetId", "gadgetSet", "gadgetId"};
  spec.adopt.filters = [](const provider::Attributes& d) {
    return std::vector<QueryFilter>{{"parent-id", {AttrText(d, "parent")}}};
  };
  spec.hooks.delete_params = [](const provider::Attributes& prior) {
    return QueryParams{{"ParentId", AttrText(prior, "parent")}, {"GadgetId.1", AttrText(prior, "id")}};
  };
  spec.hooks.dependents = [](const Call&, const std::string& region, const std::string& id) {
    return "widget-1 (widget) of " + id + " in " + region;
  };
  return spec;
}

std::string Gadgets(const std::string& address) {
  return "<R><gadgetSet><item><gadgetId>g-1</gadgetId><kind>plain</kind><parentId>p-1</parentId><tagSet>"
         "<item><key>infra:address</key><value>" + address + "</value></item>"
         "<item><key>infra:stack</key><value>s</value></item></tagSet></item></gadgetSet></R>";
}

class SpecTypeHooksTest : public testing::Test {
 protected:
  provider::OperationContext Ctx() { return {"s", "fake_gadget.g", "eu-west-1", "", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
};

TEST_F(SpecTypeHooksTest, FallbackIsSentForAnUnsetAttributeAndTheCreateMayBeResent) {
  SpecType type(client_, GadgetSpec());
  client_->Reply("CreateGadget", "<R><gadgetId>g-1</gadgetId></R>");
  client_->Reply("DescribeGadgets", Gadgets("fake_gadget.g"));
  auto r = type.Create(Ctx(), {{"parent", "p-1"}, {"kind", ""}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto create = client_->calls().at(0);
  EXPECT_EQ(create.Param("Kind"), "plain");
  EXPECT_EQ(create.Param("ClientToken"), "");
  EXPECT_TRUE(create.idempotent);
}

TEST_F(SpecTypeHooksTest, AdoptionAddsFiltersOrReplacesTheTagFilters) {
  client_->Reply("DescribeGadgets", Gadgets("fake_gadget.g"));
  SpecType with_tags(client_, GadgetSpec());
  auto found = with_tags.FindByAddress(Ctx(), {{"parent", "p-1"}});
  ASSERT_TRUE(found.ok() && found->has_value());
  auto call = client_->calls().at(0);
  EXPECT_EQ(call.Param("Filter.1.Name"), "tag:infra:address");
  EXPECT_EQ(call.Param("Filter.3.Name"), "parent-id");
  EXPECT_EQ(call.Param("Filter.3.Value.1"), "p-1");

  auto spec = GadgetSpec();
  spec.adopt.tag_filters = false;
  bool adopted = false;
  spec.hooks.after_adopt = [&](const Call&, const provider::OperationContext&, const provider::Attributes& a,
                               const provider::Attributes&) {
    adopted = AttrText(a, "id") == "g-1";
    return Status();
  };
  SpecType untagged_filters(client_, std::move(spec));
  client_->Reply("DescribeGadgets", Gadgets("fake_gadget.other"));  // the tags are still checked
  auto none = untagged_filters.FindByAddress(Ctx(), {{"parent", "p-1"}});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(client_->calls().at(1).Param("Filter.1.Name"), "parent-id");
  EXPECT_FALSE(adopted);
  client_->Reply("DescribeGadgets", Gadgets("fake_gadget.g"));
  ASSERT_TRUE(untagged_filters.FindByAddress(Ctx(), {{"parent", "p-1"}}).ok());
  EXPECT_TRUE(adopted);
}

TEST_F(SpecTypeHooksTest, DeleteSendsItsParamsAndNamesDependentsOnTheFirstRetryOnly) {
  SpecType type(client_, GadgetSpec());
  provider::Attributes prior = {{"id", "g-1"}, {"parent", "p-1"}};
  client_->Fail("DeleteGadget", "DependencyViolation", Error::Kind::kConflict);
  client_->Fail("DeleteGadget", "DependencyViolation", Error::Kind::kConflict);
  client_->Fail("DeleteGadget", "DependencyViolation", Error::Kind::kConflict);
  auto r = type.Delete(Ctx(), prior);
  ASSERT_TRUE(r.ok() && r->pending);
  EXPECT_EQ(client_->calls().at(0).Param("ParentId"), "p-1");
  EXPECT_EQ(client_->calls().at(0).Param("GadgetId.1"), "g-1");
  auto p1 = type.Poll(Ctx(), prior, Phase::kDelete);
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->status, PollStatus::kPending);
  EXPECT_EQ(p1->detail, "waiting for dependents of g-1 to go away (DependencyViolation); "
                        "still in use by widget-1 (widget) of g-1 in eu-west-1");
  auto p2 = type.Poll(Ctx(), prior, Phase::kDelete);
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->detail, "waiting for dependents of g-1 to go away (DependencyViolation)");
}

TEST_F(SpecTypeHooksTest, ADeleteWithoutActionOnlyForgets) {
  auto spec = GadgetSpec();
  spec.del = {""};
  SpecType type(client_, std::move(spec));
  auto r = type.Delete(Ctx(), {{"id", "g-1"}});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->pending);
  EXPECT_TRUE(client_->calls().empty());
}

}  // namespace
}  // namespace infra::aws::kit
