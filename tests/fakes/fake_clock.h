// A Clock that moves only when a test says so. Waits on it block until the
// test advances time past their deadline (or a notify wakes them), so tests
// order threads by time without sleeping.
#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <utility>

#include "common/clock.h"

namespace infra::testing {

class FakeClock final : public Clock {
 public:
  FakeClock() : steady_(Steady::time_point{} + std::chrono::hours(1)),
                wall_(Wall::time_point{} + std::chrono::hours(24 * 365 * 50)) {}

  Steady::time_point Now() const override { std::lock_guard l(mu_); return steady_; }
  Wall::time_point WallNow() const override { std::lock_guard l(mu_); return wall_; }

  /// Moves both clocks forward and wakes every waiter whose deadline passed.
  void Advance(std::chrono::nanoseconds by) {
    {
      std::lock_guard l(mu_);
      steady_ += std::chrono::duration_cast<Steady::duration>(by);
      wall_ += std::chrono::duration_cast<Wall::duration>(by);
    }
    changed_.notify_all();
    std::multiset<std::pair<std::condition_variable*, std::mutex*>> waiting;
    {
      std::lock_guard l(mu_);
      waiting = waiting_;
    }
    // Taking the owner's mutex first means the waiter is already blocked in
    // cv.wait (it holds that mutex from registration until then): no lost wake-up.
    for (auto [cv, owner] : waiting) {
      std::lock_guard o(*owner);
      cv->notify_all();
    }
  }

  /// How many threads are blocked in WaitUntil/SleepUntil right now; tests
  /// wait for this to reach N (AwaitWaiters) before advancing time.
  int waiters() const { std::lock_guard l(mu_); return waiters_; }

  /// Blocks the test thread until at least `n` threads wait on this clock.
  void AwaitWaiters(int n) const {
    std::unique_lock l(mu_);
    changed_.wait(l, [&] { return waiters_ >= n; });
  }

  void WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 Steady::time_point until) const override {
    {
      std::lock_guard l(mu_);
      if (steady_ >= until) return;
      ++waiters_;
      waiting_.insert({&cv, lock.mutex()});
    }
    changed_.notify_all();
    cv.wait(lock);  // woken by the owner's notify or by Advance
    std::lock_guard l(mu_);
    --waiters_;
    waiting_.erase(waiting_.find({&cv, lock.mutex()}));
  }

  void SleepUntil(Steady::time_point until) const override {
    std::unique_lock l(mu_);
    ++waiters_;
    changed_.notify_all();
    changed_.wait(l, [&] { return steady_ >= until; });
    --waiters_;
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  mutable std::multiset<std::pair<std::condition_variable*, std::mutex*>> waiting_;
  mutable int waiters_ = 0;
  Steady::time_point steady_;
  Wall::time_point wall_;
};

}  // namespace infra::testing
