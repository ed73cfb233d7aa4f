// Journal: intent/outcome/resolve semantics, resolution in the same
// transaction as the resource row, and kill -9 of a writer process at
// random moments: the file stays sound and nothing reported committed is lost.
#include "state/journal.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <sstream>

#include "child_process.h"
#include "state/store.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

using testing::ChildProcess;
using testing::ReadAll;
using testing::ScopedKeyEnv;
using testing::TempDir;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = StateStore::Open(dir_.File("j.db"));
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_ = std::move(*store);
  }
  ScopedKeyEnv key_{"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"};
  TempDir dir_;
  std::unique_ptr<StateStore> store_;
};

TEST_F(JournalTest, IntentWithoutOutcomeIsUnfinished) {
  Journal journal(*store_);
  auto id = journal.RecordIntent({.address = "aws_vpc.main",
                                  .operation = "create",
                                  .token = "tok-1",
                                  .type = "aws_vpc",
                                  .region = "eu-west-1",
                                  .payload = {{"cidr_block", "10.0.0.0/16"}}});
  ASSERT_TRUE(id.ok());
  auto open = journal.Unfinished();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  const JournalEntry& e = (*open)[0];
  EXPECT_EQ(e.id, *id);
  EXPECT_EQ(e.address, "aws_vpc.main");
  EXPECT_EQ(e.operation, "create");
  EXPECT_EQ(e.token, "tok-1");
  EXPECT_EQ(e.type, "aws_vpc");
  EXPECT_EQ(e.region, "eu-west-1");
  EXPECT_EQ(e.payload["cidr_block"], "10.0.0.0/16");
  EXPECT_FALSE(e.finished);
  EXPECT_FALSE(e.started_at.empty());
}

TEST_F(JournalTest, OutcomeIsRecordedAndStaysUnresolvedUntilResolved) {
  Journal journal(*store_);
  auto id = journal.RecordIntent("aws_vpc.main", "create", "tok-1");
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(journal.RecordOutcome(*id, true, "vpc-123", "").ok());
  auto open = journal.Unfinished();
  ASSERT_TRUE(open.ok() && open->size() == 1u);
  EXPECT_TRUE((*open)[0].finished);
  EXPECT_TRUE((*open)[0].ok);
  EXPECT_EQ((*open)[0].physical_id, "vpc-123");
  EXPECT_TRUE((*open)[0].payload.is_null());
  ASSERT_TRUE(journal.Resolve(*id, "adopted vpc-123").ok());
  ASSERT_TRUE(journal.Resolve(*id).ok());  // idempotent
  EXPECT_TRUE(journal.Unfinished()->empty());
  EXPECT_EQ(journal.RecordOutcome(*id + 50, false, "", "x").error().code, "StateNoSuchJournalEntry");
}

TEST_F(JournalTest, PutAndDeleteResourceResolveTheirEntryAtomically) {
  Journal journal(*store_);
  auto create = journal.RecordIntent("aws_vpc.a", "create", "t1");
  auto remove = journal.RecordIntent("aws_vpc.b", "delete", "t2");
  auto other = journal.RecordIntent("aws_vpc.c", "create", "t3");
  ASSERT_TRUE(create.ok() && remove.ok() && other.ok());
  ResourceRecord r;
  r.address = "aws_vpc.a";
  r.type = "aws_vpc";
  r.id = "vpc-a";
  ASSERT_TRUE(store_->PutResource(r, *create).ok());
  ASSERT_TRUE(store_->DeleteResource("aws_vpc.b", *remove).ok());
  auto open = journal.Unfinished();
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].id, *other);
}

TEST_F(JournalTest, FailedOutcomeCarriesItsDetail) {
  Journal journal(*store_);
  auto id = journal.RecordIntent("aws_subnet.s", "create", "t");
  ASSERT_TRUE(journal.RecordOutcome(*id, false, "", "InvalidSubnet.Conflict: overlaps").ok());
  auto open = journal.Unfinished();
  EXPECT_FALSE((*open)[0].ok);
  EXPECT_EQ((*open)[0].detail, "InvalidSubnet.Conflict: overlaps");
}

