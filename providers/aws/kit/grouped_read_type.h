// GroupedReadType: a JsonSpecType whose describe call needs more than
// {id_param: [ids]}: ECS DescribeServices names the cluster of its (up to 10)
// services and asks include=[TAGS]; DescribeClusters include=[SETTINGS,TAGS];
// Application Auto Scaling names the service namespace. The type says which
// bodies read a set of ids and which ids a reply item answers to; reads,
// inline tags and adoption by id follow from the spec as in JsonSpecType.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "providers/aws/kit/json_spec_type.h"

namespace infra::aws::kit {

struct GroupedRead {
  /// The describe bodies (spec.read.action) that together read `ids`:
  /// chunked and grouped by parent as the API wants.
  std::function<std::vector<nlohmann::json>(const std::vector<std::string>& ids)> bodies;
  /// The ids a reply item (at spec.read.items) answers to (an ECS cluster:
  /// its ARN and its name); an asked id among them gets the item.
  std::function<std::vector<std::string>(const nlohmann::json& item)> item_ids;
  /// The id an object made for `desired` would have, looked up before a
  /// repeated create ("" = no adoption). A tagged type's object must carry
  /// the address's infra:* tags.
  std::function<std::string(const provider::Attributes& desired)> adopt_id = nullptr;
};

class GroupedReadType : public JsonSpecType {
 public:
  GroupedReadType(std::shared_ptr<AwsClient> client, Spec spec, GroupedRead read);

  /// Every body of GroupedRead::bodies (pages followed); items matched to
  /// the asked ids; tags inline (JsonTagging::read_member of the item) or
  /// by JsonTagging::list_action.
  Result<std::map<std::string, provider::Attributes>> Read(const std::string& region,
                                                           const std::vector<std::string>& ids) override;
  /// GroupedRead::adopt_id read back, kept only when its infra:* tags are
  /// this address's (a tagged type) and not in ctx.exclude_ids.
  Result<std::optional<provider::Attributes>> FindByAddress(const provider::OperationContext& ctx,
                                                            const provider::Attributes& desired) override;

 protected:
  struct Found {
    provider::Attributes attributes;
    std::map<std::string, std::string> tags;  // infra:* included
    nlohmann::json item;                      // as the API returned it
  };
  /// The objects of `ids` found, keyed by the asked id.
  Result<std::map<std::string, Found>> ReadFound(const std::string& region, const std::vector<std::string>& ids);

 private:
  GroupedRead grouped_;
};

/// `ids` in chunks of at most `max` (the last one shorter).
std::vector<std::vector<std::string>> Chunks(const std::vector<std::string>& ids, size_t max);

/// GroupedRead::bodies for ids under a parent (services in a cluster,
/// targets in a namespace): `split` gives an id's (parent, member); each
/// parent's members, in chunks of `max`, make one body by `body`.
std::vector<nlohmann::json> BodiesByParent(
    const std::vector<std::string>& ids, size_t max,
    const std::function<std::pair<std::string, std::string>(const std::string& id)>& split,
    const std::function<nlohmann::json(const std::string& parent, const std::vector<std::string>& members)>& body);

}  // namespace infra::aws::kit
