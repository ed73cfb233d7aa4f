// Journal rows: each call is one committed transaction on the store's
// connection, so an intent is on disk before the AWS call it announces.
#include "state/journal.h"

#include <fmt/format.h>

#include "state/database.h"
#include "state/store.h"

namespace infra::state {
namespace {

Status RequireOpen(StateStore& store) {
  if (!store.is_open())
    return MakeError(Error::Kind::kInternal, "StateStorage", "the state is closed [this is a bug]");
  return {};
}

}  // namespace

constexpr const char* kPayloadPurpose = "journal";

Result<int64_t> Journal::RecordIntent(const JournalIntent& intent) {
  std::optional<std::string> sealed;
  if (!intent.payload.is_null()) {
    auto blob = store_.Seal(intent.payload, kPayloadPurpose);
    if (!blob) return blob.error();
    sealed = std::move(*blob);
  }
  std::lock_guard<std::mutex> lock(store_.mutex());
  if (auto s = RequireOpen(store_); !s) return s.error();
  Database& db = store_.database();
  auto tx = store_.BeginWriteLocked();  // fenced: no new intent, so no new AWS call, once the lock is lost
  if (!tx) return tx.error();
  auto stmt = db.Prepare(
      "INSERT INTO journal(address, operation, token, type, region, payload_encrypted, started_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt) return stmt.error();
  stmt->Bind(1, intent.address).Bind(2, intent.operation).Bind(3, intent.token).Bind(4, intent.type);
  stmt->Bind(5, intent.region).Bind(7, NowIso8601());
  if (sealed) stmt->BindBlob(6, *sealed);
  else stmt->BindNull(6);
  if (auto s = stmt->Run(); !s) return s.error();
  int64_t id = db.LastInsertId();
  if (auto s = (*tx)->Commit(); !s) return s.error();
  return id;
}

Result<int64_t> Journal::RecordIntent(const std::string& address, const std::string& operation,
                                      const std::string& token) {
  JournalIntent intent;
  intent.address = address;
  intent.operation = operation;
  intent.token = token;
  return RecordIntent(intent);
}

Status Journal::RecordOutcome(int64_t id, bool ok, const std::string& physical_id, const std::string& detail) {
  std::lock_guard<std::mutex> lock(store_.mutex());
  if (auto s = RequireOpen(store_); !s) return s;
  Database& db = store_.database();
  auto tx = store_.BeginWriteLocked();
  if (!tx) return tx.error();
  auto stmt = db.Prepare(
      "UPDATE journal SET finished = 1, ok = ?2, physical_id = ?3, detail = ?4, finished_at = ?5 WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->Bind(1, id).Bind(2, int64_t{ok}).Bind(3, physical_id).Bind(4, detail).Bind(5, NowIso8601());
  if (auto s = stmt->Run(); !s) return s;
  if (db.Changes() == 0)
    return MakeError(Error::Kind::kNotFound, "StateNoSuchJournalEntry",
                     fmt::format("no journal entry {} [this is a bug]", id));
  return (*tx)->Commit();
}

Result<std::vector<JournalEntry>> Journal::Unfinished() {
  std::lock_guard<std::mutex> lock(store_.mutex());
  if (auto s = RequireOpen(store_); !s) return s.error();
  auto stmt = store_.database().Prepare(
      "SELECT id, address, operation, token, started_at, finished, ok, physical_id, detail, finished_at, type, "
      "region, payload_encrypted, resolution FROM journal WHERE resolved = 0 ORDER BY id");
  if (!stmt) return stmt.error();
  std::vector<JournalEntry> out;
  for (;;) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) break;
    JournalEntry e;
    e.id = stmt->Int(0);
    e.address = stmt->Text(1);
    e.operation = stmt->Text(2);
    e.token = stmt->Text(3);
    e.started_at = stmt->Text(4);
    e.finished = stmt->Int(5) != 0;
    e.ok = stmt->Int(6) != 0;
    e.physical_id = stmt->Text(7);
    e.detail = stmt->Text(8);
    e.finished_at = stmt->Text(9);
    e.type = stmt->Text(10);
    e.region = stmt->Text(11);
    e.resolution = stmt->Text(13);
    if (!stmt->IsNull(12)) {
      auto payload = store_.Unseal(stmt->Text(12), kPayloadPurpose);
      if (!payload) return payload.error();
      e.payload = std::move(*payload);
    }
    out.push_back(std::move(e));
  }
  return out;
}

Status Journal::Resolve(int64_t id, const std::string& resolution) {
  std::lock_guard<std::mutex> lock(store_.mutex());
  if (auto s = RequireOpen(store_); !s) return s;
  auto tx = store_.BeginWriteLocked();
  if (!tx) return tx.error();
  auto stmt = store_.database().Prepare("UPDATE journal SET resolved = 1, resolution = ?2 WHERE id = ?1");
  if (!stmt) return stmt.error();
  if (auto s = stmt->Bind(1, id).Bind(2, resolution).Run(); !s) return s;
  return (*tx)->Commit();
}

Status Journal::Prune(int keep) {
  std::lock_guard<std::mutex> lock(store_.mutex());
  if (auto s = RequireOpen(store_); !s) return s;
  auto tx = store_.BeginWriteLocked();
  if (!tx) return tx.error();
  auto stmt = store_.database().Prepare(
      "DELETE FROM journal WHERE resolved = 1 AND id <= (SELECT max(id) FROM journal) - ?1");
  if (!stmt) return stmt.error();
  if (auto s = stmt->Bind(1, int64_t{keep}).Run(); !s) return s;
  return (*tx)->Commit();
}

}  // namespace infra::state
