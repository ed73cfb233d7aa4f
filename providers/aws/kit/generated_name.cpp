// Generated names (see generated_name.h).
#include "providers/aws/kit/generated_name.h"

#include <fmt/format.h>

#include <cstdint>

namespace infra::aws::kit {

std::string PrefixedName(const std::string& prefix, const provider::OperationContext& ctx) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a: the same on every build and platform
  for (char c : ctx.stack + "\n" + ctx.address + "\n" + ctx.token) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return fmt::format("{}{:016x}{:04x}", prefix, h, static_cast<unsigned>(h >> 48));
}

std::string NameOrPrefixed(const provider::Attributes& desired, const provider::OperationContext& ctx,
                           const std::string& fallback_prefix) {
  auto text = [&](const char* key) {
    auto it = desired.find(key);
    return it != desired.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string name = text("name"), prefix = text("name_prefix");
  return name.empty() ? PrefixedName(prefix.empty() ? fallback_prefix : prefix, ctx) : name;
}

}  // namespace infra::aws::kit
