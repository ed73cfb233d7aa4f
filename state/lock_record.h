// LockRecord: where a state's lease lock lives, behind a small interface so
// StateLock (the lease logic: waits, takeover, heartbeat) runs over the
// local `lock` row today and a DynamoDB item later. Every call is one
// atomic step, conditional on who holds the lock, as DynamoDB's
// conditional writes are.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"

namespace infra::state {

class Database;

/// Who holds a lock. Times ISO 8601 UTC.
struct LockInfo {
  std::string id{};          // random UUID; what `infra force-unlock` takes
  std::string user{};
  std::string host{};
  int64_t pid = 0;
  std::string command{};     // "apply", "plan", "state rm", ...
  std::string since{};       // when it was taken
  std::string expires_at{};  // end of the current lease
  int64_t expires_unix_ms = 0;
  /// The holder's boot id and pid namespace (CurrentPidSpace); "" when the
  /// record does not keep it (the local lock row). A pid is only checked
  /// for life when this is "" or equals ours: one hostname may be shared
  /// by containers whose pids are invisible to each other.
  std::string pid_space{};

  /// "lock 1b2c... held by alice on build-7 (pid 4242, `infra apply`) since
  /// 2026-11-21T22:30:00Z".
  std::string Describe() const;
  /// The same without the lock id (for messages to someone who has not
  /// proved they know it): "alice on build-7 (pid 4242, `infra apply`) since ...".
  std::string DescribeHolder() const;
};

/// The stored lock of one state.
class LockRecord {
 public:
  virtual ~LockRecord() = default;
  /// The holder now, or nullopt if unlocked.
  virtual Result<std::optional<LockInfo>> Read() = 0;
  /// Writes `me` as the holder if the lock is free (`replacing` "") or
  /// still held by lock id `replacing` (a takeover); false, writing
  /// nothing, when someone else holds it.
  virtual Result<bool> Take(const LockInfo& me, const std::string& replacing) = 0;
  /// Moves the lease end of lock `id`; false when the lock no longer has
  /// that id (force-unlocked or taken over).
  virtual Result<bool> Renew(const std::string& id, int64_t expires_unix_ms) = 0;
  /// Deletes the lock if it still has id `id` (else leaves it alone).
  virtual Status Release(const std::string& id) = 0;
};

/// The local lock: the single row of table `lock` in a state database.
/// Uses `db` (not owned unless given as `owned`); the caller serialises use.
class SqliteLockRecord final : public LockRecord {
 public:
  explicit SqliteLockRecord(Database& db);
  explicit SqliteLockRecord(std::unique_ptr<Database> owned);
  ~SqliteLockRecord() override;
  Result<std::optional<LockInfo>> Read() override;
  Result<bool> Take(const LockInfo& me, const std::string& replacing) override;
  Result<bool> Renew(const std::string& id, int64_t expires_unix_ms) override;
  Status Release(const std::string& id) override;

 private:
  std::unique_ptr<Database> owned_;
  Database* db_;
};

/// The lock row as it is, read on `db` (the write fence reads it inside
/// its transaction); nullopt if unlocked.
Result<std::optional<LockInfo>> ReadLockRow(Database& db);

/// This process's pid space: "<boot id>/<pid namespace inode>" (from
/// /proc), "" when /proc does not tell. Two processes with the same value
/// see each other's pids.
std::string CurrentPidSpace();

/// "2026-11-21T22:30:00Z" for a Unix time in milliseconds.
std::string IsoFromUnixMs(int64_t ms);

}  // namespace infra::state
