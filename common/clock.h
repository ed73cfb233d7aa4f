// The time seam: everything that waits, times out or stamps a lease asks a
// Clock, so unit tests drive time with tests/fakes/fake_clock.h instead of
// sleeping. RealClock is the process's clocks.
#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace infra {

/// Monotonic time for deadlines and waits, wall time for stamps another
/// process must read (lease expiry). Thread-safe.
class Clock {
 public:
  using Steady = std::chrono::steady_clock;
  using Wall = std::chrono::system_clock;
  virtual ~Clock() = default;
  /// Monotonic now: deadlines, grace periods, timers.
  virtual Steady::time_point Now() const = 0;
  /// Wall-clock now: anything written where another process reads it.
  virtual Wall::time_point WallNow() const = 0;
  /// Blocks on `cv` (with `lock` held) until `until` or a notify, whichever
  /// is first (spurious wake-ups allowed, as with condition_variable). A
  /// fake clock returns when its time is advanced past `until`.
  virtual void WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                         Steady::time_point until) const = 0;
  /// Sleeps until `until` (no notify): a polling wait.
  virtual void SleepUntil(Steady::time_point until) const = 0;
};

/// The real clocks. `Clock& RealClock()` is the process-wide instance.
class SystemClock final : public Clock {
 public:
  Steady::time_point Now() const override { return Steady::now(); }
  Wall::time_point WallNow() const override { return Wall::now(); }
  void WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 Steady::time_point until) const override {
    cv.wait_until(lock, until);
  }
  void SleepUntil(Steady::time_point until) const override;
};

/// The process-wide real clock (never null, never destroyed).
Clock& RealClock();

}  // namespace infra
