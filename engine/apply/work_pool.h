// WorkPool: threads for blocking API calls, started on demand up to a cap
// and kept until the pool is destroyed. Nothing here waits for resources to
// become ready: that is the executor's timer queue.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace infra::engine {

class WorkPool {
 public:
  /// At most `max_threads` threads run tasks at once.
  explicit WorkPool(int max_threads);
  /// Waits for queued and running tasks to finish, then joins the threads.
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  /// Queues `task`; starts a thread if none is idle and the cap allows.
  void Submit(std::function<void()> task);
  /// Threads started so far.
  int threads() const;

 private:
  void Loop();

  int max_threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  int idle_ = 0;
  bool stopping_ = false;
};

}  // namespace infra::engine
