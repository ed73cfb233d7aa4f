// A child process for the state tests: spawns state_test_helper (fork +
// exec, so no SQLite connection crosses a fork), reads its stdout lines,
// waits for or kills it.
#pragma once
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

namespace infra::state::testing {

class ChildProcess {
 public:
  /// Runs the helper with `args`; stdout is captured, stderr inherited.
  explicit ChildProcess(const std::vector<std::string>& args) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      std::string helper = STATE_TEST_HELPER;
      argv.push_back(helper.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(helper.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
    if (out_ >= 0) ::close(out_);
  }

  pid_t pid() const { return pid_; }

  /// Next stdout line without the newline; false at end of output.
  bool ReadLine(std::string* line) {
    line->clear();
    char c;
    while (::read(out_, &c, 1) == 1) {
      if (c == '\n') return true;
      line->push_back(c);
    }
    return !line->empty();
  }

  /// Waits for exit; returns the exit code, or 128 + signal.
  int Wait() {
    if (reaped_) return status_;
    int st = 0;
    ::waitpid(pid_, &st, 0);
    reaped_ = true;
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return status_;
  }

  /// Blocks until the child has exited (it is then a zombie until Wait
  /// reaps it): the wait for a real process that tests may do.
  void AwaitExitWithoutReaping() {
    siginfo_t info{};
    ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOWAIT);
  }

  void Kill9() { ::kill(pid_, SIGKILL); }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace infra::state::testing
