// The local lock row: each step one BEGIN IMMEDIATE transaction, so two
// processes never both see the lock free.
#include "state/lock_record.h"

#include <fmt/format.h>

#include <ctime>

#include "state/database.h"

namespace infra::state {

std::string LockInfo::Describe() const {
  return fmt::format("lock {} held by {} on {} (pid {}, `infra {}`) since {}", id, user, host, pid, command, since);
}

std::string IsoFromUnixMs(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<std::optional<LockInfo>> ReadLockRow(Database& db) {
  auto stmt = db.Prepare("SELECT id, user, host, pid, command, since, expires_unix_ms FROM lock");
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

SqliteLockRecord::SqliteLockRecord(Database& db) : db_(&db) {}
SqliteLockRecord::SqliteLockRecord(std::unique_ptr<Database> owned) : owned_(std::move(owned)), db_(owned_.get()) {}
SqliteLockRecord::~SqliteLockRecord() = default;

Result<std::optional<LockInfo>> SqliteLockRecord::Read() { return ReadLockRow(*db_); }

Result<bool> SqliteLockRecord::Take(const LockInfo& me, const std::string& replacing) {
  auto tx = Transaction::Begin(*db_);
  if (!tx) return tx.error();
  auto holder = ReadLockRow(*db_);
  if (!holder) return holder.error();
  if (*holder ? (*holder)->id != replacing : !replacing.empty()) return false;
  auto stmt = db_->Prepare(
      "INSERT OR REPLACE INTO lock(singleton, id, user, host, pid, command, since, expires_unix_ms) "
      "VALUES(1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, me.id).Bind(2, me.user).Bind(3, me.host).Bind(4, me.pid).Bind(5, me.command).Bind(6, me.since);
  if (auto s = stmt->Bind(7, me.expires_unix_ms).Run(); !s) return s.error();
  if (auto s = (*tx)->Commit(); !s) return s.error();
  return true;
}

Result<bool> SqliteLockRecord::Renew(const std::string& id, int64_t expires_unix_ms) {
  auto stmt = db_->Prepare("UPDATE lock SET expires_unix_ms = ?1 WHERE id = ?2");
  if (!stmt) return stmt.error();
  if (auto s = stmt->Bind(1, expires_unix_ms).Bind(2, id).Run(); !s) return s.error();
  return db_->Changes() > 0;
}

Status SqliteLockRecord::Release(const std::string& id) {
  auto stmt = db_->Prepare("DELETE FROM lock WHERE id = ?1");
  if (!stmt) return stmt.error();
  return stmt->Bind(1, id).Run();
}

}  // namespace infra::state
