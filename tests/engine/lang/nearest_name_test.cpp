// Edit distance and "did you mean" suggestions.
#include <gtest/gtest.h>

#include "engine/lang/nearest_name.h"

namespace infra::engine {
namespace {

TEST(NearestName, EditDistance) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("length", "lenght"), 2u);
  EXPECT_EQ(EditDistance("same", "same"), 0u);
}

TEST(NearestName, SuggestsOnlyCloseNames) {
  const std::vector<std::string> attrs = {"cidr_block", "enable_dns_support", "enable_dns_hostnames", "tags"};
  EXPECT_EQ(NearestName("cidr_blok", attrs), "cidr_block");
  EXPECT_EQ(NearestName("enable_dns_hostname", attrs), "enable_dns_hostnames");
  EXPECT_EQ(NearestName("tag", attrs), "tags");
  EXPECT_EQ(NearestName("TAGS", attrs), "tags");  // case-only difference
  EXPECT_EQ(NearestName("versioning", attrs), "");
  EXPECT_EQ(NearestName("x", {"ab"}), "");  // would replace the whole name
  EXPECT_EQ(NearestName("anything", {}), "");
  EXPECT_EQ(NearestName("tags", attrs), "tags");
}

TEST(NearestName, PicksTheClosestThenTheFirst) {
  EXPECT_EQ(NearestName("abcd", {"abxy", "abcx"}), "abcx");
  EXPECT_EQ(NearestName("abcd", {"abcx", "abcy"}), "abcx");
}

}  // namespace
}  // namespace infra::engine
