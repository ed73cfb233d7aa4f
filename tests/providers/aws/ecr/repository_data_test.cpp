// data.aws_ecr_repository over a scripted client: by name, the repository's
// attributes (URL, ARN, registry, tags) through aws_ecr_repository's read;
// force_delete (an instruction) is not reported; no match is NotFound.
#include <gtest/gtest.h>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/aws_provider.h"

namespace infra::aws {
namespace {

using nlohmann::json;
using test::ScriptedAwsClient;

TEST(RepositoryDataTest, ByNameReportsTheRepositoryAttributes) {
  auto client = std::make_shared<ScriptedAwsClient>();
  auto provider = NewAwsProviderWithClient(client);
  auto* data = provider->FindData("aws_ecr_repository");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ(data->schema().Find("force_delete"), nullptr);
  EXPECT_EQ(data->schema().Find("repository_url")->mode, provider::AttrMode::kComputed);
  client->ReplyJson("DescribeRepositories",
                    {{"repositories", {{{"repositoryArn", "arn:aws:ecr:eu-west-1:123456789012:repository/app"},
                                        {"registryId", "123456789012"}, {"repositoryName", "app"},
                                        {"repositoryUri", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app"},
                                        {"imageTagMutability", "MUTABLE"}}}}});
  client->ReplyJson("ListTagsForResource", {{"tags", {{{"Key", "team"}, {"Value", "a"}}}}});
  auto got = data->Read({"s", "data.aws_ecr_repository.app", "eu-west-1", "", nullptr}, {{"name", "app"}});
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ((*got)["repository_url"], "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app");
  EXPECT_EQ((*got)["arn"], "arn:aws:ecr:eu-west-1:123456789012:repository/app");
  EXPECT_EQ((*got)["tags"], json({{"team", "a"}}));
  EXPECT_EQ(client->calls()[0].body, json({{"repositoryNames", {"app"}}}));

  client->Fail("DescribeRepositories", "RepositoryNotFoundException", Error::Kind::kNotFound);
  client->Fail("DescribeRepositories", "RepositoryNotFoundException", Error::Kind::kNotFound);
  auto none = data->Read({"s", "data.aws_ecr_repository.app", "eu-west-1", "", nullptr}, {{"name", "nope"}});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, Error::Kind::kNotFound);
}

}  // namespace
}  // namespace infra::aws
