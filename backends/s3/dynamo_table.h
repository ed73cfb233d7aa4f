// DynamoTable: the few DynamoDB calls the remote backend makes on its one
// table (hash key "LockID", a string), over the sdk's AwsClient (JSON 1.0,
// SigV4, retries). Items are plain string/number/bool maps; every write may
// be fenced: made in one TransactWriteItems with a ConditionCheck that the
// lock item still carries the caller's lease id.
#pragma once
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace infra::aws {
class AwsClient;
}

namespace infra::state::remote {

/// One DynamoDB write: a Put, Update or Delete with its condition, in the
/// wire form of a TransactWriteItems element ({"Put": {...}}).
using DynamoWrite = nlohmann::json;

class DynamoTable {
 public:
  DynamoTable(std::shared_ptr<aws::AwsClient> client, std::string region, std::string table);

  /// The item under `key` (strongly consistent), as DynamoDB's typed map
  /// ({"lock_id": {"S": ...}}), or nullopt.
  Result<std::optional<nlohmann::json>> Get(const std::string& key) const;
  /// Every item whose key starts with `prefix` (a consistent Scan, all pages).
  Result<std::vector<nlohmann::json>> ScanPrefix(const std::string& prefix) const;
  /// Makes `writes` atomically, and only while the item `lock_key` has
  /// lock_id = `lease` (no check when `lease` is ""). False, writing
  /// nothing, when a condition failed (the lease's or a write's own).
  Result<bool> Transact(const std::vector<DynamoWrite>& writes, const std::string& lock_key,
                        const std::string& lease) const;
  /// One unfenced conditional write ({"Put": ...} / {"Update": ...} /
  /// {"Delete": ...}); false when its condition failed.
  Result<bool> Write(const DynamoWrite& write) const;
  /// DescribeTable: the table status ("ACTIVE"), or an error naming it.
  Result<std::string> Status() const;

  const std::string& name() const { return table_; }
  const std::string& region() const { return region_; }
  /// {"LockID": {"S": key}}
  static nlohmann::json Key(const std::string& key);

 private:
  std::shared_ptr<aws::AwsClient> client_;
  std::string region_, table_;
};

/// Typed attribute values and their reverse.
nlohmann::json S(const std::string& v);
nlohmann::json N(int64_t v);
nlohmann::json B(bool v);
std::string GetS(const nlohmann::json& item, const std::string& name);
int64_t GetN(const nlohmann::json& item, const std::string& name);
bool GetB(const nlohmann::json& item, const std::string& name);

}  // namespace infra::state::remote
