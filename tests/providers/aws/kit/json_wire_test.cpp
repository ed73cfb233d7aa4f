// JSON paths of the kit's field tables: nested objects, lists of objects
// (two levels), maps and sets map the same way for writes and reads, so a
// name is written once; conversions per Conv; absent values write nothing.
#include "providers/aws/kit/json_wire.h"

#include <gtest/gtest.h>

namespace infra::aws::kit {
namespace {

using nlohmann::json;

TEST(JsonWireTest, NestedObjectsRoundTrip) {
  json attrs = {{"scan", {{"on_push", true}}}, {"enc", {{"type", "KMS"}, {"key", nullptr}}}};
  json body = json::object();
  ToJsonWire(attrs, "scan.on_push", body, "imageScanningConfiguration.scanOnPush", Conv::kBool);
  ToJsonWire(attrs, "enc.type", body, "encryptionConfiguration.encryptionType", Conv::kString);
  ToJsonWire(attrs, "enc.key", body, "encryptionConfiguration.kmsKey", Conv::kString);  // null: nothing
  EXPECT_EQ(body, json({{"imageScanningConfiguration", {{"scanOnPush", true}}},
                        {"encryptionConfiguration", {{"encryptionType", "KMS"}}}}));
  json back = json::object();
  FromJsonWire(body, "imageScanningConfiguration.scanOnPush", back, "scan.on_push", Conv::kBool);
  FromJsonWire(body, "encryptionConfiguration.encryptionType", back, "enc.type", Conv::kString);
  FromJsonWire(body, "encryptionConfiguration.kmsKey", back, "enc.key", Conv::kString);
  EXPECT_EQ(back, json({{"scan", {{"on_push", true}}}, {"enc", {{"type", "KMS"}}}}));
}

TEST(JsonWireTest, ListsOfObjectsPairUpByIndexAtEveryLevel) {
  json attrs = {{"cfg", {{"rule", {{{"destination", {{{"region", "eu-west-1"}, {"registry_id", "1"}},
                                                      {{"region", "us-east-1"}, {"registry_id", "2"}}}}},
                                   {{"destination", {{{"region", "eu-north-1"}, {"registry_id", "1"}}}}}}}}}};
  json body = json::object();
  ToJsonWire(attrs, "cfg.rule[].destination[].region", body, "c.rules[].destinations[].region", Conv::kString);
  ToJsonWire(attrs, "cfg.rule[].destination[].registry_id", body, "c.rules[].destinations[].registryId",
             Conv::kString);
  json want = {{"c", {{"rules", {{{"destinations", {{{"region", "eu-west-1"}, {"registryId", "1"}},
                                                     {{"region", "us-east-1"}, {"registryId", "2"}}}}},
                                  {{"destinations", {{{"region", "eu-north-1"}, {"registryId", "1"}}}}}}}}}};
  EXPECT_EQ(body, want);
  json back = json::object();
  FromJsonWire(body, "c.rules[].destinations[].region", back, "cfg.rule[].destination[].region", Conv::kString);
  FromJsonWire(body, "c.rules[].destinations[].registryId", back, "cfg.rule[].destination[].registry_id",
               Conv::kString);
  EXPECT_EQ(back, attrs);
}

TEST(JsonWireTest, AnObjectWhereAListIsExpectedIsOneElement) {
  // REST-XML: an element that did not repeat reads as an object.
  json item = {{"TagSet", {{"Tag", {{"Key", "a"}, {"Value", "1"}}}}}};
  json back = json::object();
  FromJsonWire(item, "TagSet.Tag[].Key", back, "tag[].key", Conv::kString);
  EXPECT_EQ(back, json({{"tag", {{{"key", "a"}}}}}));
}

TEST(JsonWireTest, ConversionsAndMapsAndSets) {
  json attrs = {{"n", "42"}, {"b", "true"}, {"doc", {{"rules", json::array()}}}, {"ids", {"b", "a"}},
                {"m", {{"k", "v"}}}, {"s", 7}};
  json body = json::object();
  ToJsonWire(attrs, "n", body, "N", Conv::kNumber);
  ToJsonWire(attrs, "b", body, "B", Conv::kBool);
  ToJsonWire(attrs, "doc", body, "Doc", Conv::kJsonDocument);
  ToJsonWire(attrs, "ids", body, "Ids", Conv::kStringList);
  ToJsonWire(attrs, "m", body, "M", Conv::kMap);
  ToJsonWire(attrs, "s", body, "S", Conv::kString);
  EXPECT_EQ(body, json({{"N", 42}, {"B", true}, {"Doc", "{\"rules\":[]}"}, {"Ids", {"b", "a"}}, {"M", {{"k", "v"}}},
                        {"S", "7"}}));
  json back = json::object();
  FromJsonWire(json({{"Empty", ""}, {"Doc", {{"x", 1}}}}), "Empty", back, "e", Conv::kString);
  FromJsonWire(json({{"Doc", {{"x", 1}}}}), "Doc", back, "doc", Conv::kJsonDocument);
  FromJsonWire(json::object(), "Missing", back, "m", Conv::kString);
  EXPECT_EQ(back, json({{"doc", "{\"x\":1}"}}));  // "" and absent read as nothing
  EXPECT_EQ(JsonAt(json({{"a", {{"b", 1}}}}), "a.b"), 1);
  EXPECT_TRUE(JsonAt(json({{"a", 1}}), "a.b").is_null());
}

}  // namespace
}  // namespace infra::aws::kit
