// The lease lock: one row in table `lock`, taken in a BEGIN IMMEDIATE
// transaction, renewed by a heartbeat thread on its own connection.
#include "state/lock.h"

#include <fmt/format.h>

#include <fstream>
#include <signal.h>

#include <cerrno>
#include <ctime>

#include "common/log.h"
#include "state/database.h"
#include "state/store.h"

namespace infra::state {
namespace {

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string IsoFromUnixMs(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

constexpr const char* kSelectLock = "SELECT id, user, host, pid, command, since, expires_unix_ms FROM lock";


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

// Why an existing lock may be taken over, or "" if it may not.
std::string TakeoverReason(const LockInfo& holder, const std::string& my_host) {
  if (holder.expires_unix_ms < NowUnixMs()) return fmt::format("its lease expired at {}", holder.expires_at);
  if (holder.host == my_host && holder.pid > 0 && ProcessIsGone(holder.pid))
    return fmt::format("process {} no longer exists on this host", holder.pid);
  return "";
}

// One attempt: takes the lock (nullopt) or returns who holds it.
Result<std::optional<LockInfo>> TryTake(Database& db, const LockInfo& me, std::chrono::milliseconds lease) {
  auto tx = Transaction::Begin(db);
  if (!tx) return tx.error();
  auto holder = ReadLockRow(db);
  if (!holder) return holder.error();
  if (*holder) {
    std::string reason = TakeoverReason(**holder, me.host);
    if (reason.empty()) return holder;
    log::Warn("taking over the state lock from {}: {}", (*holder)->Describe(), reason);
  }
  auto stmt = db.Prepare(
      "INSERT OR REPLACE INTO lock(singleton, id, user, host, pid, command, since, expires_unix_ms) "
      "VALUES(1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, me.id).Bind(2, me.user).Bind(3, me.host).Bind(4, me.pid).Bind(5, me.command).Bind(6, me.since);
  if (auto s = stmt->Bind(7, NowUnixMs() + lease.count()).Run(); !s) return s.error();
  if (auto s = (*tx)->Commit(); !s) return s.error();
  return std::optional<LockInfo>();
}

Error LockedError(const std::string& path, const LockInfo& holder, std::chrono::milliseconds waited) {
  return MakeError(Error::Kind::kConflict, "StateLocked",
                   fmt::format("{}: the state is locked: {} (lease until {}){}. Wait for it to finish, retry with "
                               "--lock-timeout, or if it is certainly dead run `infra force-unlock {}`",
                               path, holder.Describe(), holder.expires_at,
                               waited.count() > 0 ? fmt::format("; waited {:.1f}s", waited.count() / 1000.0) : "",
                               holder.id));
}

}  // namespace

std::string LockInfo::Describe() const {
  return fmt::format("lock {} held by {} on {} (pid {}, `infra {}`) since {}", id, user, host, pid, command, since);
}

Result<std::unique_ptr<StateLock>> StateLock::Acquire(StateStore& store, const LockOptions& options) {
  std::unique_ptr<StateLock> lock(new StateLock());
  lock->path_ = store.path();
  lock->options_ = options;
  auto db = Database::Open(store.path(), false, false);
  if (!db) return db.error();
  lock->db_ = std::move(*db);
  if (auto s = lock->db_->Exec("PRAGMA synchronous = NORMAL"); !s) return s.error();
  ProcessIdentity me = ProcessIdentity::Current();
  lock->info_ = LockInfo{NewUuid(), me.user, me.host, me.pid, options.command, NowIso8601(), "", 0};
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    auto holder = TryTake(*lock->db_, lock->info_, options.lease);
    if (!holder) return holder.error();
    if (!*holder) break;
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (waited >= options.timeout) return LockedError(store.path(), **holder, waited);
    std::this_thread::sleep_for(std::min(options.poll, options.timeout - waited));
  }
  lock->info_.expires_unix_ms = NowUnixMs() + options.lease.count();
  lock->info_.expires_at = IsoFromUnixMs(lock->info_.expires_unix_ms);
  lock->heartbeat_ = std::thread([l = lock.get()] { l->HeartbeatLoop(); });
  lock->store_ = &store;
  store.FenceWrites(lock->info_.id);
  return lock;
}

// Renews the lease every heartbeat period until Unlock; a renewal that finds
// the row gone or replaced marks the lock lost and stops.
void StateLock::HeartbeatLoop() {
  std::unique_lock<std::mutex> guard(mu_);
  while (!stop_cv_.wait_for(guard, options_.heartbeat, [this] { return stop_; })) {
    auto stmt = db_->Prepare("UPDATE lock SET expires_unix_ms = ?1 WHERE id = ?2");
    if (!stmt) continue;
    if (!stmt->Bind(1, NowUnixMs() + options_.lease.count()).Bind(2, info_.id).Run()) continue;  // busy: next beat
    if (db_->Changes() == 0) {
      lost_ = true;
      log::Warn("{}: lost the state lock {}: it was force-unlocked or taken over", path_, info_.id);
      return;
    }
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
    db_.reset();
    return {};
  }
  heartbeat_.join();
  if (store_) store_->FenceWrites("");
  auto stmt = db_->Prepare("DELETE FROM lock WHERE id = ?1");
  if (!stmt) return stmt.error();
  Status s = stmt->Bind(1, info_.id).Run();
  db_.reset();
  return s;
}

StateLock::~StateLock() {
  if (auto s = Unlock(); !s) log::Warn("{}: could not release the state lock: {}", path_, s.error().ToString());
}

Result<std::optional<LockInfo>> CurrentLock(StateStore& store) {
  std::lock_guard<std::mutex> guard(store.mutex());
  if (!store.is_open()) return MakeError(Error::Kind::kInternal, "StateStorage", "the state is closed [this is a bug]");
  return ReadLockRow(store.database());
}

Result<LockInfo> ForceUnlock(StateStore& store, const std::string& lock_id) {
  std::lock_guard<std::mutex> guard(store.mutex());
  if (!store.is_open()) return MakeError(Error::Kind::kInternal, "StateStorage", "the state is closed [this is a bug]");
  Database& db = store.database();
  auto tx = Transaction::Begin(db);
  if (!tx) return tx.error();
  auto holder = ReadLockRow(db);
  if (!holder) return holder.error();
  if (!*holder)
    return MakeError(Error::Kind::kNotFound, "StateNotLocked", fmt::format("{}: the state is not locked", store.path()));
  if ((*holder)->id != lock_id)
    return MakeError(Error::Kind::kInvalid, "StateLockMismatch",
                     fmt::format("{}: lock id {} does not match the current lock: {}", store.path(), lock_id,
                                 (*holder)->Describe()));
  if (auto s = db.Exec("DELETE FROM lock"); !s) return s.error();
  if (auto s = (*tx)->Commit(); !s) return s.error();
  return **holder;
}

Result<std::optional<LockInfo>> ReadLockRow(Database& db) {
  auto stmt = db.Prepare(kSelectLock);
  if (!stmt) return stmt.error();
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<LockInfo>();
  LockInfo info;
  info.id = stmt->Text(0);
  info.user = stmt->Text(1);
  info.host = stmt->Text(2);
  info.pid = stmt->Int(3);
  info.command = stmt->Text(4);
  info.since = stmt->Text(5);
  info.expires_unix_ms = stmt->Int(6);
  info.expires_at = IsoFromUnixMs(info.expires_unix_ms);
  return std::optional<LockInfo>(std::move(info));
}

}  // namespace infra::state
