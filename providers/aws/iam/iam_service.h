// What every IAM type shares: the service (AWS query, global, Tags.member
// tags), generated names for name_prefix, and the policy-document schema
// attribute (a JSON string or a YAML map, compared as a document).
#pragma once
#include <string>

#include "providers/aws/kit/spec.h"
#include "providers/aws/kit/schema_builder.h"

namespace infra::aws::iam {

/// The IAM service with `tag_action` / `untag_action` for a taggable type
/// ("TagRole" / "UntagRole"), none for an untaggable one.
kit::Service Service(std::string tag_action = {}, std::string untag_action = {});

/// A schema whose type is global and in the "iam" pool.
provider::ResourceSchema Schema(std::string type, std::vector<provider::AttributeSchema> attributes);

/// A policy document attribute (`assume_role_policy`, `policy`).
provider::AttributeSchema Document(std::string name, unsigned flags = schema::kNone);

/// The name of a resource created with `name_prefix` and no `name`: the
/// prefix and 20 hex digits derived from stack, address and token (stable
/// for one create, so a retried call asks for the same name).
std::string PrefixedName(const std::string& prefix, const provider::OperationContext& ctx);

/// name / name_prefix attributes and the check that at most one is set.
void AddNameAttributes(provider::ResourceSchema& s);

/// The name a create asks for: `name`, or one made from `name_prefix`
/// ("infra-" when neither is set); the same for a create repeated with the
/// same token, so crash recovery looks up the name the create used.
std::string NameOf(const provider::OperationContext& ctx, const provider::Attributes& desired);

/// Fills `name_param` from NameOf.
void AddName(QueryParams& p, const std::string& name_param, const provider::OperationContext& ctx,
             const provider::Attributes& desired);

/// Crash recovery of a type whose id is an ARN AWS makes (a policy, an OIDC
/// provider): whether `arn` (read by `action` with `param` = arn, the item
/// at `item`) carries ctx's infra:stack / infra:address tags, as the create
/// sent them. An object of that name without them is not ours.
Result<bool> TaggedAsOurs(const kit::Call& call, const provider::OperationContext& ctx, const std::string& action,
                          const std::string& param, const std::string& arn, const std::string& item);

}  // namespace infra::aws::iam
