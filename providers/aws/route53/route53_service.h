// The Route 53 family's shared parts: the service with its tags
// (ChangeTagsForResource / ListTagsForResource by resource kind), the body
// namespace, DNS names as Route 53 compares them, ids without their
// "/hostedzone/" or "/change/" prefix, and a zone's record sets listed page
// by page (ListResourceRecordSets), which refresh, force_destroy and the
// read-back after a change share.
#pragma once
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "providers/aws/kit/json_wire.h"
#include "providers/aws/kit/spec.h"

namespace infra::aws::route53 {

inline constexpr const char* kXmlns = "https://route53.amazonaws.com/doc/2013-04-01/";

/// The Route 53 service; tags are on /2013-04-01/tags/<kind>/{ResourceId}
/// ("hostedzone", "healthcheck"), whose routes `routes` gets.
kit::Service Service(const std::string& kind, std::map<std::string, kit::RestRoute>& routes);

/// A global schema of `type` in the "route53" pool.
provider::ResourceSchema Schema(std::string type, std::vector<provider::AttributeSchema> attributes);

/// A DNS name as Route 53 compares it: octal escapes decoded ("\052" ->
/// "*"), lower case, no trailing dot.
std::string NormalName(const std::string& name);

/// "/hostedzone/Z123" -> "Z123" (the text after the last '/').
std::string ShortId(const std::string& id);

/// Visits every record set (an object of ResourceRecordSet members) of
/// `zone` from (`start_name`, `start_type`) on, `max_items` a page, until
/// `visit` returns false or the zone ends. Pages are followed by
/// NextRecordName / Type / Identifier; an emulator that never returns the
/// identifier restarts a page within a name and type, so a page that brings
/// no record not seen before ends the listing.
Status ListRecordSets(const kit::JsonCall& call, const std::string& zone, const std::string& start_name,
                      const std::string& start_type, int max_items,
                      const std::function<bool(const nlohmann::json& record_set)>& visit);

/// Of `ids` (zones or health checks, as the call's tag routes name them),
/// the first not in ctx.exclude_ids whose tags name ctx's stack and
/// address (one ListTagsForResource each); "" when none.
Result<std::string> TaggedFor(const kit::JsonCall& call, const provider::OperationContext& ctx,
                              const std::vector<std::string>& ids);

/// The routes ListRecordSets and GetChange use (on "Id").
void AddRecordRoutes(std::map<std::string, kit::RestRoute>& routes);

}  // namespace infra::aws::route53
