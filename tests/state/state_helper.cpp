// state_test_helper: the second process of the state tests (lock races,
// kill -9 of a journal writer). Reports on stdout, one line per event,
// flushed, so the parent test knows exactly what was committed.
//   lock PATH COMMAND TIMEOUT_MS HOLD_MS [LOG_FILE]   exit 0 got it, 3 locked; says "waiting" when
//                                                      it starts to wait; HOLD_MS -1 holds until killed
//   lock-and-vanish PATH                               takes the lock, exits without releasing
//   journal-writer PATH START                          writes forever from START
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "state/journal.h"
#include "state/lock.h"
#include "state/store.h"

namespace {

using infra::state::Journal;
using infra::state::LockOptions;
using infra::state::ResourceRecord;
using infra::state::StateLock;
using infra::state::StateStore;

void Say(const std::string& line) {
  std::string text = line + "\n";
  (void)!::write(1, text.data(), text.size());  // unbuffered: nothing lost on kill -9
}

void AppendLog(const std::string& file, const std::string& line) {
  if (file.empty()) return;
  int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
  std::string text = line + "\n";
  (void)!::write(fd, text.data(), text.size());
  ::close(fd);
}

int Lock(int argc, char** argv) {
  if (argc < 6) return 2;
  auto store = StateStore::Open(argv[2]);
  if (!store) {
    Say("error " + store.error().ToString());
    return 1;
  }
  LockOptions options;
  options.command = argv[3];
  options.timeout = std::chrono::milliseconds(std::atoll(argv[4]));
  options.poll = std::chrono::milliseconds(20);
  options.on_wait = [](const infra::state::LockInfo&) { Say("waiting"); };
  std::string log = argc > 6 ? argv[6] : "";
  auto lock = StateLock::Acquire(**store, options);
  if (!lock) {
    Say("locked " + lock.error().message);
    return lock.error().code == "StateLocked" ? 3 : 1;
  }
  std::string me = std::to_string(::getpid());
  AppendLog(log, "start " + me);
  Say("acquired " + (*lock)->info().id);
  long long hold = std::atoll(argv[5]);
  if (hold < 0) ::pause();  // until killed
  std::this_thread::sleep_for(std::chrono::milliseconds(hold));  // the holder's work
  AppendLog(log, "end " + me);
  return (*lock)->Unlock() ? 0 : 1;
}

int LockAndVanish(char** argv) {
  auto store = StateStore::Open(argv[2]);
  if (!store) return 1;
  LockOptions options;
  options.command = "apply";
  auto lock = StateLock::Acquire(**store, options);
  if (!lock) return 1;
  Say("acquired " + (*lock)->info().id);
  std::_Exit(0);  // as if killed: the lock row stays behind
}

// Each iteration: intent, outcome, resource row (resolving the intent). A
// line is printed only after the call it names has committed.
int JournalWriter(char** argv) {
  auto store = StateStore::Open(argv[2]);
  if (!store) {
    Say("error " + store.error().ToString());
    return 1;
  }
  Journal journal(**store);
  std::string padding(1500, 'x');
  for (long i = std::atol(argv[3]);; ++i) {
    std::string address = "aws_instance.n" + std::to_string(i);
    auto id = journal.RecordIntent(address, "create", "tok-" + std::to_string(i));
    if (!id) return 1;
    Say("intent " + std::to_string(i) + " " + std::to_string(*id));
    if (!journal.RecordOutcome(*id, true, "i-" + std::to_string(i), "")) return 1;
    Say("outcome " + std::to_string(i));
    ResourceRecord r;
    r.address = address;
    r.type = "aws_instance";
    r.region = "eu-west-1";
    r.id = "i-" + std::to_string(i);
    r.attributes = {{"id", r.id}, {"user_data", padding}, {"password", "pw-" + std::to_string(i)}};
    r.sensitive_attributes = {"password"};
    if (!(*store)->PutResource(r, *id)) return 1;
    Say("put " + std::to_string(i));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  std::string mode = argv[1];
  if (mode == "lock") return Lock(argc, argv);
  if (mode == "lock-and-vanish") return LockAndVanish(argv);
  if (mode == "journal-writer" && argc >= 4) return JournalWriter(argv);
  return 2;
}
