// What every ELBv2 type shares: the service (AWS query, tags by ARN through
// AddTags / RemoveTags / DescribeTags), generated names for name_prefix, and
// Elbv2Type, the kit's SpecType with ELBv2's tags (never inline in a
// describe: DescribeTags for 20 ARNs per call) and adoption by name or
// parent checked against the infra:* tags.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/spec.h"
#include "providers/aws/kit/spec_type.h"

namespace infra::aws::elbv2 {

/// The ELBv2 service ("elasticloadbalancing", AWS query, Tags.member at create).
kit::Service Service();

/// A regional schema in the "elasticloadbalancing" pool.
provider::ResourceSchema Schema(std::string type, std::vector<provider::AttributeSchema> attributes);

/// name (optional+computed) / name_prefix attributes, both forcing
/// replacement, and the check that at most one is set.
void AddNameAttributes(provider::ResourceSchema& s);

/// `Name` from `name`, or `name_prefix` (default "infra-") and hex digits
/// derived from stack, address and token, cut to ELBv2's 32 characters.
void AddName(QueryParams& p, const provider::OperationContext& ctx, const provider::Attributes& desired);

/// Sets `tags` (user tags only) on each resource of `found` from
/// DescribeTags, 20 ARNs per call. `infra` (optional) receives every ARN's
/// infra:address and infra:stack tag values.
Status ReadTags(const kit::Call& call, const std::string& region, std::map<std::string, provider::Attributes>& found,
                std::map<std::string, std::pair<std::string, std::string>>* infra = nullptr);

/// The describe parameters that list the candidates for adoption of a
/// desired object (by its name or its parent's ARN); no parameters list all.
using Candidates = std::function<QueryParams(const provider::Attributes& desired)>;

/// SpecType with ELBv2 tags and adoption. The spec's enrich runs after the
/// tags are read.
class Elbv2Type : public kit::SpecType {
 public:
  Elbv2Type(std::shared_ptr<AwsClient> client, kit::Spec spec, Candidates candidates);
  /// Tag changes by AddTags / RemoveTags on the ARN, then the spec's updates.
  Result<provider::ApplyResult> Update(const provider::OperationContext& ctx, const provider::Attributes& prior,
                                       const provider::Attributes& desired) override;
  /// The candidate whose infra:address and infra:stack tags are this
  /// address's (moto and a lost reply can leave a same-named twin: its tags
  /// tell them apart), read in full; nullopt when none.
  Result<std::optional<provider::Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                            const provider::Attributes& desired) override;
  /// Reads `id` and tags it infra:stack / infra:address (AddTags on the ARN).
  Result<provider::Attributes> Import(const provider::OperationContext& ctx, const std::string& id) override;

 private:
  Candidates candidates_;
};

/// An UpdateOp that runs `fn` when any of `when` changed.
kit::UpdateOp RunWhen(std::vector<std::string> when, decltype(kit::UpdateOp::run) fn);

}  // namespace infra::aws::elbv2
