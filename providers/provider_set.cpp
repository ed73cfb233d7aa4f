// ProviderSet: lookups go to each member in order; name lists are merged
// and sorted.
#include "providers/provider_set.h"

#include <algorithm>

namespace infra::provider {

ProviderSet::ProviderSet(std::vector<std::unique_ptr<Provider>> providers) : providers_(std::move(providers)) {
  for (size_t i = 0; i < providers_.size(); ++i)
    for (const auto& name : providers_[i]->TypeNames())
      if (const ResourceType* t = providers_[i]->Find(name)) owner_of_service_.emplace(t->schema().service, i);
}

ResourceType* ProviderSet::Find(std::string_view type) const {
  for (const auto& p : providers_)
    if (ResourceType* t = p->Find(type)) return t;
  return nullptr;
}

DataSourceType* ProviderSet::FindData(std::string_view type) const {
  for (const auto& p : providers_)
    if (DataSourceType* t = p->FindData(type)) return t;
  return nullptr;
}

namespace {
std::vector<std::string> Merged(const std::vector<std::unique_ptr<Provider>>& providers, bool data) {
  std::vector<std::string> out;
  for (const auto& p : providers) {
    auto names = data ? p->DataTypeNames() : p->TypeNames();
    out.insert(out.end(), names.begin(), names.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}
}  // namespace

std::vector<std::string> ProviderSet::TypeNames() const { return Merged(providers_, false); }
std::vector<std::string> ProviderSet::DataTypeNames() const { return Merged(providers_, true); }

int ProviderSet::ServiceConcurrency(const std::string& service) const {
  auto it = owner_of_service_.find(service);
  if (it != owner_of_service_.end()) return providers_[it->second]->ServiceConcurrency(service);
  return providers_.empty() ? 32 : providers_.front()->ServiceConcurrency(service);
}

}  // namespace infra::provider
