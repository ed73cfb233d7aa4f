// The built-in random provider: random_password, random_string and
// random_id, made on this machine at apply (no cloud call), kept in state
// (a password encrypted), stable across plans; `keepers` or any argument
// changed makes a new value (replacement), as Terraform's random provider.
#pragma once
#include <memory>

#include "providers/provider.h"

namespace infra::random {

/// The provider of the random_* types (no network, no credentials).
std::unique_ptr<provider::Provider> NewRandomProvider();

}  // namespace infra::random
