#include "common/result.h"

#include <gtest/gtest.h>

namespace infra {
namespace {

TEST(ResultTest, HoldsValueOrError) {
  Result<int> good = 3;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  Result<int> bad = MakeError(Error::Kind::kInvalid, "Bad", "it is bad");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "Bad");
}

TEST(ResultTest, ErrorToStringNamesServiceAndRequest) {
  Error e = MakeError(Error::Kind::kNotFound, "InvalidVpcID.NotFound", "The vpc ID 'vpc-1' does not exist");
  e.service = "ec2";
  e.operation = "DescribeVpcs";
  e.http_status = 400;
  e.request_id = "abc";
  EXPECT_EQ(e.ToString(),
            "InvalidVpcID.NotFound: The vpc ID 'vpc-1' does not exist (ec2 DescribeVpcs, HTTP 400, request id abc)");
}

}  // namespace
}  // namespace infra
