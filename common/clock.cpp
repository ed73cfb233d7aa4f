// The real clock's out-of-line parts.
#include "common/clock.h"

#include <thread>

namespace infra {

void SystemClock::SleepUntil(Steady::time_point until) const { std::this_thread::sleep_until(until); }

Clock& RealClock() {
  static SystemClock* clock = new SystemClock();  // never destroyed: usable from any static's teardown
  return *clock;
}

}  // namespace infra
