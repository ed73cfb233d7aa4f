// RunKilledAfterCalls: fork + exec of /bin/sh, polling the proxy's
// forwarded count every 20 ms alongside a non-blocking waitpid.
#include "support/kill_after_calls.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace infra::test {

int RunKilledAfterCalls(FaultProxy& proxy, const std::string& command, int calls,
                        std::chrono::milliseconds give_up) {
  proxy.Clear();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  EXPECT_GT(pid, 0) << "fork failed";
  if (pid <= 0) return -1;
  int status = 0;
  for (auto deadline = std::chrono::steady_clock::now() + give_up;;) {
    if (proxy.WaitForwarded("", calls, std::chrono::milliseconds(20))) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      EXPECT_TRUE(proxy.WaitForwarded("", proxy.requests(), std::chrono::seconds(30)))
          << "a request that reached the proxy before the kill was never forwarded";
      break;
    }
    if (::waitpid(pid, &status, WNOHANG) == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "the command neither reached call " << calls << " nor exited: " << command;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace infra::test
