// IPv4 CIDR arithmetic on 32-bit integers (64-bit where a count can reach
// 2^32). Error texts follow Terraform's so users recognise them.
#include "engine/lang/cidr.h"

#include <fmt/format.h>

namespace infra::engine {

namespace {

Error CidrError(std::string_view text, const std::string& why) {
  return MakeError(Error::Kind::kInvalid, "InvalidCidr", fmt::format("\"{}\" is not a valid IPv4 CIDR block: {}", text, why));
}

// Parses a decimal number without sign or leading zeros; false if malformed.
bool ParseDecimal(std::string_view s, unsigned max, unsigned* out) {
  if (s.empty() || s.size() > 3 || (s.size() > 1 && s[0] == '0')) return false;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

uint32_t Mask(int prefix_length) {
  return prefix_length == 0 ? 0u : ~uint32_t{0} << (32 - prefix_length);
}

}  // namespace

std::string FormatIpv4(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

std::string Ipv4Cidr::ToString() const { return fmt::format("{}/{}", FormatIpv4(address), prefix_length); }

Result<Ipv4Cidr> ParseIpv4Cidr(std::string_view text, bool require_network_address) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return CidrError(text, "missing \"/<prefix length>\"");
  if (text.find(':') != std::string_view::npos) return CidrError(text, "IPv6 is not supported");
  std::string_view addr = text.substr(0, slash);
  uint32_t address = 0;
  int octets = 0;
  size_t start = 0;
  while (true) {
    size_t dot = addr.find('.', start);
    std::string_view part = addr.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    unsigned v = 0;
    if (octets == 4 || !ParseDecimal(part, 255, &v))
      return CidrError(text, "the address must be four decimal numbers 0..255 separated by dots");
    address = (address << 8) | v;
    ++octets;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (octets != 4) return CidrError(text, "the address must be four decimal numbers 0..255 separated by dots");
  unsigned prefix = 0;
  if (!ParseDecimal(text.substr(slash + 1), 32, &prefix)) return CidrError(text, "the prefix length must be a number 0..32");
  Ipv4Cidr cidr{address & Mask(static_cast<int>(prefix)), static_cast<int>(prefix)};
  if (require_network_address && cidr.address != address)
    return CidrError(text, fmt::format("host bits are set; did you mean \"{}\"?", cidr.ToString()));
  return cidr;
}

bool IsValidIpv4Cidr(std::string_view text) { return ParseIpv4Cidr(text, true).ok(); }

Result<std::string> CidrSubnet(std::string_view prefix, long long newbits, long long netnum) {
  auto parsed = ParseIpv4Cidr(prefix);
  if (!parsed) return parsed.error();
  const int old_len = parsed->prefix_length;
  if (newbits < 0) return MakeError(Error::Kind::kInvalid, "InvalidCidr", "newbits must not be negative");
  if (old_len + newbits > 32)
    return MakeError(Error::Kind::kInvalid, "InvalidCidr",
                     fmt::format("insufficient address space to extend prefix of {} by {}", old_len, newbits));
  const int new_len = old_len + static_cast<int>(newbits);
  if (netnum < 0 || (newbits < 63 && netnum >= (1LL << newbits)))
    return MakeError(Error::Kind::kInvalid, "InvalidCidr",
                     fmt::format("prefix extension of {} does not accommodate a subnet numbered {}", newbits, netnum));
  uint32_t address = parsed->address;
  if (newbits > 0) address |= static_cast<uint32_t>(netnum) << (32 - new_len);
  return Ipv4Cidr{address, new_len}.ToString();
}

Result<std::string> CidrHost(std::string_view prefix, long long hostnum) {
  auto parsed = ParseIpv4Cidr(prefix);
  if (!parsed) return parsed.error();
  const int host_bits = 32 - parsed->prefix_length;
  const long long size = 1LL << host_bits;
  long long n = hostnum < 0 ? size + hostnum : hostnum;
  if (n < 0 || n >= size)
    return MakeError(Error::Kind::kInvalid, "InvalidCidr",
                     fmt::format("prefix of {} does not accommodate a host numbered {}", parsed->prefix_length, hostnum));
  return FormatIpv4(parsed->address + static_cast<uint32_t>(n));
}

}  // namespace infra::engine
