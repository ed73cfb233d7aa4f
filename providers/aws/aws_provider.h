// The AWS provider: a registry of resource types that each family file fills
// through its Add<Family>Types function, all sharing one AwsClient.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "providers/provider.h"

namespace infra::aws {

class AwsClient;

/// Owns the resource types; lookup by Terraform type name. Filled once at
/// construction, read-only (and so thread-safe) afterwards.
class AwsProvider : public provider::Provider {
 public:
  explicit AwsProvider(std::shared_ptr<AwsClient> client);
  ~AwsProvider() override;

  /// Registers a type; a second type with the same name replaces the first.
  void Add(std::unique_ptr<provider::ResourceType> type);
  provider::ResourceType* Find(std::string_view type) const override;
  std::vector<std::string> TypeNames() const override;
  int ServiceConcurrency(const std::string& service) const override;

  /// The client every type uses (may be null in schema-only providers).
  const std::shared_ptr<AwsClient>& client() const { return client_; }

 private:
  std::shared_ptr<AwsClient> client_;
  std::map<std::string, std::unique_ptr<provider::ResourceType>, std::less<>> types_;
};

/// A provider over an explicit client (tests pass a fake or a moto client).
std::unique_ptr<AwsProvider> NewAwsProviderWithClient(std::shared_ptr<AwsClient> client);

// Family registration, one per family file (providers/aws/<family>.cpp).
void AddVpcTypes(AwsProvider& provider);            // ec2_vpc.cpp
void AddEipNatTypes(AwsProvider& provider);         // ec2_eip_nat.cpp
void AddRouteTypes(AwsProvider& provider);          // ec2_route.cpp
void AddSecurityGroupTypes(AwsProvider& provider);  // ec2_security_group.cpp
void AddPeeringTypes(AwsProvider& provider);        // ec2_peering.cpp

}  // namespace infra::aws
