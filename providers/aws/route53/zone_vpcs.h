// The VPC associations of a private hosted zone (the `vpc` blocks of
// aws_route53_zone): the first goes with CreateHostedZone; a change after
// that is made in place, AssociateVPCWithHostedZone for each VPC added
// before DisassociateVPCFromHostedZone for each removed (a private zone
// keeps at least one). Public <-> private is a replacement: Route 53 cannot
// turn one into the other.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "providers/aws/kit/json_wire.h"
#include "providers/provider.h"

namespace infra::aws::route53 {

/// The association routes (on "Id"; Route 53's element order).
void AddZoneVpcRoutes(std::map<std::string, kit::RestRoute>& routes);

/// {"vpc"} when prior and desired differ in having VPCs at all (public vs
/// private), else none.
std::vector<std::string> ZoneVpcReplacement(const provider::Attributes& prior, const provider::Attributes& desired);

/// Associates zone `zone` with the VPCs of desired's `vpc` blocks that
/// prior lacks, then disassociates those prior has and desired lacks (by
/// vpc_id; a block without vpc_region is in `region`). The ids of the
/// changes not INSYNC yet; an AWS error stops at that call.
Result<std::vector<std::string>> ChangeZoneVpcs(const kit::JsonCall& call, const std::string& zone,
                                                const std::string& region, const provider::Attributes& prior,
                                                const provider::Attributes& desired);

/// The first of `changes` (GetChange ids) not INSYNC yet, as "<id>
/// <status>"; "" when all are.
Result<std::string> ChangeNotInSync(const kit::JsonCall& call, const std::vector<std::string>& changes);

}  // namespace infra::aws::route53
