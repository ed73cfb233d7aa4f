// JournalMirror writes both journals in step and fails an intent the copy
// refuses (a lost remote lease); ImportJournal carries intents and outcomes.
#include "state/journal_mirror.h"

#include <gtest/gtest.h>

namespace infra::state {
namespace {

// A journal in memory; `refuse` makes every write fail as a lost lease.
class MemoryJournal final : public JournalLog {
 public:
  Result<int64_t> RecordIntent(const JournalIntent& i) override {
    if (refuse) return MakeError(Error::Kind::kConflict, "StateLockLost", "lease lost");
    JournalEntry e;
    e.id = 100 + static_cast<int64_t>(entries.size());
    e.address = i.address;
    e.operation = i.operation;
    e.token = i.token;
    e.payload = i.payload;
    entries.push_back(e);
    return e.id;
  }
  Status RecordOutcome(int64_t id, bool ok, const std::string& physical_id, const std::string& detail) override {
    if (refuse) return MakeError(Error::Kind::kConflict, "StateLockLost", "lease lost");
    for (auto& e : entries)
      if (e.id == id) {
        e.finished = true;
        e.ok = ok;
        e.physical_id = physical_id;
        e.detail = detail;
        return {};
      }
    return MakeError(Error::Kind::kNotFound, "StateNoSuchJournalEntry", "no such entry");
  }
  Result<std::vector<JournalEntry>> Unfinished() override { return entries; }
  Status Resolve(int64_t, const std::string&) override { return {}; }
  std::vector<JournalEntry> entries;
  bool refuse = false;
};

TEST(JournalMirrorTest, IntentsAndOutcomesReachBothJournalsUnderTheLocalId) {
  MemoryJournal local, copy;
  local.entries.push_back({});  // local ids and copy ids differ
  JournalMirror mirror(local, copy);
  auto id = mirror.RecordIntent({"aws_vpc.main", "create", "tok", "aws_vpc", "eu-central-1", nullptr});
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, 101);
  ASSERT_TRUE(mirror.RecordOutcome(*id, true, "vpc-1", "").ok());
  ASSERT_EQ(copy.entries.size(), 1u);
  EXPECT_EQ(copy.entries[0].address, "aws_vpc.main");
  EXPECT_TRUE(copy.entries[0].finished);
  EXPECT_EQ(copy.entries[0].physical_id, "vpc-1");
  EXPECT_TRUE(local.entries[1].finished);
}

TEST(JournalMirrorTest, AnIntentTheCopyRefusesFails) {
  MemoryJournal local, copy;
  copy.refuse = true;
  JournalMirror mirror(local, copy);
  auto id = mirror.RecordIntent({"aws_vpc.main", "create", "tok", "aws_vpc", "eu-central-1", nullptr});
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, "StateLockLost");
}

TEST(JournalMirrorTest, ImportCarriesIntentsAndOutcomes) {
  MemoryJournal from, to;
  auto a = from.RecordIntent({"aws_vpc.a", "create", "t1", "", "", nlohmann::json{{"k", 1}}});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(from.RecordOutcome(*a, true, "vpc-a", "").ok());
  ASSERT_TRUE(from.RecordIntent({"aws_vpc.b", "delete", "t2", "", "", nullptr}).ok());
  auto n = ImportJournal(from, to);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  ASSERT_EQ(to.entries.size(), 2u);
  EXPECT_EQ(to.entries[0].token, "t1");
  EXPECT_TRUE(to.entries[0].finished);
  EXPECT_EQ(to.entries[0].payload, nlohmann::json({{"k", 1}}));
  EXPECT_FALSE(to.entries[1].finished);
}

}  // namespace
}  // namespace infra::state
