// Requirements across resources (provider::StackRequirement), checked on a
// normal plan's planned values: S3 replication whose bucket has no
// versioning is refused here, with the stack location, not by AWS at apply.
// A requirement met also orders the resource after the one that meets it.
#pragma once
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "engine/plan/plan.h"
#include "engine/plan/state_port.h"

namespace infra::provider {
class Provider;
}

namespace infra::engine {

/// Checks every in-scope, non-deleting change of `changes` against its
/// type's requirements. Error RequirementNotMet names each unmet one (stack
/// location, address, the path and value, what would meet it). On success
/// the addresses that meet a requirement are added to the requiring
/// change's depends_on (unless that would make a direct cycle).
/// `config` gives the stack locations; `in_scope` the changes planned (not
/// left alone by --region/--target).
Status CheckStackRequirements(const provider::Provider& provider,
                              const std::unordered_map<std::string, const ConfigResource*>& config,
                              const std::function<bool(const ResourceChange&)>& in_scope,
                              std::vector<ResourceChange>* changes);

/// The object named by a value: an ARN's resource part ("arn:aws:s3:::b" ->
/// "b"), anything else as it is.
std::string NamedObject(const std::string& value);

}  // namespace infra::engine
