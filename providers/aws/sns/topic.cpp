// aws_sns_topic: a topic with its policy (a JSON document compared as one;
// AWS writes a default when none is given), KMS key, display name and tags.
// The id is the ARN. SNS keeps everything in an attribute map (entry
// key/value) set one attribute a call; tags are written by ResourceArn and
// read by ListTagsForResource. GetTopicAttributes has no batch: a refresh
// of many topics fans the per-topic reads out over a few threads.
#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "providers/aws/kit/generated_name.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/spec_type.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/sdk/xml_reader.h"
#include "providers/aws/sns/sns_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

// Attribute <-> SNS topic attribute name; all sent and read as text.
const std::vector<std::pair<std::string, std::string>> kAttributes = {
    {"policy", "Policy"}, {"kms_master_key_id", "KmsMasterKeyId"}, {"display_name", "DisplayName"},
    {"delivery_policy", "DeliveryPolicy"}, {"fifo_topic", "FifoTopic"}};

std::string Wire(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.is_null() ? std::string() : v.dump();  // a document written as a YAML map
}

class TopicType : public kit::SpecType {
 public:
  using kit::SpecType::SpecType;
  /// Per-topic reads, fanned out over up to 8 threads.
  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    if (ids.size() < 2) return SpecType::Read(region, ids);
    std::map<std::string, Attributes> out;
    std::mutex mu;
    Status failed;
    std::atomic<size_t> next{0};
    auto work = [&] {
      for (size_t i = next++; i < ids.size(); i = next++) {
        auto got = SpecType::Read(region, {ids[i]});
        std::lock_guard lock(mu);
        if (!got.ok()) failed = got.error();
        else out.merge(*got);
      }
    };
    std::vector<std::thread> threads;
    for (size_t i = 1; i < std::min<size_t>(8, ids.size()); ++i) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    if (!failed.ok()) return failed.error();
    return out;
  }
};

kit::Spec TopicSpec() {
  provider::ResourceSchema s;
  s.type = "aws_sns_topic";
  s.service = "sns";
  s.attributes = {
      OptionalComputed("name", kForceNew),
      Optional("name_prefix", kForceNew),
      Compared(OptionalComputed("policy", kNone, AttrType::kAny), provider::Equality::kJsonDocument),
      Compared(Optional("delivery_policy", kNone, AttrType::kAny), provider::Equality::kJsonDocument),
      Optional("kms_master_key_id"),
      Optional("display_name"),
      Optional("fifo_topic", kForceNew, AttrType::kBool, false),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("owner"),
  };
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"name", "name_prefix"}}};
  kit::Service svc{"sns", kit::Protocol::kQuery, {kit::Tagging::Style::kMemberTags, "", "TagResource", "UntagResource"}};
  kit::Spec spec{std::move(s), svc, {}, {"CreateTopic", "CreateTopicResult/TopicArn", false, /*idempotent=*/true}};
  spec.updates = {{{"policy", "delivery_policy", "kms_master_key_id", "display_name"}, "", {}, {}, {}, "",
                   [](const kit::Call& call, const std::string& region, const std::string& id, const Attributes& prior,
                      const Attributes& desired) -> Status {
                     for (const auto& [attr, name] : kAttributes) {
                       auto was = prior.value(attr, nlohmann::json()), now = desired.value(attr, nlohmann::json());
                       if (attr == "fifo_topic" || (attr == "policy" && now.is_null()) || Wire(was) == Wire(now)) continue;
                       auto r = call(region, "SetTopicAttributes",
                                     {{"TopicArn", id}, {"AttributeName", name}, {"AttributeValue", Wire(now)}});
                       if (!r.ok()) return r.error();
                     }
                     return {};
                   }}};
  spec.del = {"DeleteTopic", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetTopicAttributes", "", "GetTopicAttributesResult/Attributes"};
  spec.adopt = {kit::Adoption::Kind::kNone};  // CreateTopic of an existing name returns it
  spec.hooks.id_params = [](const std::string& id) { return QueryParams{{"ResourceArn", id}}; };  // tag calls
  spec.hooks.read_params = [](const std::string& id) { return QueryParams{{"TopicArn", id}}; };
  spec.hooks.delete_params = [](const Attributes& prior) { return QueryParams{{"TopicArn", kit::AttrText(prior, "id")}}; };
  spec.hooks.create_params = [](const provider::OperationContext& ctx, const Attributes& desired, QueryParams& p) {
    p.emplace_back("Name", kit::NameOrPrefixed(desired, ctx));
    int n = 0;
    for (const auto& [attr, name] : kAttributes) {
      std::string v = Wire(desired.value(attr, nlohmann::json()));
      if (v.empty() || v == "false") continue;
      ++n;
      p.emplace_back("Attributes.entry." + std::to_string(n) + ".key", name);
      p.emplace_back("Attributes.entry." + std::to_string(n) + ".value", v);
    }
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    std::map<std::string, std::string> got;
    for (pugi::xml_node e : item.children("entry")) got[XmlText(e, "key")] = XmlText(e, "value");
    for (const auto& [attr, name] : kAttributes) {
      auto it = got.find(name);
      a[attr] = it == got.end() || it->second.empty() ? nlohmann::json() : nlohmann::json(it->second);
    }
    a["fifo_topic"] = got["FifoTopic"] == "true";
    a["arn"] = a["id"];
    a["owner"] = got["Owner"];
    std::string arn = kit::AttrText(a, "id");
    a["name"] = arn.substr(arn.rfind(':') + 1);
  };
  spec.hooks.enrich = [](const kit::Call& call, const std::string& region, std::map<std::string, Attributes>& found) {
    for (auto& [id, a] : found) {
      auto r = call(region, "ListTagsForResource", {{"ResourceArn", id}});
      if (!r.ok()) return Status(r.error());
      a["tags"] = kit::ReadUserTags(XmlPath(r->root, "ListTagsForResourceResult"), kit::Protocol::kQuery);
    }
    return Status();
  };
  return spec;
}

}  // namespace

void AddSnsTopicTypes(TypeRegistry& p) { p.Add(std::make_unique<TopicType>(p.client(), TopicSpec())); }

}  // namespace infra::aws
