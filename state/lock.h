// StateLock: the stack's write lock, a lease row in the state database that
// a background thread renews while the holder works. An expired lease, or a
// holder whose pid no longer exists on this same host, is taken over with a
// warning naming the old holder; ForceUnlock removes any lock by its id.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/result.h"

namespace infra::state {

class StateStore;
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

  /// "lock 1b2c... held by alice on build-7 (pid 4242, `infra apply`) since
  /// 2026-11-21T22:30:00Z".
  std::string Describe() const;
};

struct LockOptions {
  std::string command{};                        // recorded as the holder's command
  std::chrono::milliseconds timeout{0};       // --lock-timeout: how long to wait for a holder
  std::chrono::milliseconds lease{30000};     // lease length
  std::chrono::milliseconds heartbeat{5000};  // renewal period (< lease)
  std::chrono::milliseconds poll{250};        // retry period while waiting
};

/// A held lock. Created by Acquire; released by Unlock or the destructor.
/// Renews its lease from its own thread and its own SQLite connection, so
/// it never joins the store's transactions. While held, the store's writes
/// are fenced by its id (StateStore::FenceWrites): once the lock is lost,
/// writes fail with StateLockLost. The store must outlive the lock.
class StateLock {
 public:
  /// Takes the lock of `store`'s database, waiting up to options.timeout.
  /// Fails with code "StateLocked" naming the holder (LockInfo::Describe)
  /// when it stays held. Takes over (with a log::Warn naming the old
  /// holder) a lease that expired or whose holder pid is gone on this host.
  static Result<std::unique_ptr<StateLock>> Acquire(StateStore& store, const LockOptions& options);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

  const LockInfo& info() const { return info_; }
  /// True once a renewal found the lock row gone or owned by someone else
  /// (force-unlocked or taken over): the caller should stop writing.
  bool lost() const { return lost_.load(); }
  /// Stops the heartbeat and deletes the lock row if it is still ours.
  /// Idempotent.
  Status Unlock();

 private:
  StateLock() = default;
  void HeartbeatLoop();

  std::string path_{};
  StateStore* store_ = nullptr;  // fenced while held (StateStore::FenceWrites); must outlive the lock
  LockInfo info_;
  LockOptions options_;
  std::unique_ptr<Database> db_;  // own connection for the heartbeat
  std::thread heartbeat_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  bool released_ = false;
  std::atomic<bool> lost_{false};
};

/// The lock row as it is, read on `db` by a caller that already holds the
/// store's mutex (state/store.cpp's write fence); nullopt if unlocked.
Result<std::optional<LockInfo>> ReadLockRow(Database& db);

/// The current holder, or nullopt if unlocked.
Result<std::optional<LockInfo>> CurrentLock(StateStore& store);
/// Removes the lock whose id is `lock_id` (StateLockMismatch if the current
/// lock has another id, StateNotLocked if there is none). Returns the
/// removed holder.
Result<LockInfo> ForceUnlock(StateStore& store, const std::string& lock_id);

}  // namespace infra::state
