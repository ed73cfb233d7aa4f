// aws_sqs_queue: a standard or FIFO queue with its timings, redrive policy
// (a JSON document), KMS key and tags (a map: TagQueue / UntagQueue /
// ListQueueTags by the queue URL). The id is the URL, as Terraform's. SQS
// keeps the settings in a map of strings, so each numeric attribute has a
// row that writes text and one that reads a number. GetQueueAttributes
// must ask for the attributes (AttributeNames All), so this type reads on
// its own. A redrive policy or key removed from the stack stays on the queue
// (SetQueueAttributes is sent what is set).
#include <memory>

#include "providers/aws/kit/generated_name.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/json_tags.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"
#include "providers/aws/sqs/sqs_types.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrType;
using provider::Attributes;

// Attribute <-> SQS queue attribute, and how it reads.
struct QueueAttr {
  const char* attr;
  const char* name;
  kit::Conv read;
};
const QueueAttr kQueueAttrs[] = {
    {"visibility_timeout_seconds", "VisibilityTimeout", kit::Conv::kNumber},
    {"message_retention_seconds", "MessageRetentionPeriod", kit::Conv::kNumber},
    {"delay_seconds", "DelaySeconds", kit::Conv::kNumber},
    {"max_message_size", "MaximumMessageSize", kit::Conv::kNumber},
    {"receive_wait_time_seconds", "ReceiveMessageWaitTimeSeconds", kit::Conv::kNumber},
    {"redrive_policy", "RedrivePolicy", kit::Conv::kJsonDocument},
    {"kms_master_key_id", "KmsMasterKeyId", kit::Conv::kString},
    {"fifo_queue", "FifoQueue", kit::Conv::kBool},
    {"content_based_deduplication", "ContentBasedDeduplication", kit::Conv::kBool},
};

class QueueType : public kit::JsonSpecType {
 public:
  using kit::JsonSpecType::JsonSpecType;
  /// GetQueueAttributes (All) and ListQueueTags per queue.
  Result<std::map<std::string, Attributes>> Read(const std::string& region,
                                                 const std::vector<std::string>& ids) override {
    std::map<std::string, Attributes> out;
    for (const auto& url : ids) {
      auto got = call()(region, "GetQueueAttributes", {{"QueueUrl", url}, {"AttributeNames", {"All"}}});
      if (!got.ok() && kit::IsNotFound(spec().service, got.error())) continue;
      if (!got.ok()) return got.error();
      Attributes a = {{"id", url}, {"url", url}, {"name", url.substr(url.rfind('/') + 1)}};
      for (const auto& f : spec().fields)
        if (f.use & kit::kRead) kit::FromJsonWire(*got, f.path, a, f.attr, f.conv);
      for (const char* doc : {"redrive_policy", "kms_master_key_id"})
        if (a.value(doc, nlohmann::json()) == "") a[doc] = nullptr;
      for (const char* flag : {"fifo_queue", "content_based_deduplication"})
        if (!a.value(flag, nlohmann::json()).is_boolean()) a[flag] = false;
      auto tags = call()(region, "ListQueueTags", {{"QueueUrl", url}});
      if (!tags.ok()) return tags.error();
      a["tags"] = kit::UserTagsOf(kit::TagsFromJson(kit::JsonTagging::Shape::kMap, kit::JsonAt(*tags, "Tags")));
      out[url] = std::move(a);
    }
    return out;
  }
};

kit::Spec QueueSpec() {
  provider::ResourceSchema s;
  s.type = "aws_sqs_queue";
  s.service = "sqs";
  s.attributes = {
      OptionalComputed("name", kForceNew),
      Optional("name_prefix", kForceNew),
      Optional("fifo_queue", kForceNew, AttrType::kBool, false),
      Optional("content_based_deduplication", kNone, AttrType::kBool, false),
      Range(Optional("visibility_timeout_seconds", kNone, AttrType::kNumber, 30), 0, 43200),
      Range(Optional("message_retention_seconds", kNone, AttrType::kNumber, 345600), 60, 1209600),
      Range(Optional("delay_seconds", kNone, AttrType::kNumber, 0), 0, 900),
      Range(OptionalComputed("max_message_size", kNone, AttrType::kNumber), 1024, 1048576),  // AWS default: 1 MiB
      Range(Optional("receive_wait_time_seconds", kNone, AttrType::kNumber, 0), 0, 20),
      Compared(Optional("redrive_policy", kNone, AttrType::kAny), provider::Equality::kJsonDocument),
      Optional("kms_master_key_id"),
      Tags(),
      Computed("id"),
      Computed("arn"),
      Computed("url"),
  };
  s.checks = {{provider::SchemaCheck::Kind::kConflictsWith, {"name", "name_prefix"}}};
  kit::Service svc{"sqs", kit::Protocol::kJson, {kit::Tagging::Style::kTagResource, "", "TagQueue", "UntagQueue"}};
  svc.tags.json = {kit::JsonTagging::Shape::kMap, "tags", "QueueUrl", "url", "Tags", "TagKeys", "ListQueueTags", "Tags"};
  svc.not_found_codes = {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"};
  kit::Spec spec{std::move(s), svc, {{"arn", "", "Attributes.QueueArn", kit::Conv::kString, kit::kRead}},
                 {"CreateQueue", "QueueUrl"}};
  std::vector<std::string> settable;
  for (const auto& q : kQueueAttrs) {  // the read row first: an update writes both, the text row last
    std::string path = std::string("Attributes.") + q.name;
    spec.fields.push_back({q.attr, path, path, q.read, kit::kRead});
    spec.fields.push_back({q.attr, path, "-", q.read == kit::Conv::kJsonDocument ? q.read : kit::Conv::kString, kit::kCreate});
    if (std::string(q.attr).find("fifo") == std::string::npos && std::string(q.attr) != "content_based_deduplication")
      settable.push_back(q.attr);
  }
  spec.updates = {{settable, "SetQueueAttributes"}, {{"content_based_deduplication"}, "SetQueueAttributes"}};
  spec.del = {"DeleteQueue", {}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "GetQueueAttributes", "", ""};
  spec.adopt = {kit::Adoption::Kind::kNone};  // CreateQueue of an existing name and settings returns its URL
  spec.json.id_member = "QueueUrl";
  spec.json.hooks.create_body = [](const provider::OperationContext& ctx, const Attributes& desired, nlohmann::json& body) {
    std::string name = kit::NameOrPrefixed(desired, ctx);
    bool fifo = desired.value("fifo_queue", false) == true;
    if (fifo && kit::AttrText(desired, "name").empty()) name += ".fifo";
    body["QueueName"] = name;
    if (!fifo && body.contains("Attributes")) {  // FIFO-only attributes are refused on a standard queue
      body["Attributes"].erase("FifoQueue");
      body["Attributes"].erase("ContentBasedDeduplication");
    }
  };
  return spec;
}

}  // namespace

void AddSqsQueueTypes(TypeRegistry& p) { p.Add(std::make_unique<QueueType>(p.client(), QueueSpec())); }

}  // namespace infra::aws
