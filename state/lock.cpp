// The lease logic over a LockRecord: attempts until a deadline, takeover of
// a lapsed or orphaned lease, and the heartbeat that renews it.
#include "state/lock.h"

#include <fmt/format.h>
#include <signal.h>

#include <cerrno>
#include <fstream>

#include "common/log.h"
#include "state/database.h"
#include "state/store.h"

namespace infra::state {
namespace {

// True when `pid` does not exist, or exists only as a zombie (killed, not
// yet reaped by its parent: it will never renew or release anything).
bool ProcessIsGone(int64_t pid) {
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  size_t paren = line.rfind(')');  // the command name may contain spaces and parentheses
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z';
}

// True when the holder's pid can be looked up here: the same host name and,
// when the record keeps it, the same pid namespace on the same boot. A host
// name alone is not enough: containers sharing one (host UTS namespace,
// Kubernetes hostNetwork pods) cannot see each other's pids, so a live
// holder there would look gone.
bool PidVisibleHere(const LockInfo& holder, const std::string& my_host) {
  if (holder.host != my_host || holder.pid <= 0) return false;
  return holder.pid_space.empty() || holder.pid_space == CurrentPidSpace();
}

// Why an existing lock may be taken over, or "" if it may not.
std::string TakeoverReason(const LockInfo& holder, const std::string& my_host, int64_t now_ms) {
  if (holder.expires_unix_ms < now_ms) return fmt::format("its lease expired at {}", holder.expires_at);
  if (PidVisibleHere(holder, my_host) && ProcessIsGone(holder.pid))
    return fmt::format("process {} no longer exists on this host", holder.pid);
  return "";
}

int64_t RealWallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(RealClock().WallNow().time_since_epoch()).count();
}

// The checks of a force-unlock of `h` before anything is deleted.
Result<ForcedUnlock> CheckForceUnlock(const std::string& where, const LockInfo& h, const std::string& lock_id,
                                      bool force) {
  if (h.id != lock_id)
    return MakeError(Error::Kind::kInvalid, "StateLockMismatch",
                     fmt::format("{}: lock id {} does not match the current lock (held by {}); copy the id from "
                                 "the lock error",
                                 where, lock_id, h.DescribeHolder()));
  ForcedUnlock out{h, ""};
  if (h.expires_unix_ms < RealWallMs()) out.lapsed = fmt::format("its lease lapsed at {}", h.expires_at);
  if (!force && out.lapsed.empty() && PidVisibleHere(h, ProcessIdentity::Current().host) && !ProcessIsGone(h.pid))
    return MakeError(Error::Kind::kConflict, "StateLockHolderAlive",
                     fmt::format("{}: the lock holder is alive: process {} on this host ({}) still holds it and "
                                 "renews its lease. Wait for it to finish, stop it, or pass --force to remove the "
                                 "lock anyway",
                                 where, h.pid, h.DescribeHolder()));
  return out;
}

Error NotLocked(const std::string& where) {
  return MakeError(Error::Kind::kNotFound, "StateNotLocked", fmt::format("{}: the state is not locked", where));
}

Error LockedError(const std::string& path, const LockInfo& holder, std::chrono::milliseconds waited) {
  return MakeError(Error::Kind::kConflict, "StateLocked",
                   fmt::format("{}: the state is locked: {} (lease until {}){}. Wait for it to finish, retry with "
                               "--lock-timeout, or if it is certainly dead run `infra force-unlock {}`",
                               path, holder.Describe(), holder.expires_at,
                               waited.count() > 0 ? fmt::format("; waited {:.1f}s", waited.count() / 1000.0) : "",
                               holder.id));
}

Status ClosedError() {
  return MakeError(Error::Kind::kInternal, "StateStorage", "the state is closed [this is a bug]");
}

}  // namespace

int64_t StateLock::WallMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock().WallNow().time_since_epoch()).count();
}

// One attempt: takes the lock (nullopt) or returns who holds it.
Result<std::optional<LockInfo>> StateLock::TryTake() {
  for (;;) {
    auto holder = record_->Read();
    if (!holder) return holder.error();
    std::string replacing;
    if (*holder) {
      std::string reason = TakeoverReason(**holder, info_.host, WallMs());
      if (reason.empty()) return holder;
      log::Warn("taking over the state lock from {}: {}", (*holder)->Describe(), reason);
      replacing = (*holder)->id;
    }
    info_.expires_unix_ms = WallMs() + options_.lease.count();
    info_.expires_at = IsoFromUnixMs(info_.expires_unix_ms);
    auto took = record_->Take(info_, replacing);
    if (!took) return took.error();
    if (*took) return std::optional<LockInfo>();
    // Someone else changed the lock between our read and write: look again.
  }
}

