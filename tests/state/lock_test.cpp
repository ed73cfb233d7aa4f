// StateLock: with real processes, a second process is refused with the
// holder named, waits, never overlaps another holder and takes over a
// vanished holder; on a fake clock (no sleeps), waits time out, leases lapse
// and are taken over, heartbeats renew, and a force-unlocked holder notices.
#include "state/lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "fakes/fake_clock.h"
#include "state/database.h"
#include "state/journal.h"
#include "state/store.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

using infra::testing::FakeClock;
using testing::ChildProcess;
using testing::ReadAll;
using testing::ScopedKeyEnv;
using testing::TempDir;

// Counts heartbeats (LockOptions::on_heartbeat) so a test can wait for the
// n-th renewal instead of sleeping.
class Beats {
 public:
  std::function<void(bool)> Hook() {
    return [this](bool renewed) {
      std::lock_guard<std::mutex> l(mu_);
      ++count_;
      last_ = renewed;
      cv_.notify_all();
    };
  }
  /// Waits for the n-th beat; returns whether it renewed the lease.
  bool Await(int n) {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [&] { return count_ >= n; });
    return last_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
  bool last_ = false;
};

class LockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = StateStore::Open(path());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_ = std::move(*store);
  }
  std::string path() const { return dir_.File("stack.db"); }
  std::unique_ptr<StateLock> Take(const std::string& command, std::chrono::milliseconds timeout = {}) {
    LockOptions options;
    options.command = command;
    options.timeout = timeout;
    auto lock = StateLock::Acquire(*store_, options);
    EXPECT_TRUE(lock.ok()) << lock.error().ToString();
    return lock.ok() ? std::move(*lock) : nullptr;
  }
  // Plants a lock row as another process would have written it.
  void PlantLock(const std::string& id, const std::string& host, int64_t pid, int64_t expires_unix_ms) {
    std::lock_guard<std::mutex> guard(store_->mutex());
    auto stmt = store_->database().Prepare(
        "INSERT OR REPLACE INTO lock VALUES(1, ?1, 'carol', ?2, ?3, 'apply', '2026-01-01T00:00:00Z', ?4)");
    ASSERT_TRUE(stmt.ok());
    ASSERT_TRUE(stmt->Bind(1, id).Bind(2, host).Bind(3, pid).Bind(4, expires_unix_ms).Run().ok());
  }
  static int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  ScopedKeyEnv key_{"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"};
  TempDir dir_;
  std::unique_ptr<StateStore> store_;
};

TEST_F(LockTest, SecondProcessIsRefusedWithTheHolderNamed) {
  auto lock = Take("apply");
  ASSERT_TRUE(lock);
  ChildProcess child({"lock", path(), "plan", "0", "0"});
  std::string line;
  ASSERT_TRUE(child.ReadLine(&line));
  EXPECT_EQ(child.Wait(), 3);
  ProcessIdentity me = ProcessIdentity::Current();
  EXPECT_NE(line.find("the state is locked"), std::string::npos) << line;
  EXPECT_NE(line.find(lock->info().id), std::string::npos) << line;
  EXPECT_NE(line.find("held by " + me.user + " on " + me.host), std::string::npos) << line;
  EXPECT_NE(line.find("pid " + std::to_string(::getpid())), std::string::npos) << line;
  EXPECT_NE(line.find("`infra apply`"), std::string::npos) << line;
  EXPECT_NE(line.find("since " + lock->info().since), std::string::npos) << line;
  EXPECT_NE(line.find("infra force-unlock " + lock->info().id), std::string::npos) << line;
}

TEST_F(LockTest, WaiterGetsTheLockWhenTheHolderReleasesWithinTheTimeout) {
  auto lock = Take("apply");
  ASSERT_TRUE(lock);
  ChildProcess child({"lock", path(), "plan", "60000", "0"});
  std::string line;
  ASSERT_TRUE(child.ReadLine(&line));
  ASSERT_EQ(line, "waiting");  // it found the lock held and waits
  ASSERT_TRUE(lock->Unlock().ok());
  ASSERT_TRUE(child.ReadLine(&line));
  EXPECT_EQ(line.rfind("acquired ", 0), 0u) << line;
  EXPECT_EQ(child.Wait(), 0);
}

