// Hostile input to the `infra` binary (issue 20): huge and deeply nested
// stack files, state databases that are truncated, random bytes, another
// program's, from a newer schema or locked by a foreign process, a wrong or
// empty state key, a read-only stack directory, a plan file of another
// stack. Each must end in a clear error naming the file, a non-zero exit
// (not a signal), within a bound (the command runs under `timeout`), and
// leave the state file byte for byte as it was. No AWS call is needed: the
// stacks hold only random_* resources, and AWS points at a closed port.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "support/moto_server.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::test {
namespace {

constexpr const char* kStack = R"(stack: hostile
regions:
  primary: eu-west-1
resources:
  pw: {type: random_password, length: 20}
outputs:
  pw: {value: "${pw.result}", sensitive: true}
)";

// The exit status `timeout -s KILL` gives a command it had to kill.
constexpr int kKilledByTimeout = 137;

class HostileInputTest : public testing::Test {
 protected:
  void SetUp() override {
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9", 1);  // nothing listens: any AWS call fails fast
    setenv("AWS_ACCESS_KEY_ID", "test", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "test", 1);
    setenv("AWS_DEFAULT_REGION", "eu-west-1", 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    unsetenv("INFRA_STATE_KEY");
    std::filesystem::permissions(dir_.path(), std::filesystem::perms(0755));
    Write("stack.yaml", kStack);
  }

  std::string Path(const std::string& name) const { return dir_.File(name); }
  void Write(const std::string& name, const std::string& bytes) const {
    std::ofstream(Path(name), std::ios::binary | std::ios::trunc) << bytes;
  }
  static std::string Bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

  /// `infra -C DIR ARGS` under a 120 s kill bound, stdin closed; `prefix`
  /// goes before the binary (environment, setpriv).
  CommandResult Infra(const std::string& args, const std::string& prefix = "") const {
    return RunCommand("timeout -s KILL 120 " + prefix + ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.path()) +
                      " " + args + " </dev/null");
  }

  /// A state database written by a real apply (random_password: a
  /// sensitive value, so the key matters).
  void ApplyState() {
    auto r = Infra("apply --auto-approve --state " + Path("state.db"));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }

  /// The command failed cleanly: non-zero exit, not killed, not a signal,
  /// and stderr names `file`.
  static void ExpectCleanFailure(const CommandResult& r, const std::string& file) {
    std::printf("[ refused ] exit %d: %s", r.exit_code, r.err.substr(0, 400).c_str());
    EXPECT_NE(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.exit_code, kKilledByTimeout) << "hung: " << r.err;
    EXPECT_LT(r.exit_code, 128) << "died of a signal: " << r.err;
    EXPECT_NE(r.err.find(file), std::string::npos) << "the error does not name " << file << ":\n" << r.err;
  }