Result<std::unique_ptr<StateLock>> StateLock::Acquire(std::unique_ptr<LockRecord> record, const std::string& where,
                                                      const LockOptions& options) {
  std::unique_ptr<StateLock> lock(new StateLock());
  lock->path_ = where;
  lock->options_ = options;
  lock->record_ = std::move(record);
  ProcessIdentity me = ProcessIdentity::Current();
  lock->info_ = LockInfo{NewUuid(), me.user, me.host, me.pid, options.command, NowIso8601(), "", 0, CurrentPidSpace()};
  const Clock& clock = lock->clock();
  auto start = clock.Now();
  for (bool told = false;; told = true) {
    auto holder = lock->TryTake();
    if (!holder) return holder.error();
    if (!*holder) break;
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now() - start);
    if (waited >= options.timeout) return LockedError(where, **holder, waited);
    if (!told && options.on_wait) options.on_wait(**holder);
    clock.SleepUntil(clock.Now() + std::min(options.poll, options.timeout - waited));
  }
  lock->heartbeat_ = std::thread([l = lock.get()] { l->HeartbeatLoop(); });
  return lock;
}

Result<std::unique_ptr<StateLock>> StateLock::Acquire(StateStore& store, const LockOptions& options) {
  auto db = Database::Open(store.path(), false, false);
  if (!db) return db.error();
  if (auto s = (*db)->Exec("PRAGMA synchronous = NORMAL"); !s) return s.error();
  auto lock = Acquire(std::make_unique<SqliteLockRecord>(std::move(*db)), store.path(), options);
  if (!lock) return lock.error();
  (*lock)->store_ = &store;
  store.FenceWrites((*lock)->info_.id);
  return lock;
}

// Renews the lease every heartbeat period until Unlock; a renewal that finds
// the lock gone or replaced marks it lost and stops.
void StateLock::HeartbeatLoop() {
  const Clock& clock = this->clock();
  std::unique_lock<std::mutex> guard(mu_);
  auto next = clock.Now() + options_.heartbeat;
  while (!stop_) {
    clock.WaitUntil(stop_cv_, guard, next);
    if (stop_) return;
    if (clock.Now() < next) continue;  // spurious wake-up
    next += options_.heartbeat;
    auto renewed = record_->Renew(info_.id, WallMs() + options_.lease.count());
    if (!renewed) continue;  // busy: next beat
    if (!*renewed) {
      lost_ = true;
      log::Warn("{}: lost the state lock {}: it was force-unlocked or taken over", path_, info_.id);
      if (options_.on_heartbeat) options_.on_heartbeat(false);
      return;
    }
    if (options_.on_heartbeat) options_.on_heartbeat(true);
  }
}

Status StateLock::Unlock() {
  {
    std::lock_guard<std::mutex> guard(mu_);
    if (released_) return {};
    released_ = true;
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (!heartbeat_.joinable()) {  // never acquired
    record_.reset();
    return {};
  }
  heartbeat_.join();
  if (store_) store_->FenceWrites("");
  Status s = record_->Release(info_.id);
  record_.reset();
  return s;
}

StateLock::~StateLock() {
  if (auto s = Unlock(); !s) log::Warn("{}: could not release the state lock: {}", path_, s.error().ToString());
}

Result<std::optional<LockInfo>> CurrentLock(StateStore& store) {
  std::lock_guard<std::mutex> guard(store.mutex());
  if (!store.is_open()) return ClosedError().error();
  return ReadLockRow(store.database());
}

Result<ForcedUnlock> ForceUnlock(StateStore& store, const std::string& lock_id, bool force) {
  std::lock_guard<std::mutex> guard(store.mutex());
  if (!store.is_open()) return ClosedError().error();
  Database& db = store.database();
  auto tx = Transaction::Begin(db);
  if (!tx) return tx.error();
  auto holder = ReadLockRow(db);
  if (!holder) return holder.error();
  if (!*holder) return NotLocked(store.path());
  auto out = CheckForceUnlock(store.path(), **holder, lock_id, force);
  if (!out) return out.error();
  if (auto s = db.Exec("DELETE FROM lock"); !s) return s.error();
  if (auto s = (*tx)->Commit(); !s) return s.error();
  return out;
}

Result<ForcedUnlock> ForceUnlock(LockRecord& record, const std::string& where, const std::string& lock_id,
                                 bool force) {
  auto holder = record.Read();
  if (!holder) return holder.error();
  if (!*holder) return NotLocked(where);
  auto out = CheckForceUnlock(where, **holder, lock_id, force);
  if (!out) return out.error();
  if (auto s = record.Release(lock_id); !s) return s.error();
  // Release is conditional on the id: read back whether it was ours to delete.
  auto after = record.Read();
  if (!after) return after.error();
  if (*after && (*after)->id == lock_id)
    return MakeError(Error::Kind::kOther, "StateStorage",
                     fmt::format("{}: lock {} is still there after deleting it; try again", where, lock_id));
  return out;
}

}  // namespace infra::state
