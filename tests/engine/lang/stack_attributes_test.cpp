// `attributes:` on a resource: a map of attributes, the one spelling of an
// attribute named like a reserved key (`type` on Route 53 records and SSM
// parameters); the same attribute set twice is an error naming both places;
// `type: A` on its own explains where the attribute goes.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/lang/diag.h"
#include "engine/lang/stack.h"
#include "fakes/fake_provider.h"
#include "support/temp_dir.h"

namespace infra::engine {
namespace {

using provider::AttributeSchema;
using provider::AttrMode;

class StackAttributesTest : public ::testing::Test {
 protected:
  StackAttributesTest() {
    provider::ResourceSchema s;
    s.type = "fake_record";
    auto attr = [](const char* name, provider::AttrType type, AttrMode mode) {
      AttributeSchema a;
      a.name = name;
      a.type = type;
      a.mode = mode;
      return a;
    };
    s.attributes = {attr("name", provider::AttrType::kString, AttrMode::kRequired),
                    attr("type", provider::AttrType::kString, AttrMode::kRequired),
                    attr("ttl", provider::AttrType::kNumber, AttrMode::kOptional)};
    provider_.AddType(s);
  }
  Result<Stack> Load(const std::string& resources) {
    std::ofstream(tmp_.File("stack.yaml")) << "stack: a\nregions:\n  primary: eu-west-1\nresources:\n" << resources;
    return LoadStack(tmp_.path(), VariableInputs{{}, false}, provider_, diags_);
  }

  test::TempDir tmp_{"infra-attributes"};
  test::FakeProvider provider_;
  Diagnostics diags_;
};

TEST_F(StackAttributesTest, AttributesMapHoldsAnAttributeNamedType) {
  auto s = Load("  www:\n    type: fake_record\n    name: www.example.com\n    attributes:\n      type: A\n      ttl: 300\n");
  ASSERT_TRUE(s.ok()) << diags_.RenderAll();
  const ResourceInstance* r = s->Find("fake_record.www");
  ASSERT_NE(r, nullptr);
  auto v = s->EvaluateAttributes(*r, NoResourceValues());
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->at("type").AsString(), "A");
  EXPECT_EQ(v->at("name").AsString(), "www.example.com");
  EXPECT_EQ(v->at("ttl").ToJson(), nlohmann::json(300));
}

TEST_F(StackAttributesTest, AttributeSetTwiceNamesBothPlaces) {
  auto s = Load("  www:\n    type: fake_record\n    name: a\n    attributes: {type: A, name: b}\n");
  EXPECT_FALSE(s.ok());
  std::string text = diags_.RenderAll();
  EXPECT_NE(text.find("attribute 'name' is set twice"), std::string::npos) << text;
  EXPECT_NE(text.find("stack.yaml:7:"), std::string::npos) << text;  // the top-level `name:`
  EXPECT_NE(text.find("fake_record.www"), std::string::npos) << text;
}

TEST_F(StackAttributesTest, AttributesMustBeAMap) {
  auto s = Load("  www:\n    type: fake_record\n    name: a\n    attributes: [type, A]\n");
  EXPECT_FALSE(s.ok());
  std::string text = diags_.RenderAll();
  EXPECT_NE(text.find("'attributes'"), std::string::npos) << text;
  EXPECT_NE(text.find("stack.yaml:8:"), std::string::npos) << text;
}

TEST_F(StackAttributesTest, RecordTypeWrittenAsResourceTypeExplainsAttributes) {
  auto s = Load("  www:\n    type: A\n    name: a\n");
  EXPECT_FALSE(s.ok());
  std::string text = diags_.RenderAll();
  EXPECT_NE(text.find("unknown resource type 'A'"), std::string::npos) << text;
  EXPECT_NE(text.find("fake_record"), std::string::npos) << text;
  EXPECT_NE(text.find("attributes: {type: A}"), std::string::npos) << text;
  EXPECT_NE(text.find("stack.yaml:6:11"), std::string::npos) << text;
}

TEST_F(StackAttributesTest, MissingTypeAttributeSaysWhereItGoes) {
  auto s = Load("  www:\n    type: fake_record\n    name: a\n");
  EXPECT_FALSE(s.ok());
  std::string text = diags_.RenderAll();
  EXPECT_NE(text.find("missing required attribute 'type' of fake_record"), std::string::npos) << text;
  EXPECT_NE(text.find("under `attributes:`"), std::string::npos) << text;
}

}  // namespace
}  // namespace infra::engine
