// Backend: where a stack's state lives, as the engine needs it: the newest
// snapshot (read, and written only if it is still the one read), the lease
// lock and the write-ahead journal. LocalBackend (state/backend_local.h) is
// the SQLite file; a remote backend (S3 snapshots, DynamoDB lock and
// journal; DESIGN.md §5) implements the same interface.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"

namespace infra::state {

class JournalLog;
class LockRecord;

/// A whole state at one serial: the bytes of a state database.
struct Snapshot {
  std::string lineage{};
  int64_t serial = 0;
  /// Opaque to callers: what a conditional write compares (an S3 version
  /// id or ETag; locally "<lineage>:<serial>").
  std::string version{};
  std::string bytes{};
};

class Backend {
 public:
  virtual ~Backend() = default;
  /// Where the state lives, for messages (a path, "s3://bucket/key").
  virtual std::string Location() const = 0;
  /// The newest snapshot, or nullopt when there is no state yet.
  virtual Result<std::optional<Snapshot>> ReadSnapshot() = 0;
  /// Stores `next` as the newest snapshot if the newest is still
  /// `previous_version` ("" = there is none yet); otherwise StateConflict
  /// and nothing is written. The caller holds the lease lock. `next` must
  /// carry the stored lineage and a higher serial (StateLineageMismatch,
  /// StateSerialStale).
  virtual Status WriteSnapshot(const Snapshot& next, const std::string& previous_version) = 0;
  /// A new handle on the lease lock (StateLock drives it).
  virtual Result<std::unique_ptr<LockRecord>> OpenLockRecord() = 0;
  /// The write-ahead journal; fenced by the lease while it is held.
  virtual JournalLog& journal() = 0;
};

}  // namespace infra::state
