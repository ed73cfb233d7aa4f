// DynamoTable: GetItem / Scan / TransactWriteItems / DescribeTable on the
// backend's table; a failed condition is a `false`, not an error.
#include "backends/s3/dynamo_table.h"

#include "providers/aws/sdk/aws_client.h"

namespace infra::state::remote {
namespace {
using nlohmann::json;

bool IsConditionFailure(const Error& e) {
  return e.code.find("ConditionalCheckFailed") != std::string::npos ||
         e.code.find("TransactionCanceled") != std::string::npos;
}
}  // namespace

DynamoTable::DynamoTable(std::shared_ptr<aws::AwsClient> client, std::string region, std::string table)
    : client_(std::move(client)), region_(std::move(region)), table_(std::move(table)) {}

json DynamoTable::Key(const std::string& key) { return {{"LockID", S(key)}}; }

Result<std::optional<json>> DynamoTable::Get(const std::string& key) const {
  auto r = client_->Json("dynamodb", region_, "GetItem",
                         {{"TableName", table_}, {"Key", Key(key)}, {"ConsistentRead", true}});
  if (!r.ok()) return r.error();
  if (!r->contains("Item") || !(*r)["Item"].is_object()) return std::optional<json>();
  return std::optional<json>((*r)["Item"]);
}

Result<std::vector<json>> DynamoTable::ScanPrefix(const std::string& prefix) const {
  std::vector<json> out;
  json body = {{"TableName", table_},
               {"ConsistentRead", true},
               {"FilterExpression", "begins_with(LockID, :p)"},
               {"ExpressionAttributeValues", {{":p", S(prefix)}}}};
  for (int page = 0; page < 10000; ++page) {
    auto r = client_->Json("dynamodb", region_, "Scan", body);
    if (!r.ok()) return r.error();
    for (const auto& item : r->value("Items", json::array())) out.push_back(item);
    if (!r->contains("LastEvaluatedKey") || (*r)["LastEvaluatedKey"].empty()) break;
    body["ExclusiveStartKey"] = (*r)["LastEvaluatedKey"];
  }
  return out;
}

Result<bool> DynamoTable::Transact(const std::vector<DynamoWrite>& writes, const std::string& lock_key,
                                   const std::string& lease) const {
  if (lease.empty() && writes.size() == 1) return Write(writes[0]);
  json items = json::array();
  if (!lease.empty())
    items.push_back({{"ConditionCheck",
                      {{"TableName", table_},
                       {"Key", Key(lock_key)},
                       {"ConditionExpression", "lock_id = :lease"},
                       {"ExpressionAttributeValues", {{":lease", S(lease)}}}}}});
  for (json w : writes) {
    for (auto& [op, spec] : w.items()) spec["TableName"] = table_;
    items.push_back(std::move(w));
  }
  // A retried transaction after a cut-short success either repeats the
  // same writes (puts of the same item) or fails a condition that the
  // caller reads back; so retries are safe.
  auto r = client_->Json("dynamodb", region_, "TransactWriteItems", {{"TransactItems", items}});
  if (r.ok()) return true;
  if (IsConditionFailure(r.error())) return false;
  return r.error();
}

Result<bool> DynamoTable::Write(const DynamoWrite& write) const {
  for (const auto& [op, spec] : write.items()) {
    json body = spec;
    body["TableName"] = table_;
    std::string operation = op == "Put" ? "PutItem" : op == "Update" ? "UpdateItem" : "DeleteItem";
    auto r = client_->Json("dynamodb", region_, operation, body);
    if (r.ok()) return true;
    if (IsConditionFailure(r.error())) return false;
    return r.error();
  }
  return MakeError(Error::Kind::kInternal, "BackendBug", "an empty DynamoDB write [this is a bug]");
}

Result<std::string> DynamoTable::Status() const {
  auto r = client_->Json("dynamodb", region_, "DescribeTable", {{"TableName", table_}});
  if (!r.ok()) return r.error();
  return r->value("/Table/TableStatus"_json_pointer, std::string("UNKNOWN"));
}

json S(const std::string& v) { return {{"S", v}}; }
json N(int64_t v) { return {{"N", std::to_string(v)}}; }
json B(bool v) { return {{"BOOL", v}}; }

std::string GetS(const json& item, const std::string& name) {
  auto it = item.find(name);
  if (it == item.end() || !it->contains("S")) return "";
  return (*it)["S"].get<std::string>();
}
int64_t GetN(const json& item, const std::string& name) {
  auto it = item.find(name);
  if (it == item.end() || !it->contains("N")) return 0;
  try {
    return std::stoll((*it)["N"].get<std::string>());
  } catch (...) {
    return 0;
  }
}
bool GetB(const json& item, const std::string& name) {
  auto it = item.find(name);
  return it != item.end() && it->contains("BOOL") && (*it)["BOOL"].get<bool>();
}

}  // namespace infra::state::remote
