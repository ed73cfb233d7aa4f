// aws_sns_topic_subscription: a topic's subscription (email, lambda, sqs,
// https...). The id is the subscription ARN. An e-mail or https endpoint
// must confirm first: until then AWS lists the subscription with the ARN
// "PendingConfirmation" and Subscribe answers "pending confirmation", so
// the id is then "<topic arn>|<protocol>|<endpoint>" and the read finds it
// by topic, protocol and endpoint: pending is a state (pending_confirmation),
// not drift and not an error. Reads list each topic's subscriptions once
// (ListSubscriptionsByTopic, paged); deleting a pending one only forgets it
// (AWS drops unconfirmed subscriptions itself).
#include <memory>

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

bool IsArn(const std::string& s) { return s.rfind("arn:", 0) == 0; }

// The topic of a subscription id: an ARN "<topic arn>:<uuid>" or a pending
// "<topic arn>|<protocol>|<endpoint>".
struct Parsed {
  std::string topic, protocol, endpoint;
};
Parsed Parse(const std::string& id) {
  if (size_t bar = id.find('|'); bar != std::string::npos) {
    size_t second = id.find('|', bar + 1);
    if (second == std::string::npos) return {id.substr(0, bar), id.substr(bar + 1), ""};
    return {id.substr(0, bar), id.substr(bar + 1, second - bar - 1), id.substr(second + 1)};
  }
  return {id.substr(0, id.rfind(':')), "", ""};
}

class SubscriptionType : public kit::SpecType {
 public:
  using kit::SpecType::SpecType;

  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    std::map<std::string, std::vector<std::string>> by_topic;
    for (const auto& id : ids) by_topic[Parse(id).topic].push_back(id);
    std::map<std::string, Attributes> out;
    for (const auto& [topic, wanted] : by_topic) {
      std::vector<pugi::xml_node> members;
      std::vector<kit::Reply> pages;
      for (std::string token;;) {
        QueryParams p = {{"TopicArn", topic}};
        if (!token.empty()) p.emplace_back("NextToken", token);
        auto r = call()(region, "ListSubscriptionsByTopic", p);
        if (!r.ok() && kit::IsNotFound(spec().service, r.error())) break;  // topic gone: so are they
        if (!r.ok()) return r.error();
        for (pugi::xml_node m : XmlItems(r->root, "ListSubscriptionsByTopicResult/Subscriptions")) members.push_back(m);
        token = XmlText(r->root, "ListSubscriptionsByTopicResult/NextToken");
        pages.push_back(std::move(*r));
        if (token.empty()) break;
      }
      for (const auto& id : wanted) {
        Parsed want = Parse(id);
        pugi::xml_node hit;
        for (pugi::xml_node m : members)  // by ARN, else (pending) by protocol and endpoint
          if (XmlText(m, "SubscriptionArn") == id ||
              (!want.protocol.empty() && XmlText(m, "Protocol") == want.protocol && XmlText(m, "Endpoint") == want.endpoint))
            hit = m;
        if (hit) out[id] = FromItem(hit, id, region);
      }
    }
    return out;
  }

  Result<provider::ApplyResult> Delete(const provider::OperationContext& ctx, const Attributes& prior) override {
    const std::string id = kit::AttrText(prior, "id");
    if (id.find('|') == std::string::npos) return SpecType::Delete(ctx, prior);
    auto now = ReadOne(ctx.region, id);  // pending: nothing to unsubscribe, unless confirmed since
    if (!now.ok() || kit::AttrText(*now, "arn").empty()) return provider::ApplyResult{prior, false};
    Attributes confirmed = prior;
    confirmed["id"] = kit::AttrText(*now, "arn");
    return SpecType::Delete(ctx, confirmed);
  }
};

kit::Spec SubscriptionSpec() {
  provider::ResourceSchema s;
  s.type = "aws_sns_topic_subscription";
  s.service = "sns";
  s.taggable = false;
  s.attributes = {
      Required("topic_arn", kForceNew),
      OneOf(Required("protocol", kForceNew),
            {"email", "email-json", "lambda", "sqs", "http", "https", "sms", "application", "firehose"}),
      Required("endpoint", kForceNew),
      Computed("id"),
      Computed("arn"),
      Computed("owner_id"),
      Computed("pending_confirmation", AttrType::kBool),
  };
  kit::Spec spec{std::move(s), kit::Service{"sns", kit::Protocol::kQuery}, {
      {"topic_arn", "TopicArn"},
      {"protocol", "Protocol"},
      {"endpoint", "Endpoint"},
      {"owner_id", "", "Owner", kit::Conv::kString, kit::kRead},
  }, {"Subscribe", "", false, /*idempotent=*/true}};  // a repeat returns the same subscription
  spec.del = {"Unsubscribe", {}};
  spec.read.id_param = "SubscriptionArn";
  spec.adopt = {kit::Adoption::Kind::kNone};
  spec.hooks.id_of = [](const Attributes& desired, pugi::xml_node reply) {
    std::string arn = XmlText(reply, "SubscribeResult/SubscriptionArn");
    if (IsArn(arn)) return arn;
    return kit::AttrText(desired, "topic_arn") + "|" + kit::AttrText(desired, "protocol") + "|" +
           kit::AttrText(desired, "endpoint");
  };
  spec.hooks.on_read = [](pugi::xml_node item, const std::string&, Attributes& a) {
    std::string arn = XmlText(item, "SubscriptionArn");
    a["pending_confirmation"] = !IsArn(arn);
    a["arn"] = IsArn(arn) ? nlohmann::json(arn) : nlohmann::json();
  };
  return spec;
}

}  // namespace

void AddSnsSubscriptionTypes(TypeRegistry& p) {
  p.Add(std::make_unique<SubscriptionType>(p.client(), SubscriptionSpec()));
}

}  // namespace infra::aws
