// StateLock: the stack's write lock, a lease in a LockRecord (the local
// `lock` row, state/lock_record.h) that a background thread renews while the
// holder works. An expired lease, or a holder whose pid no longer exists on
// this same host and pid namespace, is taken over with a warning naming the old holder;
// ForceUnlock removes any lock by its id. Time comes from a Clock
// (common/clock.h), so tests drive leases with a fake one.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/result.h"
#include "state/lock_record.h"

namespace infra::state {

class StateStore;

struct LockOptions {
  std::string command{};                        // recorded as the holder's command
  std::chrono::milliseconds timeout{0};       // --lock-timeout: how long to wait for a holder
  std::chrono::milliseconds lease{30000};     // lease length
  std::chrono::milliseconds heartbeat{5000};  // renewal period (< lease)
  std::chrono::milliseconds poll{250};        // retry period while waiting
  /// Time for waits, deadlines and lease stamps (lease ends are wall time:
  /// other processes compare them). Null = RealClock(). Not owned.
  const Clock* clock = nullptr;
  /// Called once, on the waiting thread, when a first attempt finds the
  /// lock held and Acquire starts waiting (a message, a test latch).
  std::function<void(const LockInfo& holder)> on_wait{};
  /// Called on the heartbeat thread after each renewal attempt: true = the
  /// lease was extended, false = the lock was found lost (the last call).
  std::function<void(bool renewed)> on_heartbeat{};
};

/// A held lock. Created by Acquire; released by Unlock or the destructor.
/// Renews its lease from its own thread and its own record (for the local
/// lock: its own SQLite connection), so it never joins the store's
/// transactions. While held, the store's writes are fenced by its id
/// (StateStore::FenceWrites): once the lock is lost, writes fail with
/// StateLockLost. The store must outlive the lock.
class StateLock {
 public:
  /// Takes the lock of `store`'s database, waiting up to options.timeout,
  /// and fences the store's writes with it. Fails with code "StateLocked"
  /// naming the holder (LockInfo::Describe) when it stays held. Takes over
  /// (with a log::Warn naming the old holder) a lease that expired or whose
  /// holder pid is gone on this host.
  static Result<std::unique_ptr<StateLock>> Acquire(StateStore& store, const LockOptions& options);
  /// The same over any record (`where` names the state in messages); no
  /// fence is set: the caller fences its own writes.
  static Result<std::unique_ptr<StateLock>> Acquire(std::unique_ptr<LockRecord> record, const std::string& where,
                                                    const LockOptions& options);
  ~StateLock();
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

  const LockInfo& info() const { return info_; }
  /// True once a renewal found the lock gone or owned by someone else
  /// (force-unlocked or taken over): the caller should stop writing.
  bool lost() const { return lost_.load(); }
  /// Stops the heartbeat and deletes the lock if it is still ours.
  /// Idempotent.
  Status Unlock();

 private:
  StateLock() = default;
  const Clock& clock() const { return options_.clock ? *options_.clock : RealClock(); }
  int64_t WallMs() const;
  Result<std::optional<LockInfo>> TryTake();
  void HeartbeatLoop();

  std::string path_{};
  StateStore* store_ = nullptr;  // fenced while held (StateStore::FenceWrites); must outlive the lock
  LockInfo info_;
  LockOptions options_;
  std::unique_ptr<LockRecord> record_;  // used by the acquiring thread, then only by the heartbeat
  std::thread heartbeat_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  bool released_ = false;
  std::atomic<bool> lost_{false};
};

/// The current holder, or nullopt if unlocked.
Result<std::optional<LockInfo>> CurrentLock(StateStore& store);
/// What ForceUnlock removed.
struct ForcedUnlock {
  LockInfo holder{};
  /// Non-empty when the holder's lease had already lapsed (it stopped
  /// renewing: killed, machine gone): "its lease lapsed at ...".
  std::string lapsed{};
};

/// Removes the lock whose id is `lock_id`: StateNotLocked if there is none;
/// StateLockMismatch if the current lock has another id (the message names
/// the holder but never the real id); StateLockHolderAlive, unless `force`,
/// when the holder is a live process on this host whose lease still runs.
Result<ForcedUnlock> ForceUnlock(StateStore& store, const std::string& lock_id, bool force = false);
/// The same over any record (a remote lock item; `where` names the state in
/// messages): the delete is LockRecord::Release, conditional on `lock_id`,
/// so a lock taken over meanwhile stays (StateLockMismatch).
Result<ForcedUnlock> ForceUnlock(LockRecord& record, const std::string& where, const std::string& lock_id,
                                 bool force = false);

}  // namespace infra::state
