// Journal: the executor's write-ahead record of mutating AWS calls. Intent
// (address, operation, idempotency token) is committed before the call, the
// outcome after; entries stay "unresolved" until the resulting state row is
// saved (StateStore::PutResource/DeleteResource with the entry's id) or the
// executor reconciles them on the next run.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace infra::state {

class StateStore;

/// What the executor is about to do. `payload` (desired attributes for a
/// create, prior attributes for update/delete) is stored encrypted as a
/// whole, since it may hold secrets; null = none.
struct JournalIntent {
  std::string address{};
  std::string operation{};   // "create", "update", "delete", ...
  std::string token{};       // idempotency token passed to AWS
  std::string type{};        // aws_subnet
  std::string region{};      // AWS region name
  nlohmann::json payload{};
};

/// One journal row. Times ISO 8601 UTC.
struct JournalEntry {
  int64_t id = 0;
  std::string address{};
  std::string operation{};   // "create", "update", "delete", ...
  std::string token{};       // idempotency token passed to AWS
  std::string type{};
  std::string region{};
  nlohmann::json payload{};  // decrypted; null if none was recorded
  std::string started_at{};
  bool finished = false;   // an outcome was recorded
  bool ok = false;         // the outcome (meaningful when finished)
  std::string physical_id{}; // from the outcome; may be "" (failure, delete)
  std::string detail{};      // error text or a short note; never a secret
  std::string finished_at{};
  std::string resolution{};  // set by Resolve
};

/// The write-ahead journal as a backend offers it (state/backend.h): the
/// local one is a table in the state database, a remote one a DynamoDB
/// table fenced by the lease. Contracts as documented on Journal.
class JournalLog {
 public:
  virtual ~JournalLog() = default;
  virtual Result<int64_t> RecordIntent(const JournalIntent& intent) = 0;
  virtual Status RecordOutcome(int64_t id, bool ok, const std::string& physical_id, const std::string& detail) = 0;
  virtual Result<std::vector<JournalEntry>> Unfinished() = 0;
  virtual Status Resolve(int64_t id, const std::string& resolution) = 0;
};

/// The local journal: table `journal` of an open store; cheap to
/// construct, holds a reference. Every write goes through
/// StateStore::Write, so it is fenced by the lock.
class Journal final : public JournalLog {
 public:
  explicit Journal(StateStore& store) : store_(store) {}

  /// Commits an intent durably before the AWS call; returns its id. A
  /// non-null payload needs the state key (StateKeyMissing otherwise).
  Result<int64_t> RecordIntent(const JournalIntent& intent) override;
  /// Shorthand without type, region or payload.
  Result<int64_t> RecordIntent(const std::string& address, const std::string& operation, const std::string& token);
  /// Commits the outcome of entry `id` (StateNoSuchJournalEntry if absent).
  Status RecordOutcome(int64_t id, bool ok, const std::string& physical_id, const std::string& detail) override;
  /// Every unresolved entry (with or without an outcome), oldest first. An
  /// entry without an outcome means the call may or may not have happened.
  /// Payloads are decrypted (needs the key when any entry has one).
  Result<std::vector<JournalEntry>> Unfinished() override;
  /// Marks entry `id` resolved (after reconciliation, or when there is
  /// nothing to save), noting how ("adopted vpc-123", "not found").
  /// Idempotent.
  Status Resolve(int64_t id, const std::string& resolution = "") override;
  /// Deletes resolved entries older than the newest `keep` (housekeeping).
  Status Prune(int keep = 1000);

 private:
  StateStore& store_;
};

}  // namespace infra::state