TEST_F(LockTest, WaiterGivesUpAfterTheTimeout) {
  auto lock = Take("apply");
  ASSERT_TRUE(lock);
  FakeClock clock;
  auto other = StateStore::Open(path());
  ASSERT_TRUE(other.ok());
  std::optional<Result<std::unique_ptr<StateLock>>> waited;
  std::thread waiter([&] {
    waited = StateLock::Acquire(**other, {.command = "plan", .timeout = std::chrono::milliseconds(400), .clock = &clock});
  });
  clock.AwaitWaiters(1);  // refused once, now waiting for its next attempt
  clock.Advance(std::chrono::seconds(1));
  waiter.join();
  ASSERT_TRUE(waited.has_value());
  ASSERT_FALSE(waited->ok());
  EXPECT_EQ(waited->error().code, "StateLocked");
  EXPECT_NE(waited->error().message.find("waited 1.0s"), std::string::npos) << waited->error().message;
}

// Six processes start together with a generous timeout; each appends
// start/end lines while it holds the lock. Holders must never overlap.
TEST_F(LockTest, RacingProcessesNeverHoldTheLockTogether) {
  std::string log = dir_.File("holders.log");
  std::vector<std::unique_ptr<ChildProcess>> children;
  for (int i = 0; i < 6; ++i)
    children.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{"lock", path(), "apply", "30000", "100", log}));
  for (auto& c : children) EXPECT_EQ(c->Wait(), 0);
  std::istringstream lines(ReadAll(log));
  std::string word, pid, holder;
  int starts = 0;
  while (lines >> word >> pid) {
    if (word == "start") {
      EXPECT_TRUE(holder.empty()) << pid << " started while " << holder << " held the lock";
      holder = pid;
      ++starts;
    } else {
      EXPECT_EQ(holder, pid);
      holder.clear();
    }
  }
  EXPECT_EQ(starts, 6);
}

