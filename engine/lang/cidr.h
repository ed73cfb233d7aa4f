// IPv4 CIDR parsing and arithmetic, shared by the cidrsubnet/cidrhost
// functions and schema validation of CIDR attributes. Semantics follow
// Terraform's (Go net.ParseCIDR + go-cidr). IPv6 is not supported.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace infra::engine {

/// A parsed IPv4 prefix. `address` is the network address (host bits cleared).
struct Ipv4Cidr {
  uint32_t address = 0;
  int prefix_length = 0;
  /// "10.0.0.0/16"
  std::string ToString() const;
};

/// Parses "a.b.c.d/n" (decimal octets 0..255 without leading zeros, n 0..32).
/// Host bits set ("10.0.0.1/16") are accepted and cleared, as Terraform's
/// functions do, unless `require_network_address` is true. Errors
/// (kInvalid, code "InvalidCidr") explain what is wrong, without location,
/// e.g. `"10.0.0.0/33": prefix length must be 0..32`.
Result<Ipv4Cidr> ParseIpv4Cidr(std::string_view text, bool require_network_address = false);

/// True if `text` is an IPv4 CIDR block whose host bits are zero (what AWS
/// accepts for VPC/subnet cidr_block), e.g. "10.0.0.0/16".
bool IsValidIpv4Cidr(std::string_view text);

/// Dotted-quad form of an address.
std::string FormatIpv4(uint32_t address);

/// Terraform cidrsubnet: the `netnum`-th subnet of `prefix` extended by
/// `newbits`. Errors mirror Terraform's ("insufficient address space ...").
Result<std::string> CidrSubnet(std::string_view prefix, long long newbits, long long netnum);

/// Terraform cidrhost: address number `hostnum` in `prefix`; negative numbers
/// count back from the end (-1 is the last address).
Result<std::string> CidrHost(std::string_view prefix, long long hostnum);

}  // namespace infra::engine
