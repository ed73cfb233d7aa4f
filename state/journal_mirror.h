// JournalMirror: a JournalLog that records every intent and outcome in two
// journals, the local table (which the recovery reads and resolves) and a
// copy that outlives the disk (a remote backend's, state/backend.h). A
// write the copy refuses (its lease was lost) fails the whole record, so no
// AWS call follows an intent only the local disk knows.
#pragma once
#include <map>
#include <mutex>

#include "state/journal.h"

namespace infra::state {

class JournalMirror final : public JournalLog {
 public:
  /// Neither is owned; both must outlive this.
  JournalMirror(JournalLog& local, JournalLog& copy) : local_(local), copy_(copy) {}
  /// Local first, then the copy; the id is the local one.
  Result<int64_t> RecordIntent(const JournalIntent& intent) override;
  Status RecordOutcome(int64_t id, bool ok, const std::string& physical_id, const std::string& detail) override;
  /// The local journal's (the copy is imported into it when a run starts).
  Result<std::vector<JournalEntry>> Unfinished() override { return local_.Unfinished(); }
  /// Local only: the copy is cleared once a snapshot holds the effects.
  Status Resolve(int64_t id, const std::string& resolution) override { return local_.Resolve(id, resolution); }

 private:
  JournalLog& local_;
  JournalLog& copy_;
  std::mutex mu_;
  std::map<int64_t, int64_t> copy_ids_;  // local id -> copy id
};

/// Appends every entry of `from` (intents, and outcomes where recorded) to
/// `to` as new entries; returns how many.
Result<int> ImportJournal(JournalLog& from, JournalLog& to);

}  // namespace infra::state
