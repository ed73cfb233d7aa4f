// aws_dynamodb_table: a table (keys, attributes, billing, streams, SSE,
// point-in-time recovery, TTL, tags) and its replicas (global tables
// 2019.11.21: UpdateTable ReplicaUpdates once the table is ACTIVE, removed
// before the delete). The id is the name; DescribeTable per table (no batch
// API) plus DescribeContinuousBackups, DescribeTimeToLive, ListTagsOfResource.
#include <memory>
#include <mutex>
#include <set>

#include "providers/aws/dynamodb/dynamodb_types.h"
#include "providers/aws/kit/json_spec_type.h"
#include "providers/aws/kit/schema_builder.h"
#include "providers/aws/kit/type_registry.h"

namespace infra::aws {
namespace {

using namespace schema;
using provider::AttrMode;
using provider::AttrType;
using provider::Attributes;
using provider::OperationContext;
using K = kit::Conv;

nlohmann::json Get(const Attributes& a, const std::string& k) { return a.is_object() && a.contains(k) ? a[k] : nullptr; }
// A block's `enabled` (a TTL block without it is on, as Terraform's default).
bool Enabled(const Attributes& a, const std::string& block) {
  auto b = Get(a, block);
  return b.is_object() && (b.contains("enabled") && !b["enabled"].is_null() ? b["enabled"] == true : block == "ttl");
}
std::set<std::string> Regions(const Attributes& a) {
  std::set<std::string> out;
  if (Get(a, "replica").is_array()) for (const auto& r : a["replica"]) out.insert(r.value("region_name", ""));
  return out;
}

class TableType : public kit::JsonSpecType {
 public:
  using JsonSpecType::JsonSpecType;

  Result<std::map<std::string, Attributes>> Read(const std::string& region, const std::vector<std::string>& ids) override {
    auto got = JsonSpecType::Read(region, ids);
    if (!got.ok()) return got;
    for (auto& [name, a] : *got) {
      auto pitr = call()(region, "DescribeContinuousBackups", {{"TableName", name}});
      if (!pitr.ok()) return pitr.error();
      auto status = kit::JsonAt(*pitr, "ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus");
      a["point_in_time_recovery"] = {{"enabled", status == "ENABLED"}};
      auto ttl = call()(region, "DescribeTimeToLive", {{"TableName", name}});
      if (!ttl.ok()) return ttl.error();
      auto t = kit::JsonAt(*ttl, "TimeToLiveDescription");
      bool on = t.value("TimeToLiveStatus", "") == "ENABLED";
      a["ttl"] = on ? nlohmann::json{{"attribute_name", t.value("AttributeName", "")}, {"enabled", true}} : nullptr;
    }
    return got;
  }

  Result<provider::ApplyResult> Update(const OperationContext& ctx, const Attributes& prior,
                                       const Attributes& desired) override {
    if (auto st = Extras(call(), ctx.region, kit::AttrText(prior, "id"), prior, desired); !st.ok()) return st.error();
    return JsonSpecType::Update(ctx, prior, desired);
  }

  // Recovery, TTL and replicas need the table ACTIVE: set when the create's
  // wait first sees it so (the attributes polled are still the desired
  // ones then), then waited for in turn.
  Result<provider::PollResult> Poll(const OperationContext& ctx, const Attributes& current,
                                    provider::Phase phase) override {
    auto r = JsonSpecType::Poll(ctx, current, phase);
    if (!r.ok() || phase != provider::Phase::kCreate || r->status != provider::PollStatus::kReady) return r;
    {
      std::lock_guard lock(mu_);
      if (!extras_done_.insert(kit::AttrText(current, "id")).second) return r;
    }
    if (auto st = Extras(call(), ctx.region, kit::AttrText(current, "id"), r->attributes, current); !st.ok())
      return st.error();
    return provider::PollResult{provider::PollStatus::kPending, current, "setting recovery, TTL, replicas",
                                std::chrono::seconds(1)};
  }

