// kit::LookupDataSource over a small in-memory resource type: the schema
// reports arguments as given and every other attribute as computed; Read
// resolves the id, reads it through the type, keeps the arguments, and
// names the query when nothing matches.
#include "providers/aws/kit/lookup_data_source.h"

#include <gtest/gtest.h>

#include "providers/aws/kit/schema_builder.h"

namespace infra::aws::kit {
namespace {

using namespace schema;
using provider::Attributes;

class ShelfType : public provider::ResourceType {
 public:
  ShelfType() {
    schema_.type = "fake_shelf";
    schema_.service = "ecr";
    schema_.attributes = {Required("name"), Optional("colour"), Computed("arn"), Tags()};
  }
  const provider::ResourceSchema& schema() const override { return schema_; }
  Result<provider::ApplyResult> Create(const provider::OperationContext&, const Attributes&) override {
    return MakeError(Error::Kind::kInternal, "x", "not used");
  }
  Result<provider::ApplyResult> Update(const provider::OperationContext&, const Attributes&, const Attributes&) override {
    return MakeError(Error::Kind::kInternal, "x", "not used");
  }
  Result<provider::ApplyResult> Delete(const provider::OperationContext&, const Attributes&) override {
    return MakeError(Error::Kind::kInternal, "x", "not used");
  }
  Result<std::map<std::string, Attributes>> Read(const std::string& region, const std::vector<std::string>& ids) override {
    reads.push_back(region);
    std::map<std::string, Attributes> out;
    for (const auto& id : ids)
      if (id == "books")
        out[id] = {{"id", id}, {"name", id}, {"colour", "red"}, {"arn", "arn:aws:fake:" + region + ":1:books"},
                   {"tags", {{"team", "a"}}}};
    return out;
  }
  Result<std::optional<Attributes>> FindByAddress(const provider::OperationContext&, const Attributes&) override {
    return std::optional<Attributes>{};
  }
  std::vector<std::string> reads;

 private:
  provider::ResourceSchema schema_;
};

TEST(LookupDataSourceTest, SchemaKeepsArgumentsAndMakesTheRestComputed) {
  ShelfType shelf;
  LookupDataSource data(shelf, {"fake_shelf", {Required("name")}, IdFromArgument("name")});
  const provider::ResourceSchema& s = data.schema();
  EXPECT_EQ(s.type, "fake_shelf");
  EXPECT_EQ(s.service, "ecr");
  EXPECT_FALSE(s.taggable);
  ASSERT_NE(s.Find("name"), nullptr);
  EXPECT_EQ(s.Find("name")->mode, provider::AttrMode::kRequired);
  ASSERT_NE(s.Find("colour"), nullptr);
  EXPECT_EQ(s.Find("colour")->mode, provider::AttrMode::kComputed);
  EXPECT_EQ(s.Find("arn")->mode, provider::AttrMode::kComputed);
  EXPECT_EQ(s.Find("tags")->mode, provider::AttrMode::kComputed);
}

TEST(LookupDataSourceTest, ReadReturnsTheResourceAttributesInTheContextRegion) {
  ShelfType shelf;
  LookupDataSource data(shelf, {"fake_shelf", {Required("name")}, IdFromArgument("name")});
  provider::OperationContext ctx;
  ctx.region = "eu-west-1";
  auto got = data.Read(ctx, {{"name", "books"}});
  ASSERT_TRUE(got) << got.error().ToString();
  EXPECT_EQ((*got)["id"], "books");
  EXPECT_EQ((*got)["colour"], "red");
  EXPECT_EQ((*got)["arn"], "arn:aws:fake:eu-west-1:1:books");
  EXPECT_EQ((*got)["tags"]["team"], "a");
  EXPECT_EQ(shelf.reads, std::vector<std::string>{"eu-west-1"});
}

TEST(LookupDataSourceTest, NoMatchIsNotFoundNamingTheQueryAndRegion) {
  ShelfType shelf;
  LookupDataSource data(shelf, {"fake_shelf", {Required("name")}, IdFromArgument("name")});
  provider::OperationContext ctx;
  ctx.region = "eu-central-1";
  auto got = data.Read(ctx, {{"name", "films"}});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind, Error::Kind::kNotFound);
  EXPECT_NE(got.error().message.find("fake_shelf"), std::string::npos);
  EXPECT_NE(got.error().message.find("films"), std::string::npos);
  EXPECT_NE(got.error().message.find("eu-central-1"), std::string::npos);
  auto empty = data.Read(ctx, {{"name", ""}});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, Error::Kind::kInvalid);
}

}  // namespace
}  // namespace infra::aws::kit