TEST_F(LockTest, OnlyOneOfSimultaneousNoWaitAttemptsWins) {
  std::vector<std::unique_ptr<ChildProcess>> children;
  for (int i = 0; i < 4; ++i)  // the winner holds the lock until killed
    children.push_back(
        std::make_unique<ChildProcess>(std::vector<std::string>{"lock", path(), "apply", "0", "-1"}));
  int won = 0, refused = 0;
  for (auto& c : children) {
    std::string line;
    ASSERT_TRUE(c->ReadLine(&line));
    if (line.rfind("acquired ", 0) == 0) {
      ++won;
    } else {
      EXPECT_EQ(line.rfind("locked ", 0), 0u) << line;
      refused += c->Wait() == 3;
    }
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(refused, 3);
}

TEST_F(LockTest, VanishedHolderOnThisHostIsTakenOver) {
  ChildProcess child({"lock-and-vanish", path()});
  std::string line;
  ASSERT_TRUE(child.ReadLine(&line));
  child.Wait();
  auto held = CurrentLock(*store_);
  ASSERT_TRUE(held.ok() && held->has_value());
  EXPECT_EQ((*held)->pid, child.pid());
  EXPECT_EQ("acquired " + (*held)->id, line);
  auto lock = Take("apply");  // no waiting needed: pid is gone
  ASSERT_TRUE(lock);
  EXPECT_EQ(lock->info().pid, ::getpid());
}

TEST_F(LockTest, KilledButUnreapedHolderIsTakenOver) {
  // A holder killed with kill -9 whose parent (a CI runner, a shell) has not
  // reaped it yet is a zombie: kill(pid, 0) still succeeds, but it will never
  // renew or release the lock.
  ChildProcess child({"lock-and-vanish", path()});
  std::string line;
  ASSERT_TRUE(child.ReadLine(&line));
  child.AwaitExitWithoutReaping();
  std::ifstream stat("/proc/" + std::to_string(child.pid()) + "/stat");
  std::string text;
  std::getline(stat, text);
  size_t paren = text.rfind(')');
  ASSERT_TRUE(paren != std::string::npos && paren + 2 < text.size()) << text;
  ASSERT_EQ(text[paren + 2], 'Z') << "the child is not a zombie: " << text;
  auto lock = Take("apply");  // no waiting: the zombie counts as gone
  ASSERT_TRUE(lock);
  EXPECT_EQ(lock->info().pid, ::getpid());
  child.Wait();
}

TEST_F(LockTest, AHolderWhoseLeaseWasTakenOverCanWriteNothing) {
  FakeClock clock;
  LockOptions slow;  // a holder that stops renewing (e.g. a paused CI job)
  slow.command = "apply";
  slow.lease = std::chrono::milliseconds(200);
  slow.heartbeat = std::chrono::milliseconds(60000);
  slow.clock = &clock;
  auto old_holder = StateLock::Acquire(*store_, slow);
  ASSERT_TRUE(old_holder.ok()) << old_holder.error().ToString();
  ResourceRecord mine{.address = "aws_vpc.main", .type = "aws_vpc", .region = "eu-west-1", .id = "vpc-old"};
  ASSERT_TRUE(store_->PutResource(mine).ok());  // still ours: writes go through
  clock.Advance(std::chrono::milliseconds(300));  // the lease lapses unrenewed

  auto other = StateStore::Open(path());
  ASSERT_TRUE(other.ok());
  auto new_holder = StateLock::Acquire(**other, LockOptions{.command = "apply", .clock = &clock});
  ASSERT_TRUE(new_holder.ok()) << new_holder.error().ToString();
  ResourceRecord theirs = mine;
  theirs.id = "vpc-new";
  ASSERT_TRUE((*other)->PutResource(theirs).ok());

  ResourceRecord stale = mine;
  stale.id = "vpc-stale";
  Status put = store_->PutResource(stale);
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, "StateLockLost");
  EXPECT_NE(put.error().message.find((*new_holder)->info().id), std::string::npos) << put.error().message;
  EXPECT_EQ(store_->DeleteResource("aws_vpc.main").error().code, "StateLockLost");
  EXPECT_EQ(store_->ReplaceOutputs({}).error().code, "StateLockLost");
  EXPECT_EQ(store_->BeginApply(HistoryEntry{.command = "apply"}).error().code, "StateLockLost");
  Journal journal(*store_);
  auto intent = journal.RecordIntent("aws_vpc.other", "create", "tok");
  ASSERT_FALSE(intent.ok());  // no intent, so the executor makes no AWS call
  EXPECT_EQ(intent.error().code, "StateLockLost");

  auto stored = (*other)->GetResource("aws_vpc.main");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->id, "vpc-new");
  EXPECT_TRUE(Journal(**other).Unfinished()->empty());
  EXPECT_TRUE((*new_holder)->Unlock().ok());
  EXPECT_TRUE((*old_holder)->Unlock().ok());  // not ours any more: deletes nothing
}

TEST_F(LockTest, ForceUnlockedHolderCanWriteNothing) {
  auto lock = Take("apply");
  ASSERT_TRUE(lock);
  ASSERT_TRUE(ForceUnlock(*store_, lock->info().id).ok());
  Status put = store_->PutResource(ResourceRecord{.address = "aws_vpc.main", .type = "aws_vpc", .id = "vpc-1"});
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, "StateLockLost");
  EXPECT_NE(put.error().message.find("force-unlocked"), std::string::npos) << put.error().message;
  EXPECT_FALSE(store_->GetResource("aws_vpc.main")->has_value());
}

