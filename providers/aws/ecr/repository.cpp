// aws_ecr_repository: an image repository. image_tag_mutability and
// image_scanning_configuration change in place; encryption_configuration
// only at create. force_delete is an instruction (delete with its images),
// never read. Reads batch DescribeRepositories by up to 100 names (one
// missing name fails the call: the kit then reads one name at a time).
#include <memory>

#include "providers/aws/ecr/ecr_types.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/lookup_data_source.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;

kit::Spec RepositorySpec() {
  provider::ResourceSchema s;
  s.type = "aws_ecr_repository";
  s.service = "ecr";
  s.attributes = {
      Required("name", kForceNew),
      OneOf(Optional("image_tag_mutability", kNone, AttrType::kString, "MUTABLE"), {"MUTABLE", "IMMUTABLE"}),
      Block("image_scanning_configuration", AttrMode::kOptionalComputed,
            {Required("scan_on_push", kNone, AttrType::kBool)}),
      Block("encryption_configuration", AttrMode::kOptionalComputed,
            {OneOf(Optional("encryption_type", kForceNew, AttrType::kString, "AES256"), {"AES256", "KMS"}),
             OptionalComputed("kms_key", kForceNew)},
            kForceNew),
      Optional("force_delete", kNone, AttrType::kBool),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("registry_id"),
      Computed("repository_url"),
  };
  kit::Spec spec{std::move(s), ecr::Service(), {
      {"name", "repositoryName"},
      {"image_tag_mutability", "imageTagMutability"},
      {"image_scanning_configuration.scan_on_push", "imageScanningConfiguration.scanOnPush", "", kit::Conv::kBool},
      {"encryption_configuration.encryption_type", "encryptionConfiguration.encryptionType"},
      {"encryption_configuration.kms_key", "encryptionConfiguration.kmsKey"},
      {"arn", "", "repositoryArn", kit::Conv::kString, kit::kRead},
      {"registry_id", "", "registryId", kit::Conv::kString, kit::kRead},
      {"repository_url", "", "repositoryUri", kit::Conv::kString, kit::kRead},
  }, {"CreateRepository", "repository.repositoryName"}};
  spec.updates = {
      {{"image_tag_mutability"}, "PutImageTagMutability"},
      {{"image_scanning_configuration"}, "PutImageScanningConfiguration"},
  };
  spec.del = {"DeleteRepository", {}};
  spec.read = {kit::ReadPolicy::Kind::kIdList, "DescribeRepositories", "repositoryNames", "repositories",
               "repositoryName"};
  spec.adopt = {kit::Adoption::Kind::kByName, "name"};
  spec.json.id_member = "repositoryName";
  spec.json.hooks.delete_body = [](const Attributes& prior, nlohmann::json& body) {
    auto force = prior.find("force_delete");
    if (force != prior.end() && force->is_boolean() && force->get<bool>()) body["force"] = true;
  };
  return spec;
}

}  // namespace

void AddEcrRepositoryTypes(TypeRegistry& p) {
  auto repo = std::make_unique<kit::JsonSpecType>(p.client(), RepositorySpec());
  // data.aws_ecr_repository: by name (the id), with the repository's attributes.
  p.AddData(std::make_unique<kit::LookupDataSource>(
      *repo, kit::LookupSpec{"aws_ecr_repository", {Required("name")}, kit::IdFromArgument("name"), {"force_delete"}}));
  p.Add(std::move(repo));
}

}  // namespace infra::aws