  /// What the state holds: its bytes for a file infra must not open for
  /// writing at all (damaged, foreign, too new), else its SQL dump (a
  /// command that opens a good state takes and releases the lease lock,
  /// which moves bytes but changes nothing).
  std::string Content(bool logical) const {
    if (!logical) return Bytes(Path("state.db"));
    auto r = RunCommand("sqlite3 " + ShellQuote(Path("state.db")) + " .dump");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  /// Runs `args` (default: plan) against the (spoiled) state and checks it
  /// refuses cleanly, naming `file` (default: the state file), leaving the
  /// state as it was.
  void ExpectStateRefused(const std::string& prefix = "", std::string file = "", bool logical = false,
                          const std::string& args = "plan") {
    std::string before = Content(logical);
    auto r = Infra(args + " --state " + Path("state.db"), prefix);
    ExpectCleanFailure(r, file.empty() ? Path("state.db") : file);
    EXPECT_TRUE(Content(logical) == before) << "the state changed";
  }

  TempDir dir_{"infra-hostile"};
};

TEST_F(HostileInputTest, FiftyMegabyteStackFileIsRefusedNamingIt) {
  std::string big = kStack;
  std::string line = "# " + std::string(98, 'x') + "\n";
  while (big.size() < (size_t{50} << 20)) big += line;
  Write("stack.yaml", big);
  auto r = Infra("validate");
  ExpectCleanFailure(r, "stack.yaml");
}

TEST_F(HostileInputTest, TenThousandLevelsOfYamlNestingAreAnError) {
  std::string deep = std::string(kStack) + "locals:\n  deep: " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  Write("stack.yaml", deep);
  ExpectCleanFailure(Infra("validate"), "stack.yaml");
  std::string maps = std::string(kStack) + "locals:\n  deep: ";
  for (int i = 0; i < 10000; ++i) maps += "{a: ";
  maps += "1" + std::string(10000, '}') + "\n";
  Write("stack.yaml", maps);
  ExpectCleanFailure(Infra("validate"), "stack.yaml");
}

TEST_F(HostileInputTest, TenThousandLevelsOfExpressionNestingAreAnError) {
  Write("stack.yaml", std::string(kStack) + "locals:\n  deep: \"${" + std::string(10000, '(') + "1" +
                          std::string(10000, ')') + "}\"\n");
  ExpectCleanFailure(Infra("validate"), "stack.yaml");
  Write("stack.yaml", std::string(kStack) + "locals:\n  deep: \"${" + std::string(10000, '[') +
                          std::string(10000, ']') + "}\"\n");
  ExpectCleanFailure(Infra("validate"), "stack.yaml");
}

TEST_F(HostileInputTest, TruncatedStateIsRefusedUnchanged) {
  ApplyState();
  std::string bytes = Bytes(Path("state.db"));
  ASSERT_GT(bytes.size(), 4096u);
  Write("state.db", bytes.substr(0, bytes.size() / 2 + 100));
  ExpectStateRefused();
}

TEST_F(HostileInputTest, RandomBytesStateIsRefusedUnchanged) {
  std::mt19937 rng(7);
  std::string junk(64 * 1024, '\0');
  for (auto& c : junk) c = static_cast<char>(rng() & 0xff);
  Write("state.db", junk);
  ExpectStateRefused();
  // And random bytes after a valid SQLite header.
  Write("state.db", std::string("SQLite format 3", 16) + junk);
  ExpectStateRefused();
}

TEST_F(HostileInputTest, ForeignSqliteDatabaseIsRefusedUnchanged) {
  auto r = RunCommand("sqlite3 " + ShellQuote(Path("state.db")) + " 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectStateRefused();
}

TEST_F(HostileInputTest, StateFromNewerSchemaIsRefusedUnchanged) {
  ApplyState();
  auto r = RunCommand("sqlite3 " + ShellQuote(Path("state.db")) + " 'PRAGMA user_version = 99;'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectStateRefused();
}

TEST_F(HostileInputTest, StateLockedByForeignProcessFailsInBoundedTime) {
  ApplyState();
  std::string before = Bytes(Path("state.db"));
  // sqlite3 holds an exclusive (write) transaction until its stdin closes.
  FILE* holder = ::popen(("sqlite3 " + ShellQuote(Path("state.db")) + " >/dev/null 2>&1").c_str(), "w");
  ASSERT_NE(holder, nullptr);
  std::fputs("BEGIN EXCLUSIVE;\nSELECT count(*) FROM meta;\n", holder);
  std::fflush(holder);
  // Wait (bounded) until the lock is really held: another writer gets SQLITE_BUSY.
  bool held = false;
  for (int i = 0; i < 100 && !held; ++i) {
    auto probe = RunCommand("sqlite3 " + ShellQuote(Path("state.db")) + " 'BEGIN IMMEDIATE; ROLLBACK;' 2>&1");
    held = probe.exit_code != 0;
    if (!held) ::usleep(100 * 1000);  // polling an outside process's progress, not ordering our threads
  }
  auto r = held ? Infra("apply --auto-approve --state " + Path("state.db")) : CommandResult{};
  ::pclose(holder);  // EOF: sqlite3 rolls back and exits
  ASSERT_TRUE(held) << "sqlite3 did not take the lock";
  ExpectCleanFailure(r, Path("state.db"));
  EXPECT_EQ(Bytes(Path("state.db")), before);
}

TEST_F(HostileInputTest, WrongStateKeyIsRefusedUnchanged) {
  ApplyState();
  std::string other(64, 'a');
  ExpectStateRefused("env INFRA_STATE_KEY=" + other + " ");
  ExpectStateRefused("env INFRA_STATE_KEY=" + other + " ", "", false, "apply --auto-approve");
}

TEST_F(HostileInputTest, EmptyStateKeyIsRefusedUnchanged) {
  ApplyState();
  Write("state.key", "");  // an empty key file
  ExpectStateRefused("", Path("state.key"));
  std::filesystem::remove(Path("state.key"));  // an empty INFRA_STATE_KEY and no key file
  ExpectStateRefused("env INFRA_STATE_KEY= ", Path("state.key"), true);
  ExpectStateRefused("env INFRA_STATE_KEY= ", Path("state.key"), true, "apply --auto-approve");
}

TEST_F(HostileInputTest, ReadOnlyStackDirectoryIsAnErrorNamingIt) {
  // root ignores permissions: run infra as nobody then.
  std::string prefix = ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
  std::string binary = InfraBinary();
  if (!prefix.empty() && RunCommand(prefix + "test -x " + ShellQuote(binary)).exit_code != 0) {
    // The build tree is not reachable for nobody (a clone under /root): a copy it can run.
    std::filesystem::copy_file(binary, Path("infra"));
    std::filesystem::permissions(Path("infra"), std::filesystem::perms(0755));
    binary = Path("infra");
  }
  std::filesystem::permissions(Path("stack.yaml"), std::filesystem::perms(0644));
  std::filesystem::permissions(dir_.path(), std::filesystem::perms(0555));
  auto r = RunCommand("timeout -s KILL 120 " + prefix + ShellQuote(binary) + " -C " + ShellQuote(dir_.path()) +
                      " apply --auto-approve --state " + ShellQuote(Path("state.db")) + " </dev/null");
  std::filesystem::permissions(dir_.path(), std::filesystem::perms(0755));
  ExpectCleanFailure(r, Path("state.db"));
  EXPECT_FALSE(std::filesystem::exists(Path("state.db")));
}

TEST_F(HostileInputTest, PlanFileOfAnotherStackIsRefused) {
  TempDir other{"infra-hostile-other"};
  std::ofstream(other.File("stack.yaml")) << R"(stack: other
regions:
  primary: eu-west-1
resources:
  id: {type: random_id, byte_length: 4}
)";
  auto plan = RunCommand(ShellQuote(InfraBinary()) + " -C " + ShellQuote(other.path()) + " plan -out " +
                         ShellQuote(other.File("other.plan")) + " --state " + ShellQuote(other.File("state.db")) +
                         " </dev/null");
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ApplyState();
  std::string before = Bytes(Path("state.db"));
  auto r = Infra("apply --auto-approve --state " + Path("state.db") + " " + ShellQuote(other.File("other.plan")));
  ExpectCleanFailure(r, other.File("other.plan"));
  EXPECT_NE(r.err.find("stack other"), std::string::npos) << r.err;
  EXPECT_TRUE(Bytes(Path("state.db")) == before) << "the state changed";
}

TEST_F(HostileInputTest, DamagedPlanFilesAreRefusedNamingThem) {
  ApplyState();
  auto plan = Infra("plan -out " + Path("good.plan") + " --state " + Path("state.db"));
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  std::string good = Bytes(Path("good.plan"));
  size_t mode = good.find("\"mode\":\"normal\"");
  ASSERT_NE(mode, std::string::npos) << good.substr(0, 300);
  std::string numeric_mode = good;
  numeric_mode.replace(mode, std::string("\"mode\":\"normal\"").size(), "\"mode\":1");
  for (const std::string& bytes : {std::string("not json {"), std::string("[1, 2]"), good.substr(0, good.size() / 2),
                                   numeric_mode, std::string(1000, '{')}) {
    Write("bad.plan", bytes);
    std::string before = Content(true);  // a good state: the session may take and release the lease lock
    auto r = Infra("apply --auto-approve --state " + Path("state.db") + " " + Path("bad.plan"));
    ExpectCleanFailure(r, Path("bad.plan"));
    EXPECT_EQ(r.err.find("this is a bug"), std::string::npos) << r.err;
    EXPECT_TRUE(Content(true) == before) << "the state changed";
  }
}

}  // namespace
}  // namespace infra::test
