// kit::SpecType over a scripted client: a synthetic EC2-style spec shows
// that one field table drives the create parameters, the reads and the
// update calls (with renames and an unset call), that waits poll a status,
// that adoption by tag checks the tags client-side, and that a null tag
// value is no tag.
#include "providers/aws/kit/spec_type.h"

#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/kit/schema_builder.h"

namespace infra::aws::kit {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Phase;
using provider::PollStatus;
using test::ScriptedAwsClient;

Spec WidgetSpec() {
  provider::ResourceSchema s;
  s.type = "fake_widget";
  s.service = "ec2";
  s.attributes = {Required("size", kNone, AttrType::kNumber), Optional("color"), Optional("zones", kNone, AttrType::kListString),
                  Tags(), Computed("id"), Computed("state")};
  Service svc{"ec2", Protocol::kEc2, {Tagging::Style::kTagSpecifications, "widget"}};
  Spec spec{std::move(s), svc, {
      {"size", "Size", "", Conv::kNumber},
      {"color", "Color"},
      {"zones", "Zone", "zoneSet", Conv::kStringList},
      {"state", "", "state", Conv::kString, kRead},
  }, {"CreateWidget", "widget/widgetId", /*token=*/true}};
  spec.updates = {{{"size"}, "ModifyWidget", {}, {{"size", "NewSize.Value"}}},
                  {{"color"}, "PaintWidget", {}, {}, {}, "UnpaintWidget"}};
  spec.del = {"DeleteWidget", {"DependencyViolation"}};
  spec.read = {ReadPolicy::Kind::kIdList, "DescribeWidgets", "WidgetId", "widgetSet", "widgetId", "widget-id"};
  spec.wait = Wait{"state", {"ready"}, {"pending"}, std::chrono::milliseconds(10)};
  return spec;
}

std::string Widgets(const std::string& state, const std::string& address = "fake_widget.w") {
  return "<DescribeWidgetsResponse><widgetSet><item><widgetId>w-1</widgetId><size>3</size><color>red</color>"
         "<zoneSet><item>a</item><item>b</item></zoneSet><state>" + state + "</state><tagSet>"
         "<item><key>Name</key><value>n</value></item>"
         "<item><key>infra:address</key><value>" + address + "</value></item>"
         "<item><key>infra:stack</key><value>s</value></item></tagSet></item></widgetSet></DescribeWidgetsResponse>";
}

class SpecTypeTest : public testing::Test {
 protected:
  provider::OperationContext Ctx() { return {"s", "fake_widget.w", "eu-west-1", "tok", nullptr}; }
  std::shared_ptr<ScriptedAwsClient> client_ = std::make_shared<ScriptedAwsClient>();
  SpecType type_{client_, WidgetSpec()};
};

TEST_F(SpecTypeTest, CreateSendsTheFieldTableAndWaitsForTheStatus) {
  client_->Reply("CreateWidget", "<CreateWidgetResponse><widget><widgetId>w-1</widgetId></widget></CreateWidgetResponse>");
  auto r = type_.Create(Ctx(), {{"size", 3}, {"zones", {"a", "b"}}, {"tags", {{"Name", "n"}, {"Nul", nullptr}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(r->pending);
  auto create = client_->calls().at(0);
  // The token is sent, but a lost reply is settled by the engine's lookup by
  // tags, not by a re-send: moto ignores ClientToken and made twins.
  EXPECT_FALSE(create.idempotent);
  EXPECT_EQ(create.Param("ClientToken"), "tok");
  EXPECT_EQ(create.Param("Size"), "3");
  EXPECT_EQ(create.Param("Zone.2"), "b");
  EXPECT_EQ(create.Param("Color"), "");
  EXPECT_EQ(create.Param("TagSpecification.1.ResourceType"), "widget");
  // A null tag value is "not set": only Name and the infra:* tags are sent.
  EXPECT_EQ(create.Param("TagSpecification.1.Tag.1.Key"), "Name");
  EXPECT_EQ(create.Param("TagSpecification.1.Tag.2.Key"), "infra:address");
  EXPECT_EQ(create.Param("TagSpecification.1.Tag.3.Key"), "infra:stack");
  EXPECT_EQ(create.Param("TagSpecification.1.Tag.4.Key"), "");

  client_->Reply("DescribeWidgets", Widgets("pending"));
  auto p1 = type_.Poll(Ctx(), r->attributes, Phase::kCreate);
  ASSERT_TRUE(p1.ok()) << p1.error().ToString();
  EXPECT_EQ(p1->status, PollStatus::kPending);
  EXPECT_EQ(p1->retry_after, std::chrono::milliseconds(10));
  client_->Reply("DescribeWidgets", Widgets("ready"));
  auto p2 = type_.Poll(Ctx(), r->attributes, Phase::kCreate);
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->status, PollStatus::kReady);
  EXPECT_EQ(p2->attributes, (nlohmann::json{{"id", "w-1"}, {"size", 3}, {"color", "red"}, {"zones", {"a", "b"}},
                                            {"state", "ready"}, {"tags", {{"Name", "n"}}}}));
  client_->Reply("DescribeWidgets", Widgets("broken"));
  auto p3 = type_.Poll(Ctx(), r->attributes, Phase::kCreate);
  ASSERT_TRUE(p3.ok());
  EXPECT_EQ(p3->status, PollStatus::kFailed);
}

TEST_F(SpecTypeTest, UpdateCallsOnlyTheOperationsWhoseAttributesChanged) {
  nlohmann::json prior = {{"id", "w-1"}, {"size", 3}, {"color", "red"}, {"tags", {{"Name", "n"}}}};
  client_->Reply("ModifyWidget", "<ModifyWidgetResponse/>");
  client_->Reply("UnpaintWidget", "<UnpaintWidgetResponse/>");
  client_->Reply("DeleteTags", "<DeleteTagsResponse/>");
  client_->Reply("DescribeWidgets", Widgets("ready"));
  auto r = type_.Update(Ctx(), prior, {{"size", "4"}, {"tags", {{"Name", nullptr}}}});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  auto calls = client_->calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[0].Param("WidgetId"), "w-1");
  EXPECT_EQ(calls[0].Param("NewSize.Value"), "4");  // renamed for this call
  EXPECT_EQ(calls[0].Param("Size"), "");
  EXPECT_EQ(calls[1].action, "UnpaintWidget");      // color removed
  EXPECT_EQ(calls[2].Param("ResourceId.1"), "w-1");
  EXPECT_EQ(calls[2].Param("Tag.1.Key"), "Name");   // a null value removes the tag
}

TEST_F(SpecTypeTest, AdoptionChecksTheAddressTagAndExcludedIds) {
  client_->Reply("DescribeWidgets", Widgets("ready", "fake_widget.other"));
  auto none = type_.FindByAddress(Ctx(), {});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());  // the filter was ignored: the tags are checked here
  EXPECT_EQ(client_->calls().at(0).Param("Filter.1.Name"), "tag:infra:address");
  client_->Reply("DescribeWidgets", Widgets("ready"));
  auto found = type_.FindByAddress(Ctx(), {});
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found)["id"], "w-1");
  client_->Reply("DescribeWidgets", Widgets("ready"));
  auto ctx = Ctx();
  ctx.exclude_ids = {"w-1"};
  auto excluded = type_.FindByAddress(ctx, {});
  ASSERT_TRUE(excluded.ok());
  EXPECT_FALSE(excluded->has_value());
}

