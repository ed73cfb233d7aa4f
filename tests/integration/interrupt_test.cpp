// Issue 10 item 8: an interrupt bounds the exit even with a call stalled in
// the network. The fault proxy forwards CreateVpc to moto (the VPC exists)
// and holds the reply for 30 s; SIGINT, SIGTERM or two SIGINTs must end the
// run well before that: the call gets a short grace, is abandoned, and its
// journal entry stays open; the next apply adopts the VPC (no twin, no
// orphan) and finishes the stack.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/fault_proxy.h"
#include "support/moto_server.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::test {
namespace {

using Steady = std::chrono::steady_clock;

constexpr const char* kStack = R"(stack: stalled
regions:
  primary: eu-central-1
resources:
  vpc:
    type: aws_vpc
    cidr_block: 10.40.0.0/16
  subnet:
    type: aws_subnet
    vpc_id: ${vpc.id}
    cidr_block: 10.40.1.0/24
    availability_zone: eu-central-1a
)";

enum class Signals { kInt, kTerm, kTwoInts };

std::string Name(const testing::TestParamInfo<Signals>& info) {
  switch (info.param) {
    case Signals::kInt: return "Sigint";
    case Signals::kTerm: return "Sigterm";
    default: return "TwoSigints";
  }
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class InterruptTest : public testing::TestWithParam<Signals> {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    std::ofstream(dir_.File("stack.yaml")) << kStack;
  }
  CommandResult Infra(const std::string& args) {
    return RunCommand(ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.path()) + " " + args + " --state " +
                      ShellQuote(dir_.File("stalled.db")) + " </dev/null");
  }
  // `infra apply --auto-approve` through the proxy, in the background; its
  // stderr goes to dir/err.txt.
  pid_t StartApply() {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setenv("AWS_ENDPOINT_URL", proxy_.endpoint().c_str(), 1);
      std::string cmd = "exec " + ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.path()) +
                        " apply --auto-approve --state " + ShellQuote(dir_.File("stalled.db")) + " </dev/null >" +
                        ShellQuote(dir_.File("out.txt")) + " 2>" + ShellQuote(dir_.File("err.txt"));
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    return pid;
  }
  // Waits up to `limit` for `pid` to exit (SIGKILL after that); its status.
  static int WaitExit(pid_t pid, std::chrono::seconds limit) {
    auto until = Steady::now() + limit;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (Steady::now() > until) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  // Waits up to 10 s for the process's stderr to contain `text`.
  bool WaitForStderr(const std::string& text) {
    auto until = Steady::now() + std::chrono::seconds(10);
    while (ReadAll(dir_.File("err.txt")).find(text) == std::string::npos) {
      if (Steady::now() > until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }
  nlohmann::json Counts() {
    auto r = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-central-1", endpoint_url=ENDPOINT)
f = [{"Name": "tag:infra:stack", "Values": ["stalled"]}]
print(json.dumps({"vpc": len(ec2.describe_vpcs(Filters=f)["Vpcs"]),
                  "subnet": len(ec2.describe_subnets(Filters=f)["Subnets"])}))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }

  MotoServer& moto_ = MotoServer::Shared();
  FaultProxy proxy_{moto_.port()};
  TempDir dir_{"infra-interrupt"};
};

TEST_P(InterruptTest, StalledCallIsAbandonedAndTheNextApplySettlesIt) {
  proxy_.Script({Fault::StallReply(std::chrono::seconds(30), "Action=CreateVpc")});
  pid_t pid = StartApply();
  ASSERT_GT(pid, 0);
  if (!proxy_.WaitForwarded("Action=CreateVpc", 1, std::chrono::seconds(60))) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    FAIL() << "CreateVpc never reached moto\n" << ReadAll(dir_.File("out.txt")) << ReadAll(dir_.File("err.txt"));
  }
  auto signalled = Steady::now();
  ::kill(pid, GetParam() == Signals::kTerm ? SIGTERM : SIGINT);
  if (GetParam() == Signals::kTwoInts) {
    EXPECT_TRUE(WaitForStderr("Interrupt received")) << ReadAll(dir_.File("err.txt"));
    ::kill(pid, SIGINT);
  }
  int code = WaitExit(pid, std::chrono::seconds(25));
  double took = std::chrono::duration<double>(Steady::now() - signalled).count();
  std::string err = ReadAll(dir_.File("err.txt")), out = ReadAll(dir_.File("out.txt"));
  EXPECT_LT(took, 5.0) << "the reply is held for 30 s; the exit must not wait for it\n" << out << err;
  EXPECT_NE(code, 0) << out << err;
  EXPECT_NE(code, -1) << "killed: still running 25 s after the signal\n" << out << err;
  EXPECT_NE((out + err).find("journal keeps it"), std::string::npos) << out << err;
  EXPECT_EQ(proxy_.requests("Action=CreateVpc"), 1);  // abandoned, never re-sent

  // The next run reconciles the open entry: it adopts the VPC moto made.
  auto applied = Infra("apply --auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_NE((applied.out + applied.err).find("adopted"), std::string::npos) << applied.out << applied.err;
  EXPECT_EQ(Counts(), (nlohmann::json{{"vpc", 1}, {"subnet", 1}}));
  auto plan = Infra("plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  auto destroyed = Infra("destroy --auto-approve");
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  EXPECT_EQ(Counts(), (nlohmann::json{{"vpc", 0}, {"subnet", 0}}));
}

INSTANTIATE_TEST_SUITE_P(Signals, InterruptTest, testing::Values(Signals::kInt, Signals::kTerm, Signals::kTwoInts),
                         Name);

}  // namespace
}  // namespace infra::test
