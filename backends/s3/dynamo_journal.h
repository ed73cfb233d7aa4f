// DynamoJournal: the write-ahead journal of a remote state, one DynamoDB
// item per intent ("<bucket>/<key>#journal#<lease>#<seq>"), its outcome
// written onto the same item. Every write is fenced by the lease (a
// ConditionCheck on the lock item in the same transaction), so a process
// that lost the lock records nothing and makes no further AWS call.
// Payloads are sealed by the caller (the state key) before they leave.
#pragma once
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "backends/s3/dynamo_table.h"
#include "state/journal.h"

namespace infra::state::remote {

/// Encrypts / decrypts a journal payload (StateStore::Seal / Unseal).
struct PayloadSeal {
  std::function<Result<std::string>(const nlohmann::json&)> seal;
  std::function<Result<nlohmann::json>(const std::string&)> unseal;
};

class DynamoJournal final : public JournalLog {
 public:
  /// `base` is the lock item's key; journal items are "<base>#journal#...".
  DynamoJournal(DynamoTable table, std::string base) : table_(std::move(table)), base_(std::move(base)) {}
  /// The lease id that fences every write from now on ("" = unfenced,
  /// for -lock=false) and the seal for payloads.
  void Configure(std::string lease, PayloadSeal seal);

  /// Puts the intent item (fenced); ids count from 1 per process.
  Result<int64_t> RecordIntent(const JournalIntent& intent) override;
  /// Writes the outcome onto intent `id`'s item (fenced).
  Status RecordOutcome(int64_t id, bool ok, const std::string& physical_id, const std::string& detail) override;
  /// Every journal item of this state, of any run (consistent scan), oldest
  /// first; payloads unsealed. Their ids are valid for Resolve.
  Result<std::vector<JournalEntry>> Unfinished() override;
  /// Deletes the item of entry `id` (fenced): resolved means its effect is
  /// in a snapshot.
  Status Resolve(int64_t id, const std::string& resolution) override;
  /// Deletes every journal item of this state (fenced): after a snapshot
  /// holding their effects was written. Returns how many.
  Result<int> Clear();

 private:
  Status Fenced(const std::vector<DynamoWrite>& writes, const std::string& what);
  DynamoTable table_;
  std::string base_;
  std::string lease_;
  PayloadSeal seal_;
  std::mutex mu_;
  int64_t next_ = 1;
  int64_t next_read_ = 1000000000;  // ids handed out by Unfinished
  std::map<int64_t, std::string> keys_;  // id -> item key
};

}  // namespace infra::state::remote
