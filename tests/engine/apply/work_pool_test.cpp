// WorkPool: runs every task, never more threads than its cap, and starts
// threads only on demand.
#include "engine/apply/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace infra::engine {
namespace {

TEST(WorkPoolTest, RunsAllTasksWithinTheCap) {
  std::atomic<int> done{0}, running{0}, peak{0};
  {
    WorkPool pool(3);
    for (int i = 0; i < 20; ++i)
      pool.Submit([&] {
        int now = ++running;
        int p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        --running;
        ++done;
      });
    EXPECT_LE(pool.threads(), 3);
  }
  EXPECT_EQ(done.load(), 20);
  EXPECT_LE(peak.load(), 3);
}

TEST(WorkPoolTest, StartsThreadsOnDemandOnly) {
  WorkPool pool(256);
  std::atomic<int> done{0};
  pool.Submit([&] { ++done; });
  while (done.load() == 0) std::this_thread::yield();
  EXPECT_EQ(pool.threads(), 1);
}

}  // namespace
}  // namespace infra::engine