  Result<provider::ApplyResult> Delete(const OperationContext& ctx, const Attributes& prior) override {
    for (const auto& region : Regions(prior))
      if (auto st = Replica(call(), ctx.region, kit::AttrText(prior, "id"), "Delete", region); !st.ok() &&
          !IsNotFound(spec_.service, st.error()))
        return st.error();
    return JsonSpecType::Delete(ctx, prior);
  }

  // Point-in-time recovery, TTL and replicas from prior to desired.
  static Status Extras(const kit::JsonCall& call, const std::string& region, const std::string& name,
                       const Attributes& prior, const Attributes& desired) {
    bool pitr = Enabled(desired, "point_in_time_recovery");
    nlohmann::json spec = {{"TableName", name}, {"PointInTimeRecoverySpecification", {{"PointInTimeRecoveryEnabled", pitr}}}};
    if (Enabled(prior, "point_in_time_recovery") != pitr)
      if (auto r = call(region, "UpdateContinuousBackups", spec); !r.ok()) return r.error();
    auto ttl_before = Get(prior, "ttl"), ttl_after = Get(desired, "ttl");
    if (Enabled(prior, "ttl") != Enabled(desired, "ttl") ||
        kit::AttrText(ttl_before, "attribute_name") != kit::AttrText(ttl_after, "attribute_name")) {
      const auto& which = Enabled(desired, "ttl") ? ttl_after : ttl_before;
      if (!kit::AttrText(which, "attribute_name").empty())
        if (auto r = call(region, "UpdateTimeToLive", {{"TableName", name}, {"TimeToLiveSpecification",
                          {{"AttributeName", kit::AttrText(which, "attribute_name")}, {"Enabled", Enabled(desired, "ttl")}}}});
            !r.ok())
          return r.error();
    }
    auto before = Regions(prior), after = Regions(desired);
    for (const auto& r : before)
      if (!after.count(r))
        if (auto st = Replica(call, region, name, "Delete", r); !st.ok()) return st;
    for (const auto& r : after)
      if (!before.count(r))
        if (auto st = Replica(call, region, name, "Create", r); !st.ok()) return st;
    return {};
  }

