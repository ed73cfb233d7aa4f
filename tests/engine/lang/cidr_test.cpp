// IPv4 CIDR parsing, validation and subnet/host arithmetic.
#include <gtest/gtest.h>

#include "engine/lang/cidr.h"

namespace infra::engine {
namespace {

TEST(Cidr, ParsesValidBlocks) {
  auto c = ParseIpv4Cidr("10.0.0.0/16");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->address, 0x0A000000u);
  EXPECT_EQ(c->prefix_length, 16);
  EXPECT_EQ(c->ToString(), "10.0.0.0/16");
  EXPECT_EQ(ParseIpv4Cidr("0.0.0.0/0")->ToString(), "0.0.0.0/0");
  EXPECT_EQ(ParseIpv4Cidr("255.255.255.255/32")->ToString(), "255.255.255.255/32");
  EXPECT_EQ(ParseIpv4Cidr("10.1.2.3/8")->ToString(), "10.0.0.0/8");  // host bits cleared
}

TEST(Cidr, ValidityForSchemas) {
  EXPECT_TRUE(IsValidIpv4Cidr("10.0.0.0/16"));
  EXPECT_TRUE(IsValidIpv4Cidr("192.168.1.128/25"));
  EXPECT_TRUE(IsValidIpv4Cidr("0.0.0.0/0"));
  for (const char* bad : {"10.0.0.1/16", "10.0.0.0", "10.0.0/16", "10.0.0.0.0/16", "256.0.0.0/8", "10.0.0.0/33",
                          "10.0.0.0/-1", "10.0.0.0/", "/16", "", "10.00.0.0/16", "10.0.0.0/016", "a.b.c.d/8",
                          " 10.0.0.0/16", "10.0.0.0/16 ", "fd00::/8", "10..0.0/16", "1000.0.0.0/8"})
    EXPECT_FALSE(IsValidIpv4Cidr(bad)) << bad;
}

TEST(Cidr, ErrorsExplain) {
  EXPECT_EQ(ParseIpv4Cidr("10.0.0.1/16", true).error().message,
            "\"10.0.0.1/16\" is not a valid IPv4 CIDR block: host bits are set; did you mean \"10.0.0.0/16\"?");
  EXPECT_EQ(ParseIpv4Cidr("10.0.0.0/33").error().message,
            "\"10.0.0.0/33\" is not a valid IPv4 CIDR block: the prefix length must be a number 0..32");
  EXPECT_EQ(ParseIpv4Cidr("10.0.0.0").error().message,
            "\"10.0.0.0\" is not a valid IPv4 CIDR block: missing \"/<prefix length>\"");
  EXPECT_EQ(ParseIpv4Cidr("10.0.0.0/8").ok(), true);
  EXPECT_EQ(ParseIpv4Cidr("x/8").error().code, "InvalidCidr");
  EXPECT_EQ(ParseIpv4Cidr("x/8").error().kind, Error::Kind::kInvalid);
}

TEST(Cidr, Subnet) {
  EXPECT_EQ(*CidrSubnet("10.0.0.0/16", 8, 2), "10.0.2.0/24");
  EXPECT_EQ(*CidrSubnet("10.0.0.0/16", 8, 255), "10.0.255.0/24");
  EXPECT_EQ(*CidrSubnet("0.0.0.0/0", 1, 1), "128.0.0.0/1");
  EXPECT_EQ(*CidrSubnet("0.0.0.0/0", 32, 4294967295LL), "255.255.255.255/32");
  EXPECT_EQ(*CidrSubnet("10.0.0.0/16", 0, 0), "10.0.0.0/16");
  EXPECT_FALSE(CidrSubnet("10.0.0.0/16", 0, 1));
  EXPECT_FALSE(CidrSubnet("10.0.0.0/16", -1, 0));
  EXPECT_FALSE(CidrSubnet("10.0.0.0/32", 1, 0));
  EXPECT_FALSE(CidrSubnet("10.0.0.0/16", 100, 0));
}

TEST(Cidr, Host) {
  EXPECT_EQ(*CidrHost("10.0.0.0/24", 1), "10.0.0.1");
  EXPECT_EQ(*CidrHost("10.0.0.0/24", 255), "10.0.0.255");
  EXPECT_EQ(*CidrHost("10.0.0.0/24", -2), "10.0.0.254");
  EXPECT_EQ(*CidrHost("0.0.0.0/0", 4294967295LL), "255.255.255.255");
  EXPECT_EQ(*CidrHost("0.0.0.0/0", -4294967296LL), "0.0.0.0");
  EXPECT_FALSE(CidrHost("0.0.0.0/0", 4294967296LL));
  EXPECT_FALSE(CidrHost("10.0.0.0/31", 2));
}

TEST(Cidr, FormatIpv4) {
  EXPECT_EQ(FormatIpv4(0), "0.0.0.0");
  EXPECT_EQ(FormatIpv4(0xC0A80101u), "192.168.1.1");
}

}  // namespace
}  // namespace infra::engine
