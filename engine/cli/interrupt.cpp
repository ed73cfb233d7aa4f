// Signal handlers write lock-free atomics only (async-signal-safe); the
// executor polls them from its loop at least every 100 ms.
#include "engine/cli/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

namespace infra::engine {
namespace {
std::atomic<bool> g_stop{false};
std::atomic<bool> g_cancel{false};
std::atomic<int> g_signal{0};
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];

void OnSignal(int sig) {
  if (g_stop.exchange(true)) {
    g_cancel.store(true);
    const char msg[] = "\nSecond interrupt: abandoning waits for resources to become ready.\n";
    (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
    return;
  }
  g_signal.store(sig);
  const char msg[] = "\nInterrupt received: finishing calls in flight, saving state. Send again to stop waiting.\n";
  (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
}
}  // namespace

Interrupt::Interrupt() {
  g_stop = false;
  g_cancel = false;
  g_signal = 0;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &g_previous[i]);
}

Interrupt::~Interrupt() {
  for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &g_previous[i], nullptr);
}

const std::atomic<bool>* Interrupt::stop() const { return &g_stop; }
const std::atomic<bool>* Interrupt::StopFlag() { return &g_stop; }
const std::atomic<bool>* Interrupt::cancel() const { return &g_cancel; }
int Interrupt::signal_number() const { return g_signal.load(); }

}  // namespace infra::engine
