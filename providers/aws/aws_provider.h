// The AWS provider: a registry of resource types that each service family
// (providers/aws/<service>/) fills through its Add<Family>Types function, all
// sharing one AwsClient; NewAwsProvider is what the CLI composes.
#pragma once
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "providers/aws/kit/type_registry.h"
#include "providers/provider.h"

namespace infra::aws {

/// Owns the resource types; lookup by Terraform type name. Filled once at
/// construction, read-only (and so thread-safe) afterwards.
class AwsProvider : public provider::Provider, public TypeRegistry {
 public:
  explicit AwsProvider(std::shared_ptr<AwsClient> client);
  ~AwsProvider() override;

  void Add(std::unique_ptr<provider::ResourceType> type) override;
  provider::ResourceType* Find(std::string_view type) const override;
  std::vector<std::string> TypeNames() const override;
  void AddData(std::unique_ptr<provider::DataSourceType> type) override;
  provider::DataSourceType* FindData(std::string_view type) const override;
  std::vector<std::string> DataTypeNames() const override;
  int ServiceConcurrency(const std::string& service) const override;

  const std::shared_ptr<AwsClient>& client() const override { return client_; }

 private:
  std::shared_ptr<AwsClient> client_;
  std::map<std::string, std::unique_ptr<provider::ResourceType>, std::less<>> types_;
  std::map<std::string, std::unique_ptr<provider::DataSourceType>, std::less<>> data_types_;
};

/// A provider over an explicit client (tests pass a fake or a moto client).
std::unique_ptr<AwsProvider> NewAwsProviderWithClient(std::shared_ptr<AwsClient> client);

/// Options for the AWS provider (from CLI flags / environment).
struct AwsProviderOptions {
  int max_attempts = 10;
  /// The interrupt flag (aws::ClientOptions::stop): no retries after it.
  const std::atomic<bool>* stop = nullptr;
};

/// The AWS provider with every registered resource type, over a client built
/// from the environment (no network call yet).
std::unique_ptr<provider::Provider> NewAwsProvider(const AwsProviderOptions& options);

}  // namespace infra::aws
