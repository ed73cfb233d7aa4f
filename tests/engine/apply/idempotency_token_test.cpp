// Idempotency tokens: stable per address within one apply, different across
// applies and addresses, short enough for EC2's ClientToken.
#include "engine/apply/idempotency_token.h"

#include <gtest/gtest.h>

namespace infra::engine {
namespace {

TEST(IdempotencyTokenTest, StablePerAddressAndApply) {
  EXPECT_EQ(IdempotencyToken("s", "a", "n1"), IdempotencyToken("s", "a", "n1"));
  EXPECT_NE(IdempotencyToken("s", "a", "n1"), IdempotencyToken("s", "a", "n2"));
  EXPECT_NE(IdempotencyToken("s", "a", "n1"), IdempotencyToken("s", "b", "n1"));
  EXPECT_NE(IdempotencyToken("s", "a", "n1"), IdempotencyToken("t", "a", "n1"));
  EXPECT_EQ(IdempotencyToken("s", "a", "n1").size(), 32u);
}

TEST(IdempotencyTokenTest, NoncesAreRandomHex) {
  std::string a = NewNonce(), b = NewNonce();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
}

}  // namespace
}  // namespace infra::engine
