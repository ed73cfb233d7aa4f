// Interrupt: SIGINT, SIGTERM and SIGHUP alike. The first sets `stop` (start
// nothing new, let calls in flight return, save state, exit non-zero); the
// second sets `cancel` (abandon waits). Handlers only store to atomics.
#pragma once
#include <atomic>

namespace infra::engine {

class Interrupt {
 public:
  /// Installs the handlers for the lifetime of this object (one at a time).
  Interrupt();
  /// Restores the previous handlers.
  ~Interrupt();
  Interrupt(const Interrupt&) = delete;
  Interrupt& operator=(const Interrupt&) = delete;

  const std::atomic<bool>* stop() const;
  /// The same flag as stop(), usable before an Interrupt exists (e.g. to
  /// give the AWS client at start-up); false until a handler sees a signal.
  static const std::atomic<bool>* StopFlag();
  const std::atomic<bool>* cancel() const;
  /// The first signal received (0 if none).
  int signal_number() const;
};

}  // namespace infra::engine
