// The seam between a service family and the provider registry: a family
// file's Add<Family>Types adds its types here and takes the shared client.
#pragma once
#include <memory>

#include "providers/provider.h"

namespace infra::aws {

class AwsClient;

/// Where a service family registers its resource types (the AWS provider
/// implements it). Filled once at construction, before any lookup.
class TypeRegistry {
 public:
  virtual ~TypeRegistry() = default;
  /// Registers a type; a second type with the same name replaces the first.
  virtual void Add(std::unique_ptr<provider::ResourceType> type) = 0;
  /// Registers a data source type (`data:`); same replacement rule.
  virtual void AddData(std::unique_ptr<provider::DataSourceType> type) = 0;
  /// The client every type uses (null in schema-only providers).
  virtual const std::shared_ptr<AwsClient>& client() const = 0;
};

}  // namespace infra::aws
