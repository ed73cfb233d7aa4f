// WriteFence: the check every state write makes inside its own transaction
// that this process may still write: while it holds the lock, that the lock
// is still its own. A remote backend fences with a conditional write on
// the lease instead. Internal to state/.
#pragma once
#include <memory>
#include <string>

#include "common/result.h"

namespace infra::state {

class Database;

class WriteFence {
 public:
  virtual ~WriteFence() = default;
  /// OK when the write may go on; StateLockLost, naming who holds the lock
  /// now, when it may not. Runs inside the write transaction on `db`.
  virtual Status Check(Database& db) const = 0;
};

/// The local fence: the `lock` row must still carry `lock_id`.
std::unique_ptr<WriteFence> LockRowFence(std::string lock_id, std::string path);

}  // namespace infra::state
