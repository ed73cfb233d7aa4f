// JournalMirror: two journals written in step; ImportJournal copies one
// into the other (a remote journal into a fresh local table).
#include "state/journal_mirror.h"

namespace infra::state {

Result<int64_t> JournalMirror::RecordIntent(const JournalIntent& intent) {
  auto id = local_.RecordIntent(intent);
  if (!id.ok()) return id;
  auto copy = copy_.RecordIntent(intent);
  if (!copy.ok()) return copy.error();
  std::lock_guard<std::mutex> g(mu_);
  copy_ids_[*id] = *copy;
  return id;
}

Status JournalMirror::RecordOutcome(int64_t id, bool ok, const std::string& physical_id, const std::string& detail) {
  if (Status st = local_.RecordOutcome(id, ok, physical_id, detail); !st.ok()) return st;
  int64_t copy = 0;
  {
    std::lock_guard<std::mutex> g(mu_);
    auto it = copy_ids_.find(id);
    if (it == copy_ids_.end()) return {};  // an entry from before the mirror
    copy = it->second;
  }
  return copy_.RecordOutcome(copy, ok, physical_id, detail);
}

Result<int> ImportJournal(JournalLog& from, JournalLog& to) {
  auto entries = from.Unfinished();
  if (!entries.ok()) return entries.error();
  int n = 0;
  for (const auto& e : *entries) {
    JournalIntent intent{e.address, e.operation, e.token, e.type, e.region, e.payload};
    auto id = to.RecordIntent(intent);
    if (!id.ok()) return id.error();
    if (e.finished)
      if (Status st = to.RecordOutcome(*id, e.ok, e.physical_id, e.detail); !st.ok()) return st.error();
    ++n;
  }
  return n;
}

}  // namespace infra::state
