// ProviderSet: several providers seen as one (the AWS provider and the
// built-in local ones such as random_*). A type name belongs to the first
// provider that knows it; a service's concurrency to the provider whose
// types use that service.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "providers/provider.h"

namespace infra::provider {

class ProviderSet : public Provider {
 public:
  explicit ProviderSet(std::vector<std::unique_ptr<Provider>> providers);
  ResourceType* Find(std::string_view type) const override;
  std::vector<std::string> TypeNames() const override;
  DataSourceType* FindData(std::string_view type) const override;
  std::vector<std::string> DataTypeNames() const override;
  int ServiceConcurrency(const std::string& service) const override;

 private:
  std::vector<std::unique_ptr<Provider>> providers_;
  std::map<std::string, size_t> owner_of_service_;  // service -> index in providers_
};

}  // namespace infra::provider
