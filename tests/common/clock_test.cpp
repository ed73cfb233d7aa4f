// The fake clock orders threads by time without sleeping: a waiter wakes
// only once time passes its deadline.
#include "common/clock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fakes/fake_clock.h"

namespace infra {
namespace {

TEST(FakeClockTest, WaitUntilReturnsOnlyAfterTheDeadlinePasses) {
  testing::FakeClock clock;
  std::mutex mu;
  std::condition_variable cv;
  std::atomic<bool> woke{false};
  auto deadline = clock.Now() + std::chrono::seconds(30);
  std::thread waiter([&] {
    std::unique_lock l(mu);
    while (clock.Now() < deadline) clock.WaitUntil(cv, l, deadline);
    woke = true;
  });
  clock.AwaitWaiters(1);
  clock.Advance(std::chrono::seconds(10));
  clock.AwaitWaiters(1);  // woke, saw 10 s < 30 s, and waits again
  EXPECT_FALSE(woke.load());
  clock.Advance(std::chrono::seconds(25));
  waiter.join();
  EXPECT_TRUE(woke.load());
}

TEST(FakeClockTest, SleepUntilAndWallTimeMoveTogether) {
  testing::FakeClock clock;
  auto wall = clock.WallNow();
  auto until = clock.Now() + std::chrono::minutes(5);
  std::thread sleeper([&] { clock.SleepUntil(until); });
  clock.AwaitWaiters(1);
  clock.Advance(std::chrono::minutes(5));
  sleeper.join();
  EXPECT_EQ(clock.WallNow() - wall, std::chrono::minutes(5));
}

TEST(SystemClockTest, PastDeadlineDoesNotBlock) {
  std::mutex mu;
  std::condition_variable cv;
  std::unique_lock l(mu);
  auto before = RealClock().Now();
  RealClock().WaitUntil(cv, l, before - std::chrono::seconds(1));
  RealClock().SleepUntil(before - std::chrono::seconds(1));
  EXPECT_GE(RealClock().Now(), before);
}

}  // namespace
}  // namespace infra