TEST_F(JournalTest, PruneKeepsUnresolvedEntries) {
  Journal journal(*store_);
  for (int i = 0; i < 10; ++i) {
    auto id = journal.RecordIntent("a" + std::to_string(i), "create", "t");
    ASSERT_TRUE(id.ok());
    if (i != 3) {
      ASSERT_TRUE(journal.Resolve(*id).ok());
    }
  }
  ASSERT_TRUE(journal.Prune(2).ok());
  auto open = journal.Unfinished();
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].address, "a3");
}

TEST_F(JournalTest, PayloadNeverReachesTheFileInPlaintext) {
  Journal journal(*store_);
  ASSERT_TRUE(journal.RecordIntent({.address = "aws_db.x", .operation = "create", .payload = {{"pw", "Zebra-9931"}}})
                  .ok());
  ASSERT_TRUE(store_->Close().ok());
  std::string raw = ReadAll(dir_.File("j.db")) + ReadAll(dir_.File("j.db-wal"));
  EXPECT_NE(raw.find("aws_db.x"), std::string::npos);
  EXPECT_EQ(raw.find("Zebra-9931"), std::string::npos);
}

// The writer reports "intent I ID", "outcome I", "put I" after each commit.
// It is killed at a random moment, many times over the same file.
TEST(JournalCrashTest, KillNineNeverLosesACommittedRecord) {
  ScopedKeyEnv key("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  TempDir dir;
  std::string path = dir.File("crash.db");
  std::mt19937 rng(20261121);
  std::map<long, int64_t> intents;  // iteration -> journal id
  std::set<long> outcomes, puts;
  long next = 0;
  constexpr int kRounds = 25;
  for (int round = 0; round < kRounds; ++round) {
    ChildProcess writer({"journal-writer", path, std::to_string(next)});
    // Let it run 0-60 ms after it has committed at least once (so every round
    // kills a process mid-stream, not one still opening the file).
    std::string line;
    ASSERT_TRUE(writer.ReadLine(&line)) << "writer died at once";
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(rng() % 60);
    std::vector<std::string> lines{line};
    while (std::chrono::steady_clock::now() < deadline && writer.ReadLine(&line)) lines.push_back(line);
    writer.Kill9();
    while (writer.ReadLine(&line)) lines.push_back(line);  // whatever it reported before dying
    EXPECT_EQ(writer.Wait(), 128 + SIGKILL);
    for (const auto& l : lines) {
      std::istringstream in(l);
      std::string what;
      long i = 0;
      in >> what >> i;
      if (what == "intent") in >> intents[i];
      if (what == "outcome") outcomes.insert(i);
      if (what == "put") puts.insert(i);
      ASSERT_NE(what, "error") << l;
      next = std::max(next, i + 1);
    }
  }
  ASSERT_GT(puts.size(), 10u);

  auto store = StateStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto report = (*store)->IntegrityCheck();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(*report, "ok");
  auto resources = (*store)->LoadResources();
  ASSERT_TRUE(resources.ok()) << resources.error().ToString();
  std::map<std::string, ResourceRecord> by_address;
  for (auto& r : *resources) by_address[r.address] = r;
  for (long i : puts) {
    auto it = by_address.find("aws_instance.n" + std::to_string(i));
    ASSERT_NE(it, by_address.end()) << "lost committed resource " << i;
    EXPECT_EQ(it->second.attributes["password"], "pw-" + std::to_string(i));
  }
  Journal journal(**store);
  auto open = journal.Unfinished();
  ASSERT_TRUE(open.ok());
  std::map<int64_t, JournalEntry> unresolved;
  for (auto& e : *open) unresolved[e.id] = e;
  for (auto& [i, id] : intents) {
    bool resolved = !unresolved.count(id);
    if (puts.count(i)) {
      EXPECT_TRUE(resolved) << "resource " << i << " saved but its intent is still open";
    } else {
      // The put was not reported: either it committed just before the kill
      // (then the entry is resolved and the row exists) or the intent is open.
      bool row = by_address.count("aws_instance.n" + std::to_string(i)) > 0;
      EXPECT_NE(resolved, !row) << "iteration " << i << ": resolved=" << resolved << " row=" << row;
      if (!resolved && outcomes.count(i)) {
        EXPECT_TRUE(unresolved[id].finished) << "lost outcome " << i;
      }
    }
  }
}

}  // namespace
}  // namespace infra::state
