// DynamoLockRecord: the lease lock of a remote state as one DynamoDB item
// (key "<bucket>/<key>"), each step one conditional write on the holder's
// lock id, so StateLock (state/lock.h) runs its lease logic (waits,
// takeover of a lapsed lease, heartbeat) over it unchanged.
#pragma once
#include <string>

#include "backends/s3/dynamo_table.h"
#include "state/lock_record.h"

namespace infra::state::remote {

class DynamoLockRecord final : public LockRecord {
 public:
  /// `key` is the lock item's key in `table`.
  DynamoLockRecord(DynamoTable table, std::string key) : table_(std::move(table)), key_(std::move(key)) {}
  Result<std::optional<LockInfo>> Read() override;
  /// PutItem conditional on attribute_not_exists (free) or lock_id = replacing.
  Result<bool> Take(const LockInfo& me, const std::string& replacing) override;
  /// UpdateItem of the lease end, conditional on lock_id = id.
  Result<bool> Renew(const std::string& id, int64_t expires_unix_ms) override;
  /// DeleteItem conditional on lock_id = id (someone else's lock stays).
  Status Release(const std::string& id) override;

 private:
  DynamoTable table_;
  std::string key_;
};

}  // namespace infra::state::remote
