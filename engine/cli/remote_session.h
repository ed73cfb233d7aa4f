// RemoteSession: a command's run against a remote (S3 + DynamoDB) state.
// Open takes the DynamoDB lease lock and writes the current snapshot over
// the local working copy; Attach fences the remote journal with the lease
// and imports its items (an earlier run's intents, perhaps from a machine
// that is gone) into the local journal, so the usual recovery reconciles
// them before planning; Finish writes one new snapshot conditional on the
// one read, then clears the remote journal. docs/state.md "Remote backend".
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "backends/s3/s3_backend.h"
#include "common/result.h"
#include "state/journal.h"
#include "state/journal_mirror.h"
#include "state/lock.h"

namespace infra::state {
class StateStore;
}
namespace infra::aws {
class AwsClient;
}

namespace infra::cli {

class RemoteSession {
 public:
  /// Locks (unless `lock` is false) and pulls the snapshot into `local_path`
  /// (replacing what is there, -wal/-shm included). With no remote snapshot
  /// the local file is left alone.
  static Result<std::unique_ptr<RemoteSession>> Open(const state::remote::S3BackendConfig& config,
                                                     const std::string& local_path, const state::LockOptions& lock_options,
                                                     bool lock);
  ~RemoteSession();
  /// Fences journal and snapshot writes with the lease and imports the
  /// remote journal into `store`'s; returns how many entries came in.
  Result<int> Attach(state::StateStore& store);
  /// The journal the executor writes: local mirrored to DynamoDB.
  state::JournalLog& journal() { return *mirror_; }
  /// Writes a snapshot of `store` if its serial moved past the one pulled
  /// (conditional on the pulled version), then clears the remote journal.
  Status Finish(state::StateStore& store);
  /// Releases the lock (idempotent).
  Status Release();
  bool had_snapshot() const { return pulled_.has_value(); }
  int64_t pulled_serial() const { return pulled_ ? pulled_->serial : 0; }
  /// The S3 version pulled ("" when there was no snapshot).
  std::string pulled_version() const { return pulled_ ? pulled_->version : ""; }
  state::remote::S3Backend& backend() { return *backend_; }
  const state::StateLock* lock() const { return lock_.get(); }

 private:
  RemoteSession() = default;
  std::unique_ptr<state::remote::S3Backend> backend_;
  std::unique_ptr<state::StateLock> lock_;
  std::optional<state::Snapshot> pulled_;  // bytes dropped after the pull
  std::unique_ptr<state::Journal> local_journal_;
  std::unique_ptr<state::JournalMirror> mirror_;
};

/// The AWS client the backend talks through (stops retrying on Ctrl-C).
std::shared_ptr<aws::AwsClient> ClientForState();

/// Replaces the database at `path` (and its -wal/-shm) with `bytes`,
/// mode 0600, through a temporary file renamed into place.
Status WriteStateFile(const std::string& path, const std::string& bytes);

/// The lease for remote locks: INFRA_LOCK_LEASE ("30s", "2s", ...) when
/// set (tests shorten it), heartbeat a fifth of it.
void ApplyLeaseFromEnvironment(state::LockOptions& options);

}  // namespace infra::cli
