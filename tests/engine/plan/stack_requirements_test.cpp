// Requirements across resources (provider::StackRequirement): the S3 case
// on fake types. A "replication" naming a bucket the stack declares needs a
// "versioning" of that bucket with status Enabled: missing or Suspended is
// refused at plan naming the address and value; met, the replication is
// ordered after the versioning. Buckets the stack does not declare and
// values unknown at plan are left to AWS.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

#include "engine/plan/stack_requirements.h"
#include "engine/plan_fixture.h"

namespace infra::test {
namespace {
using engine::Action;

class StackRequirementsTest : public PlanFixture {
 protected:
  StackRequirementsTest() {
    provider.AddThing("fake_bucket");
    provider.AddThing("fake_versioning");
    auto* replication = provider.AddThing("fake_replication");
    // fake_thing's attributes stand in: ref names the bucket, zone is the status.
    replication->mutable_schema().requirements.push_back(
        {"ref", "fake_versioning", "ref", "zone", "Enabled", "fake_bucket", "name", "replication needs versioning"});
    stack.Add("fake_bucket.b", "fake_bucket", "primary", {{"name", S("b1")}});
  }

  std::string PlanError() {
    auto p = engine::MakePlan(Request());
    return p.ok() ? "" : p.error().ToString();
  }
};

TEST_F(StackRequirementsTest, ReplicationOfADeclaredBucketWithoutVersioningIsRefusedAtPlan) {
  stack.Add("fake_replication.r", "fake_replication", "primary", {{"name", S("r")}, {"ref", S("b1")}});
  std::string err = PlanError();
  EXPECT_NE(err.find("RequirementNotMet"), std::string::npos) << err;
  EXPECT_NE(err.find("fake_replication.r: replication needs versioning: ref names 'b1'"), std::string::npos) << err;
  EXPECT_NE(err.find("no fake_versioning"), std::string::npos) << err;
  EXPECT_EQ(provider.CountCalls("create"), 0);
}

TEST_F(StackRequirementsTest, VersioningThatIsNotEnabledDoesNotMeetIt) {
  stack.Add("fake_versioning.v", "fake_versioning", "primary",
            {{"name", S("v")}, {"ref", S("b1")}, {"zone", S("Suspended")}});
  stack.Add("fake_replication.r", "fake_replication", "primary", {{"name", S("r")}, {"ref", S("b1")}});
  EXPECT_NE(PlanError().find("RequirementNotMet"), std::string::npos);
}

TEST_F(StackRequirementsTest, AnArnNamesTheSameBucketAndAMetRequirementOrdersTheApply) {
  stack.Add("fake_versioning.v", "fake_versioning", "primary",
            {{"name", S("v")}, {"ref", S("b1")}, {"zone", S("Enabled")}});
  // No reference to the versioning: the requirement alone orders the two.
  stack.Add("fake_replication.r", "fake_replication", "primary", {{"name", S("r")}, {"ref", S("arn:aws:s3:::b1")}});
  engine::Plan plan = MustPlan();
  const auto* r = plan.Find("fake_replication.r");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->action, Action::kCreate);
  EXPECT_NE(std::find(r->depends_on.begin(), r->depends_on.end(), "fake_versioning.v"), r->depends_on.end());
  // Delay the versioning's create: without the edge the replication would go first.
  FakeBehaviour slow;
  slow.delay = std::chrono::milliseconds(50);
  provider.SetBehaviour("fake_versioning.v", slow);
  MustApply(plan, Options());
  std::optional<FakeCall> v, r2;
  for (const auto& c : provider.Calls())
    if (c.op == "create" && c.address == "fake_versioning.v") v = c;
    else if (c.op == "create" && c.address == "fake_replication.r") r2 = c;
  ASSERT_TRUE(v && r2);
  EXPECT_GE(r2->start, v->end);
}

TEST_F(StackRequirementsTest, BucketsTheStackDoesNotDeclareAndUnknownValuesAreLeftToAws) {
  stack.Add("fake_replication.other", "fake_replication", "primary", {{"name", S("o")}, {"ref", S("not-ours")}});
  stack.Add("fake_other.src", "fake_other", "primary", {{"name", S("src")}});
  stack.Add("fake_replication.later", "fake_replication", "primary",
            {{"name", S("l")}, {"ref", S("ref:fake_other.src#arn")}});  // known after apply
  EXPECT_EQ(PlanError(), "");
}

TEST_F(StackRequirementsTest, NamedObjectIsTheResourcePartOfAnArn) {
  EXPECT_EQ(engine::NamedObject("arn:aws:s3:::my-bucket"), "my-bucket");
  EXPECT_EQ(engine::NamedObject("arn:aws:iam::123456789012:role/x"), "role/x");
  EXPECT_EQ(engine::NamedObject("plain"), "plain");
  EXPECT_EQ(engine::NamedObject("arn:broken"), "arn:broken");
}

}  // namespace
}  // namespace infra::test
