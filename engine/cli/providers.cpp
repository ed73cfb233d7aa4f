// NewProviders: the AWS provider first (its names win), then random and archive.
#include "engine/cli/providers.h"

#include <vector>

#include "providers/archive/archive_provider.h"
#include "providers/provider_set.h"
#include "providers/random/random_provider.h"

namespace infra::engine {

std::unique_ptr<provider::Provider> NewProviders(const aws::AwsProviderOptions& options) {
  std::vector<std::unique_ptr<provider::Provider>> all;
  all.push_back(aws::NewAwsProvider(options));
  all.push_back(random::NewRandomProvider());
  all.push_back(archive::NewArchiveProvider());
  return std::make_unique<provider::ProviderSet>(std::move(all));
}

}  // namespace infra::engine