 private:
  std::mutex mu_;
  std::set<std::string> extras_done_;  // tables whose create set the extras
  static Status Replica(const kit::JsonCall& call, const std::string& region, const std::string& name,
                        const char* verb, const std::string& replica) {
    auto r = call(region, "UpdateTable",
                  {{"TableName", name}, {"ReplicaUpdates", {{{verb, {{"RegionName", replica}}}}}}});
    return r.ok() ? Status() : Status(r.error());
  }
};

kit::Spec TableSpec() {
  provider::ResourceSchema s;
  s.type = "aws_dynamodb_table";
  s.service = "dynamodb";
  s.attributes = {
      Required("name", kForceNew),
      Required("hash_key", kForceNew),
      Optional("range_key", kForceNew),
      Compared(Blocks("attribute", AttrMode::kRequired,
                      {Required("name"), OneOf(Required("type"), {"S", "N", "B"})}),
               provider::Equality::kSet),
      OneOf(Optional("billing_mode", kNone, AttrType::kString, "PROVISIONED"), {"PROVISIONED", "PAY_PER_REQUEST"}),
      OptionalComputed("read_capacity", kNone, AttrType::kNumber),
      OptionalComputed("write_capacity", kNone, AttrType::kNumber),
      Optional("stream_enabled", kNone, AttrType::kBool),
      OptionalComputed("stream_view_type"),
      Block("server_side_encryption", AttrMode::kOptionalComputed,
            {Required("enabled", kNone, AttrType::kBool), OptionalComputed("kms_key_arn")}),
      Block("point_in_time_recovery", AttrMode::kOptionalComputed, {Required("enabled", kNone, AttrType::kBool)}),
      Block("ttl", AttrMode::kOptional, {Required("attribute_name"), OptionalComputed("enabled", kNone, AttrType::kBool)}),
      Compared(Blocks("replica", AttrMode::kOptional, {Required("region_name")}), provider::Equality::kSet),
      Tags(),
      Computed("id"), Computed("arn"), Computed("stream_arn"), Computed("status"),
  };
  kit::Service svc{"dynamodb", kit::Protocol::kJson,
                   {kit::Tagging::Style::kTagResource, "", "TagResource", "UntagResource"}, {}};
  svc.tags.json = {kit::JsonTagging::Shape::kKeyValueUpper, "Tags", "ResourceArn", "arn", "Tags", "TagKeys",
                   "ListTagsOfResource", "Tags"};
  kit::Spec spec{std::move(s), svc, {
      {"name", "TableName"},
      {"attribute[].name", "AttributeDefinitions[].AttributeName"},
      {"attribute[].type", "AttributeDefinitions[].AttributeType"},
      {"billing_mode", "BillingMode", "BillingModeSummary.BillingMode"},
      {"read_capacity", "ProvisionedThroughput.ReadCapacityUnits", "", K::kNumber},
      {"write_capacity", "ProvisionedThroughput.WriteCapacityUnits", "", K::kNumber},
      {"stream_enabled", "StreamSpecification.StreamEnabled", "", K::kBool},
      {"stream_view_type", "StreamSpecification.StreamViewType"},
      {"server_side_encryption.enabled", "SSESpecification.Enabled", "-", K::kBool},  // on_read: SSEDescription
      {"server_side_encryption.kms_key_arn", "SSESpecification.KMSMasterKeyId", "SSEDescription.KMSMasterKeyArn"},
      {"replica[].region_name", "", "Replicas[].RegionName", K::kString, kit::kRead},  // after_create
      {"arn", "", "TableArn", K::kString, kit::kRead},
      {"stream_arn", "", "LatestStreamArn", K::kString, kit::kRead},
      {"status", "", "TableStatus", K::kString, kit::kRead},
  }, {"CreateTable", "TableDescription.TableName"}};
  spec.updates = {{{"billing_mode", "read_capacity", "write_capacity"}, "UpdateTable"},
                  {{"stream_enabled", "stream_view_type"}, "UpdateTable"}};
  spec.del = {"DeleteTable", {"ResourceInUseException"}};
  spec.read = {kit::ReadPolicy::Kind::kPerId, "DescribeTable", "TableName", "Table"};
  spec.wait = kit::Wait{"status", {"ACTIVE"}, {"CREATING", "UPDATING"}, std::chrono::seconds(5)};
  spec.adopt = {kit::Adoption::Kind::kByName, "name"};
  spec.json.id_member = "TableName";
  spec.json.hooks.create_body = [](const OperationContext&, const Attributes& desired, nlohmann::json& body) {
    body["KeySchema"] = {{{"AttributeName", kit::AttrText(desired, "hash_key")}, {"KeyType", "HASH"}}};
    if (!kit::AttrText(desired, "range_key").empty())
      body["KeySchema"].push_back({{"AttributeName", kit::AttrText(desired, "range_key")}, {"KeyType", "RANGE"}});
    if (body.value("BillingMode", "") == "PAY_PER_REQUEST") body.erase("ProvisionedThroughput");
  };
  spec.json.hooks.on_read = [](const nlohmann::json& item, const std::string&, Attributes& a) {
    for (const auto& k : item.value("KeySchema", nlohmann::json::array()))
      a[k.value("KeyType", "") == "HASH" ? "hash_key" : "range_key"] = k.value("AttributeName", "");
    if (kit::AttrText(a, "billing_mode").empty()) a["billing_mode"] = "PROVISIONED";
    a["server_side_encryption"] = {{"enabled", kit::JsonAt(item, "SSEDescription.Status") == "ENABLED"}};
    auto key = kit::JsonAt(item, "SSEDescription.KMSMasterKeyArn");
    if (key.is_string()) a["server_side_encryption"]["kms_key_arn"] = key;
  };
  return spec;
}

}  // namespace

void AddDynamoDbTableTypes(TypeRegistry& p) { p.Add(std::make_unique<TableType>(p.client(), TableSpec())); }

}  // namespace infra::aws
