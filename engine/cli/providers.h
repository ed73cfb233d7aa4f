// The composition of providers every command uses: AWS, then the built-in
// local ones (random_*), as one provider::Provider.
#pragma once
#include <memory>

#include "providers/aws/aws_provider.h"
#include "providers/provider.h"

namespace infra::engine {

/// Every provider infra ships, over an AWS client built from the
/// environment (no network call yet).
std::unique_ptr<provider::Provider> NewProviders(const aws::AwsProviderOptions& options);

}  // namespace infra::engine
