// LookupDataSource: a data source that finds one object of a resource type
// from its arguments and reports that type's attributes (data.aws_lb by
// name, data.aws_ecr_repository by name). The family says how arguments
// select a physical id; the resource type's batched Read does the rest.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "providers/provider.h"

namespace infra::aws::kit {

struct LookupSpec {
  std::string type;  // the data type name, "aws_lb"
  /// The query's arguments (kRequired / kOptional, with their checks). Every
  /// other attribute of the resource type is reported as computed.
  std::vector<provider::AttributeSchema> arguments;
  /// The physical id of the one object `args` select (may call AWS), or a
  /// NotFound error naming the query. Called on the engine's threads.
  std::function<Result<std::string>(const provider::OperationContext&, const provider::Attributes& args)> resolve_id;
  /// Resource attributes not reported (e.g. write-only ones); "tags" is kept.
  std::vector<std::string> omit = {};
};

/// The data source over `resource` (which must outlive it, or is owned).
/// An argument the user leaves unset reports the object's value.
class LookupDataSource : public provider::DataSourceType {
 public:
  LookupDataSource(provider::ResourceType& resource, LookupSpec spec);
  LookupDataSource(std::unique_ptr<provider::ResourceType> resource, LookupSpec spec);
  const provider::ResourceSchema& schema() const override { return schema_; }
  Result<provider::Attributes> Read(const provider::OperationContext& ctx, const provider::Attributes& args) override;

 private:
  std::unique_ptr<provider::ResourceType> owned_;
  provider::ResourceType& resource_;
  LookupSpec spec_;
  provider::ResourceSchema schema_;
};

/// A data source whose read is one function (aws_region, aws_caller_identity).
class FunctionDataSource : public provider::DataSourceType {
 public:
  using ReadFn =
      std::function<Result<provider::Attributes>(const provider::OperationContext&, const provider::Attributes&)>;
  FunctionDataSource(provider::ResourceSchema schema, ReadFn read)
      : schema_(std::move(schema)), read_(std::move(read)) {}
  const provider::ResourceSchema& schema() const override { return schema_; }
  Result<provider::Attributes> Read(const provider::OperationContext& ctx, const provider::Attributes& args) override {
    return read_(ctx, args);
  }

 private:
  provider::ResourceSchema schema_;
  ReadFn read_;
};

/// resolve_id for types whose physical id is one argument's value (an ECR
/// repository's name): that value, or an Invalid error when it is empty.
std::function<Result<std::string>(const provider::OperationContext&, const provider::Attributes&)> IdFromArgument(
    std::string argument);

}  // namespace infra::aws::kit