TEST_F(SpecTypeTest, DeleteRetriesDeclaredCodesAndTreatsNotFoundAsDone) {
  client_->Fail("DeleteWidget", "DependencyViolation", Error::Kind::kConflict);
  client_->Fail("DeleteWidget", "InvalidWidgetID.NotFound", Error::Kind::kNotFound);
  nlohmann::json prior = {{"id", "w-1"}};
  auto r = type_.Delete(Ctx(), prior);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->pending);
  auto p = type_.Poll(Ctx(), prior, Phase::kDelete);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->status, PollStatus::kReady);
  client_->Fail("DeleteWidget", "UnauthorizedOperation", Error::Kind::kAuth);
  EXPECT_FALSE(type_.Delete(Ctx(), prior).ok());
}

// Spec::propagation: a create or update refused because a just-made role
// has not propagated is a NotFound (the engine retries it within the
// dependency's grace); the same code with another message, or another code,
// stays what it was.
TEST_F(SpecTypeTest, DeclaredPropagationErrorsBecomeNotFound) {
  Spec spec = WidgetSpec();
  spec.propagation = {{"InvalidParameterValue", "role cannot be assumed"}};
  SpecType type(client_, spec);
  client_->Fail("CreateWidget", "InvalidParameterValue", Error::Kind::kInvalid, "The role cannot be assumed yet");
  auto r = type.Create(Ctx(), {{"size", 3}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kNotFound);
  EXPECT_EQ(r.error().code, "InvalidParameterValue");
  EXPECT_NE(r.error().message.find("fake_widget.w: refused while IAM propagates"), std::string::npos);

  client_->Fail("CreateWidget", "InvalidParameterValue", Error::Kind::kInvalid, "Size must be positive");
  auto other = type.Create(Ctx(), {{"size", 3}});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().kind, Error::Kind::kInvalid);

  client_->Fail("ModifyWidget", "InvalidParameterValue", Error::Kind::kInvalid, "The role cannot be assumed yet");
  auto up = type.Update(Ctx(), {{"id", "w-1"}, {"size", 3}}, {{"size", 4}});
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().kind, Error::Kind::kNotFound);

  client_->Fail("CreateWidget", "InvalidParameterValue", Error::Kind::kInvalid, "The role cannot be assumed yet");
  auto undeclared = type_.Create(Ctx(), {{"size", 3}});  // the spec without propagation errors
  ASSERT_FALSE(undeclared.ok());
  EXPECT_EQ(undeclared.error().kind, Error::Kind::kInvalid);
}

}  // namespace
}  // namespace infra::aws::kit
