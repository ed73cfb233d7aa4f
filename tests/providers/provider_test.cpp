// The contract's equality rules: JSON documents compared semantically
// (key order, whitespace, URL-encoding, single value vs one-element list),
// case-insensitive strings, sets, and nested blocks per nested attribute.
#include "providers/provider.h"

#include <gtest/gtest.h>

namespace infra::provider {
namespace {

AttributeSchema Attr(AttrType type, Equality eq = Equality::kExact) {
  AttributeSchema a;
  a.name = "x";
  a.type = type;
  a.equality = eq;
  return a;
}

TEST(SameValueTest, JsonDocumentsCompareAsDocuments) {
  auto doc = Attr(AttrType::kAny, Equality::kJsonDocument);
  nlohmann::json written = {{"Version", "2012-10-17"},
                            {"Statement", {{"Effect", "Allow"}, {"Action", {"b:B", "a:A"}}, {"Resource", "*"}}}};
  std::string aws = "{\"Statement\": [{\"Resource\": [\"*\"], \"Effect\": \"Allow\", \"Action\": [\"a:A\", \"b:B\"]}],"
                    "\n  \"Version\": \"2012-10-17\"}";
  EXPECT_TRUE(SameValue(doc, written, aws));
  EXPECT_TRUE(SameValue(doc, written.dump(), aws));
  // IAM's URL-encoded form.
  EXPECT_TRUE(SameValue(doc, written, "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22"
                                      "Allow%22%2C%22Action%22%3A%5B%22a%3AA%22%2C%22b%3AB%22%5D%2C%22Resource%22%3A%22*%22%7D%7D"));
  nlohmann::json other = written;
  other["Statement"]["Effect"] = "Deny";
  EXPECT_FALSE(SameValue(doc, other, aws));
  // Not a document on one side: compared as text.
  EXPECT_FALSE(SameValue(doc, "not json", aws));
  EXPECT_TRUE(SameValue(doc, "not json", "not json"));
}

TEST(SameValueTest, CaseInsensitiveSetsAndEmptiness) {
  EXPECT_TRUE(SameValue(Attr(AttrType::kString, Equality::kCaseInsensitive), "Enabled", "ENABLED"));
  EXPECT_FALSE(SameValue(Attr(AttrType::kString), "Enabled", "ENABLED"));
  EXPECT_TRUE(SameValue(Attr(AttrType::kSetString), nlohmann::json({"b", "a", "a"}), nlohmann::json({"a", "b"})));
  EXPECT_FALSE(SameValue(Attr(AttrType::kListString), nlohmann::json({"b", "a"}), nlohmann::json({"a", "b"})));
  EXPECT_TRUE(SameValue(Attr(AttrType::kMapString), nullptr, nlohmann::json::object()));
  EXPECT_TRUE(SameValue(Attr(AttrType::kNumber), 80, "80"));
}

TEST(SameValueTest, NestedBlocksUseTheirAttributesRules) {
  auto block = Attr(AttrType::kListObject);
  auto doc = Attr(AttrType::kAny, Equality::kJsonDocument);
  doc.name = "policy";
  auto port = Attr(AttrType::kNumber);
  port.name = "port";
  port.mode = AttrMode::kOptionalComputed;
  block.block = {doc, port};
  nlohmann::json a = {{{"policy", {{"k", "v"}}}}};
  nlohmann::json b = {{{"policy", "{\"k\": [\"v\"]}"}, {"port", 443}}};
  EXPECT_TRUE(SameValue(block, a, b));  // port left to AWS; the document as a document
  b[0]["policy"] = "{\"k\": \"w\"}";
  EXPECT_FALSE(SameValue(block, a, b));
}

TEST(CanonicalJsonDocumentTest, NullForWhatIsNotADocument) {
  EXPECT_TRUE(CanonicalJsonDocument("x").is_null());
  EXPECT_TRUE(CanonicalJsonDocument(3).is_null());
  EXPECT_EQ(CanonicalJsonDocument("{\"a\": [1]}"), CanonicalJsonDocument(nlohmann::json{{"a", "1"}}));
}

}  // namespace
}  // namespace infra::provider
