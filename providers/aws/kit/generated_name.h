// Names generated for `name_prefix` (Terraform's unique-name behaviour):
// the prefix and hex digits derived from stack, address and idempotency
// token, stable for one create so a retried call asks for the same name.
#pragma once
#include <string>

#include "providers/provider.h"

namespace infra::aws::kit {

/// `prefix` plus 20 hex digits from ctx's stack, address and token.
std::string PrefixedName(const std::string& prefix, const provider::OperationContext& ctx);

/// desired `name`, else PrefixedName(desired `name_prefix`, or `fallback_prefix`).
std::string NameOrPrefixed(const provider::Attributes& desired, const provider::OperationContext& ctx,
                           const std::string& fallback_prefix = "infra-");

}  // namespace infra::aws::kit
