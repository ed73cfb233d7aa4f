// Container definitions: the list sent from a YAML list or a JSON text, and
// AWS's reply (the exact shape moto 5.2 and AWS return: essential, cpu 0,
// empty environment / mountPoints / volumesFrom / systemControls, protocol
// tcp, hostPort) without its defaults, so it equals what the stack wrote.
#include "providers/aws/ecs/container_definitions.h"

#include <gtest/gtest.h>

#include "providers/provider.h"

namespace infra::aws::ecs {
namespace {

using nlohmann::json;

provider::AttributeSchema Document() {
  provider::AttributeSchema a;
  a.name = "container_definitions";
  a.type = provider::AttrType::kAny;
  a.equality = provider::Equality::kJsonDocument;
  return a;
}

// What the stack says: a YAML list of maps, defaults left out.
json Written() {
  return json::array({{{"name", "app"}, {"image", "nginx:1.27"}, {"memory", "512"},
                       {"portMappings", {{{"containerPort", "80"}}}},
                       {"environment", {{{"name", "MODE"}, {"value", "web"}}}},
                       {"logConfiguration", {{"logDriver", "awslogs"}, {"options", {{"awslogs-group", "/app"}}}}}}});
}

// DescribeTaskDefinition's containerDefinitions for it (AWS; moto fills the
// same cpu / essential / empty lists).
json Returned() {
  return json::parse(R"([{"name":"app","image":"nginx:1.27","cpu":0,"memory":512,
    "portMappings":[{"containerPort":80,"hostPort":80,"protocol":"tcp"}],
    "essential":true,"environment":[{"name":"MODE","value":"web"}],"mountPoints":[],"volumesFrom":[],
    "systemControls":[],"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/app"},"secretOptions":[]}}])");
}

TEST(ContainerDefinitionsTest, YamlTextBecomesNumbersAndBooleansForAws) {
  json sent = ContainerDefinitionsList(Written());
  EXPECT_EQ(sent[0]["memory"], 512);
  EXPECT_EQ(sent[0]["portMappings"][0]["containerPort"], 80);
  EXPECT_EQ(sent[0]["environment"][0]["value"], "web");  // not a number member: kept as text
  json essential = ContainerDefinitionsList(json::array({{{"name", "a"}, {"essential", "false"}}}));
  EXPECT_EQ(essential[0]["essential"], false);
}

TEST(ContainerDefinitionsTest, JsonTextIsParsedAndGarbageIsNull) {
  json sent = ContainerDefinitionsList(R"([{"name":"app","image":"nginx","cpu":256}])");
  ASSERT_TRUE(sent.is_array());
  EXPECT_EQ(sent[0]["cpu"], 256);
  EXPECT_TRUE(ContainerDefinitionsList("not json").is_null());
  EXPECT_EQ(ContainerDefinitionsList(json{{"name", "one"}}).size(), 1u);  // a lone map is one container
}

TEST(ContainerDefinitionsTest, AwsDefaultsAreDroppedSoTheReplyEqualsTheStack) {
  json minimal = ContainerDefinitionsWithoutDefaults(Returned(), "awsvpc");
  EXPECT_FALSE(minimal[0].contains("essential"));
  EXPECT_FALSE(minimal[0].contains("cpu"));
  EXPECT_FALSE(minimal[0].contains("mountPoints"));
  EXPECT_FALSE(minimal[0]["logConfiguration"].contains("secretOptions"));
  EXPECT_EQ(minimal[0]["portMappings"], json::parse(R"([{"containerPort":80}])"));
  EXPECT_TRUE(provider::SameValue(Document(), Written(), minimal));
  // The same definitions written as a JSON string compare equal too.
  EXPECT_TRUE(provider::SameValue(Document(), Written().dump(), minimal));
  // Without the defaults dropped, AWS's reply would be drift.
  EXPECT_FALSE(provider::SameValue(Document(), Written(), Returned()));
}

TEST(ContainerDefinitionsTest, WhatTheStackChoseIsKept) {
  json returned = Returned();
  returned[0]["essential"] = false;
  returned[0]["cpu"] = 256;
  returned[0]["portMappings"][0]["protocol"] = "udp";
  json minimal = ContainerDefinitionsWithoutDefaults(returned, "awsvpc");
  EXPECT_EQ(minimal[0]["essential"], false);
  EXPECT_EQ(minimal[0]["cpu"], 256);
  EXPECT_EQ(minimal[0]["portMappings"][0]["protocol"], "udp");
  EXPECT_FALSE(provider::SameValue(Document(), Written(), minimal));  // a real difference shows
  // In bridge mode a hostPort equal to the containerPort is a choice, not a default.
  EXPECT_EQ(ContainerDefinitionsWithoutDefaults(Returned(), "bridge")[0]["portMappings"][0]["hostPort"], 80);
}

}  // namespace
}  // namespace infra::aws::ecs