TEST_F(LockTest, ExpiredLeaseFromAnotherHostIsTakenOver) {
  PlantLock("old-lock", "some-other-host", 1, NowMs() - 1000);
  auto lock = Take("apply");
  ASSERT_TRUE(lock);
  auto held = CurrentLock(*store_);
  EXPECT_EQ((*held)->id, lock->info().id);
}

TEST_F(LockTest, LiveLeaseFromAnotherHostIsRespected) {
  PlantLock("their-lock", "some-other-host", 1, NowMs() + 60000);
  LockOptions options;
  options.command = "apply";
  auto lock = StateLock::Acquire(*store_, options);
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.error().code, "StateLocked");
  EXPECT_NE(lock.error().message.find("carol on some-other-host (pid 1"), std::string::npos)
      << lock.error().message;
}

TEST_F(LockTest, HeartbeatKeepsAShortLeaseAlive) {
  FakeClock clock;
  Beats beats;
  LockOptions options;
  options.command = "apply";
  options.lease = std::chrono::milliseconds(600);
  options.heartbeat = std::chrono::milliseconds(100);
  options.clock = &clock;
  options.on_heartbeat = beats.Hook();
  auto lock = StateLock::Acquire(*store_, options);
  ASSERT_TRUE(lock.ok());
  auto first = CurrentLock(*store_);
  for (int beat = 1; beat <= 15; ++beat) {  // 1.5 s: 2.5 leases
    clock.AwaitWaiters(1);
    clock.Advance(std::chrono::milliseconds(100));
    ASSERT_TRUE(beats.Await(beat));
  }
  auto later = CurrentLock(*store_);
  ASSERT_TRUE(later.ok() && later->has_value());
  EXPECT_EQ((*later)->expires_unix_ms, (*first)->expires_unix_ms + 1500);
  auto second = StateLock::Acquire(*store_, {.command = "plan", .clock = &clock});
  ASSERT_FALSE(second.ok());  // still held: the lease never lapsed
  EXPECT_EQ(second.error().code, "StateLocked");
  EXPECT_FALSE((*lock)->lost());
}

TEST_F(LockTest, ForceUnlockNeedsTheRightIdAndTheHolderNotices) {
  FakeClock clock;
  Beats beats;
  LockOptions options;
  options.command = "apply";
  options.heartbeat = std::chrono::milliseconds(50);
  options.clock = &clock;
  options.on_heartbeat = beats.Hook();
  auto lock = StateLock::Acquire(*store_, options);
  ASSERT_TRUE(lock.ok());
  auto wrong = ForceUnlock(*store_, "not-the-id");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "StateLockMismatch");
  auto removed = ForceUnlock(*store_, (*lock)->info().id);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->command, "apply");
  EXPECT_FALSE(CurrentLock(*store_)->has_value());
  EXPECT_EQ(ForceUnlock(*store_, (*lock)->info().id).error().code, "StateNotLocked");
  EXPECT_FALSE((*lock)->lost());  // not until its next heartbeat
  clock.AwaitWaiters(1);
  clock.Advance(std::chrono::milliseconds(50));
  EXPECT_FALSE(beats.Await(1));  // the renewal found the lock gone
  EXPECT_TRUE((*lock)->lost());
}

TEST_F(LockTest, UnlockReleasesAndIsIdempotent) {
  auto lock = Take("state rm");
  ASSERT_TRUE(lock);
  EXPECT_EQ((*CurrentLock(*store_))->command, "state rm");
  ASSERT_TRUE(lock->Unlock().ok());
  ASSERT_TRUE(lock->Unlock().ok());
  EXPECT_FALSE(CurrentLock(*store_)->has_value());
  // Unlocking lifts the fence: a released lock is not a lost one.
  EXPECT_TRUE(store_->PutResource(ResourceRecord{.address = "aws_vpc.main", .type = "aws_vpc", .id = "vpc-1"}).ok());
  auto again = Take("apply");
  EXPECT_TRUE(again);
}

}  // namespace
}  // namespace infra::state
