// aws_ecr_lifecycle_policy: the lifecycle policy of one repository (the id
// is the repository name). The policy is a JSON document (a YAML map or a
// JSON string) compared semantically; a change puts it again.
#include <memory>

#include "providers/aws/ecr/ecr_types.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

kit::Spec LifecyclePolicySpec() {
  provider::ResourceSchema s;
  s.type = "aws_ecr_lifecycle_policy";
  s.service = "ecr";
  s.taggable = false;
  s.attributes = {
      Required("repository", kForceNew),
      Compared(Required("policy", kNone, AttrType::kAny), provider::Equality::kJsonDocument),
      Computed("id"),
      Computed("registry_id"),
  };
  kit::Spec spec{std::move(s), ecr::Service(), {
      {"repository", "repositoryName"},
      {"policy", "lifecyclePolicyText", "", kit::Conv::kJsonDocument},
      {"registry_id", "", "registryId", kit::Conv::kString, kit::kRead},
  }, {"PutLifecyclePolicy", "repositoryName"}};
  spec.updates = {{{"policy"}, "PutLifecyclePolicy"}};
  spec.del = {"DeleteLifecyclePolicy", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetLifecyclePolicy", "", ""};
  spec.adopt = {kit::Adoption::Kind::kById};
  spec.json.id_member = "repositoryName";
  spec.json.hooks.id_of = [](const Attributes& desired, const nlohmann::json&) {
    return kit::AttrText(desired, "repository");
  };
  return spec;
}

}  // namespace

void AddEcrLifecyclePolicyTypes(TypeRegistry& p) {
  p.Add(std::make_unique<kit::JsonSpecType>(p.client(), LifecyclePolicySpec()));
}

}  // namespace infra::aws
