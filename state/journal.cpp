// Journal rows: each call is one committed transaction on the store's
// connection, so an intent is on disk before the AWS call it announces.
#include "state/journal.h"

#include <fmt/format.h>

#include "state/database.h"
#include "state/store.h"

namespace infra::state {

constexpr const char* kPayloadPurpose = "journal";

// Fenced like every write (StateStore::Write): no new intent, so no new AWS
// call, once the lock is lost.
Result<int64_t> Journal::RecordIntent(const JournalIntent& intent) {
  std::optional<std::string> sealed;
  if (!intent.payload.is_null()) {
    auto blob = store_.Seal(intent.payload, kPayloadPurpose);
    if (!blob) return blob.error();
    sealed = std::move(*blob);
  }
  int64_t id = 0;
  Status s = store_.Write([&](Database& db) -> Status {
    auto stmt = db.Prepare(
        "INSERT INTO journal(address, operation, token, type, region, payload_encrypted, started_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!stmt) return stmt.error();
    stmt->Bind(1, intent.address).Bind(2, intent.operation).Bind(3, intent.token).Bind(4, intent.type);
    stmt->Bind(5, intent.region).Bind(7, NowIso8601());
    if (sealed) stmt->BindBlob(6, *sealed);
    else stmt->BindNull(6);
    if (auto run = stmt->Run(); !run) return run;
    id = db.LastInsertId();
    return {};
  });
  if (!s) return s.error();
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
  return store_.Write([&](Database& db) -> Status {
    auto stmt = db.Prepare(
        "UPDATE journal SET finished = 1, ok = ?2, physical_id = ?3, detail = ?4, finished_at = ?5 WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->Bind(1, id).Bind(2, int64_t{ok}).Bind(3, physical_id).Bind(4, detail).Bind(5, NowIso8601());
    if (auto s = stmt->Run(); !s) return s;
    if (db.Changes() == 0)
      return MakeError(Error::Kind::kNotFound, "StateNoSuchJournalEntry",
                       fmt::format("no journal entry {} [this is a bug]", id));
    return {};
  });
}

namespace {

JournalEntry ReadEntry(const Statement& stmt) {
  JournalEntry e;
  e.id = stmt.Int(0);
  e.address = stmt.Text(1);
  e.operation = stmt.Text(2);
  e.token = stmt.Text(3);
  e.started_at = stmt.Text(4);
  e.finished = stmt.Int(5) != 0;
  e.ok = stmt.Int(6) != 0;
  e.physical_id = stmt.Text(7);
  e.detail = stmt.Text(8);
  e.finished_at = stmt.Text(9);
  e.type = stmt.Text(10);
  e.region = stmt.Text(11);
  e.resolution = stmt.Text(13);
  return e;
}

}  // namespace

Result<std::vector<JournalEntry>> Journal::Unfinished() {
  std::vector<std::pair<JournalEntry, std::optional<std::string>>> rows;  // entry, sealed payload
  Status s = store_.Read([&](Database& db) -> Status {
    auto stmt = db.Prepare(
        "SELECT id, address, operation, token, started_at, finished, ok, physical_id, detail, finished_at, type, "
        "region, payload_encrypted, resolution FROM journal WHERE resolved = 0 ORDER BY id");
    if (!stmt) return stmt.error();
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) break;
      std::optional<std::string> sealed;
      if (!stmt->IsNull(12)) sealed = stmt->Text(12);
      rows.emplace_back(ReadEntry(*stmt), std::move(sealed));
    }
    return {};
  });
  if (!s) return s.error();
  std::vector<JournalEntry> out;
  for (auto& [entry, sealed] : rows) {
    if (sealed) {
      auto payload = store_.Unseal(*sealed, kPayloadPurpose);
      if (!payload) return payload.error();
      entry.payload = std::move(*payload);
    }
    out.push_back(std::move(entry));
  }
  return out;
}

Status Journal::Resolve(int64_t id, const std::string& resolution) {
  return store_.Write([&](Database& db) -> Status {
    auto stmt = db.Prepare("UPDATE journal SET resolved = 1, resolution = ?2 WHERE id = ?1");
    if (!stmt) return stmt.error();
    return stmt->Bind(1, id).Bind(2, resolution).Run();
  });
}

Status Journal::Prune(int keep) {
  return store_.Write([&](Database& db) -> Status {
    auto stmt = db.Prepare("DELETE FROM journal WHERE resolved = 1 AND id <= (SELECT max(id) FROM journal) - ?1");
    if (!stmt) return stmt.error();
    return stmt->Bind(1, int64_t{keep}).Run();
  });
}

}  // namespace infra::state
