// History rows: written in the transaction of the change they record.
#include "state/history_table.h"

#include <fmt/format.h>

#include "state/database.h"
#include "state/json_reader.h"

namespace infra::state {
namespace {

std::string ChangesText(const nlohmann::json& changes) {
  return DumpJson(changes.is_null() ? nlohmann::json::object() : changes);
}

}  // namespace

Result<int64_t> InsertHistory(Database& db, const HistoryEntry& entry, int64_t serial) {
  ProcessIdentity me = ProcessIdentity::Current();
  auto stmt = db.Prepare(
      "INSERT INTO history(started_at, finished_at, user, host, command, plan_digest, changes, result, serial) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!stmt) return stmt.error();
  bool done = entry.result != "running";
  std::string now = NowIso8601();
  stmt->Bind(1, entry.started_at.empty() ? now : entry.started_at);
  stmt->Bind(2, entry.finished_at.empty() && done ? now : entry.finished_at);
  stmt->Bind(3, entry.user.empty() ? me.user : entry.user).Bind(4, entry.host.empty() ? me.host : entry.host);
  stmt->Bind(5, entry.command).Bind(6, entry.plan_digest).Bind(7, ChangesText(entry.changes));
  stmt->Bind(8, entry.result).Bind(9, serial);
  if (auto s = stmt->Run(); !s) return s.error();
  return db.LastInsertId();
}

Status FinishHistory(Database& db, int64_t id, const std::string& result, const nlohmann::json& changes) {
  auto stmt = db.Prepare("UPDATE history SET finished_at = ?1, result = ?2, changes = ?3 WHERE id = ?4");
  if (!stmt) return stmt.error();
  stmt->Bind(1, NowIso8601()).Bind(2, result).Bind(3, ChangesText(changes));
  if (auto s = stmt->Bind(4, id).Run(); !s) return s;
  if (db.Changes() == 0)
    return MakeError(Error::Kind::kNotFound, "StateNoSuchHistory",
                     fmt::format("{}: no history entry {} [this is a bug]", db.path(), id));
  return {};
}

Result<std::vector<HistoryEntry>> ListHistory(Database& db, int limit) {
  auto stmt = db.Prepare(
      "SELECT id, started_at, finished_at, user, host, command, plan_digest, changes, result, serial FROM history "
      "ORDER BY id DESC LIMIT ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, int64_t{limit > 0 ? limit : -1});
  std::vector<HistoryEntry> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    HistoryEntry h;
    h.id = stmt->Int(0);
    h.started_at = stmt->Text(1);
    h.finished_at = stmt->Text(2);
    h.user = stmt->Text(3);
    h.host = stmt->Text(4);
    h.command = stmt->Text(5);
    h.plan_digest = stmt->Text(6);
    h.changes = nlohmann::json::parse(stmt->Text(7), nullptr, false);
    if (h.changes.is_discarded()) h.changes = nlohmann::json::object();
    h.result = stmt->Text(8);
    h.serial = stmt->Int(9);
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace infra::state
