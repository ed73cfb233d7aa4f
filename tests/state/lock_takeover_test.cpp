// StateLock's takeover and ForceUnlock over any LockRecord (the remote lock
// item's shape, here held in memory): a holder whose pid is gone is taken
// over at once only when its pid is one this process can see (same host
// name *and* pid space); a holder that shares only the host name (another
// container) keeps its lock until its lease lapses. ForceUnlock on a record
// has the local one's checks and deletes conditionally on the lock id.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>

#include "state/lock.h"
#include "state/store.h"

namespace infra::state {
namespace {

// One lock item, each call atomic and conditional as DynamoDB's are.
class MemoryLockRecord final : public LockRecord {
 public:
  explicit MemoryLockRecord(std::optional<LockInfo>* item) : item_(item) {}
  Result<std::optional<LockInfo>> Read() override { return *item_; }
  Result<bool> Take(const LockInfo& me, const std::string& replacing) override {
    if (*item_ ? (*item_)->id != replacing : !replacing.empty()) return false;
    *item_ = me;
    return true;
  }
  Result<bool> Renew(const std::string& id, int64_t expires_unix_ms) override {
    if (!*item_ || (*item_)->id != id) return false;
    (*item_)->expires_unix_ms = expires_unix_ms;
    return true;
  }
  Status Release(const std::string& id) override {
    if (*item_ && (*item_)->id == id) item_->reset();
    return {};
  }

 private:
  std::optional<LockInfo>* item_;
};

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The pid of a process that existed on this host and is gone (reaped).
int64_t GonePid() {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

LockInfo Holder(int64_t pid, const std::string& pid_space, int64_t lease_left_ms) {
  LockInfo h;
  h.id = "held-by-" + std::to_string(pid);
  h.user = "carol";
  h.host = ProcessIdentity::Current().host;  // the same host name as ours
  h.pid = pid;
  h.command = "apply";
  h.since = "2026-12-02T00:00:00Z";
  h.expires_unix_ms = NowMs() + lease_left_ms;
  h.expires_at = IsoFromUnixMs(h.expires_unix_ms);
  h.pid_space = pid_space;
  return h;
}

Result<std::unique_ptr<StateLock>> Acquire(std::optional<LockInfo>* item) {
  LockOptions options;
  options.command = "apply";
  return StateLock::Acquire(std::make_unique<MemoryLockRecord>(item), "s3://b/k", options);
}

TEST(LockTakeoverTest, ThisProcessRecordsItsPidSpace) {
  std::string mine = CurrentPidSpace();
  ASSERT_FALSE(mine.empty()) << "Linux has /proc/sys/kernel/random/boot_id and /proc/self/ns/pid";
  EXPECT_NE(mine.find('/'), std::string::npos) << mine;
  std::optional<LockInfo> item;
  auto lock = Acquire(&item);
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();
  EXPECT_EQ(item->pid_space, mine);
}

TEST(LockTakeoverTest, AGoneHolderInOurPidSpaceIsTakenOverAtOnce) {
  std::optional<LockInfo> item = Holder(GonePid(), CurrentPidSpace(), 60000);
  auto lock = Acquire(&item);
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();
  EXPECT_EQ(item->pid, ::getpid());
}

TEST(LockTakeoverTest, AHolderSharingOnlyOurHostNameKeepsItsLockUntilItsLeaseLapses) {
  // Another container with the same host name: its pid means nothing here.
  int64_t pid = GonePid();
  std::optional<LockInfo> item = Holder(pid, "other-boot-id/4026531836", 60000);
  auto refused = Acquire(&item);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "StateLocked");
  EXPECT_NE(refused.error().message.find("(pid " + std::to_string(pid)), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(item->id, "held-by-" + std::to_string(pid)) << "not taken over";

  item = Holder(pid, "unrecorded", 60000);  // a remote item that does not say
  EXPECT_FALSE(Acquire(&item).ok());

  item = Holder(pid, "other-boot-id/4026531836", -1000);  // its lease lapsed
  auto took = Acquire(&item);
  ASSERT_TRUE(took.ok()) << took.error().ToString();
  EXPECT_EQ(item->pid, ::getpid());
}

TEST(LockTakeoverTest, ALocalRowWithoutAPidSpaceKeepsTheHostRule) {
  std::optional<LockInfo> item = Holder(GonePid(), "", 60000);
  EXPECT_TRUE(Acquire(&item).ok());
}

TEST(LockTakeoverTest, ForceUnlockOnARecordChecksTheIdAndALiveHolderHereThenDeletes) {
  std::optional<LockInfo> item = Holder(::getpid(), CurrentPidSpace(), 60000);  // alive: us
  std::string id = item->id;
  auto wrong = ForceUnlock(*std::make_unique<MemoryLockRecord>(&item), "s3://b/k", "not-the-id");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "StateLockMismatch");
  EXPECT_EQ(wrong.error().message.find(id), std::string::npos) << "never leaks the id: " << wrong.error().message;
  EXPECT_NE(wrong.error().message.find("s3://b/k"), std::string::npos);

  MemoryLockRecord record(&item);
  auto alive = ForceUnlock(record, "s3://b/k", id);
  ASSERT_FALSE(alive.ok());
  EXPECT_EQ(alive.error().code, "StateLockHolderAlive");
  EXPECT_TRUE(item.has_value());
  auto forced = ForceUnlock(record, "s3://b/k", id, /*force=*/true);
  ASSERT_TRUE(forced.ok()) << forced.error().ToString();
  EXPECT_EQ(forced->holder.id, id);
  EXPECT_FALSE(item.has_value());

  auto none = ForceUnlock(record, "s3://b/k", id);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "StateNotLocked");

  // A live lease elsewhere (another pid space): infra cannot tell; the user decides.
  item = Holder(::getpid(), "other-boot-id/1", 60000);
  EXPECT_TRUE(ForceUnlock(record, "s3://b/k", item->id).ok());
  item = Holder(::getpid(), CurrentPidSpace(), -1000);
  auto lapsed = ForceUnlock(record, "s3://b/k", item->id);
  ASSERT_TRUE(lapsed.ok());
  EXPECT_NE(lapsed->lapsed.find("lapsed at"), std::string::npos);
}

}  // namespace
}  // namespace infra::state
