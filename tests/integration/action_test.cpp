// The GitHub Action's scripts (scripts/action/run.sh, report.py) run as the
// runner runs them: INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and
// GITHUB_EVENT_PATH (a pull_request payload), against moto_server. GitHub is
// a local stand-in (tests/action/github_stand_in.py: the OIDC token endpoint
// and the issue-comments API) whose request log the tests read: one sticky
// comment created then updated; the ID token asked for audience
// sts.amazonaws.com with the job's bearer token; calls signed with the
// assumed role; apply/destroy checked with boto3; a cancelled apply (SIGINT
// to the step's process) ends promptly with the lock released.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
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

std::string ReadAll(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The stand-in GitHub, started per test on a free loopback port.
class GitHubStandIn {
 public:
  explicit GitHubStandIn(const TempDir& dir) : port_file_(dir.File("stand-in.port")), log_(dir.File("github.log")) {
    pid_ = ::fork();
    if (pid_ == 0) {
      std::string script = SourceDir() + "/tests/action/github_stand_in.py";
      ::execlp("python3", "python3", script.c_str(), port_file_.c_str(), log_.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    auto until = Steady::now() + std::chrono::seconds(20);
    while (ReadAll(port_file_).empty() && Steady::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // readiness poll, as for moto_server
    url_ = "http://127.0.0.1:" + ReadAll(port_file_);
  }
  ~GitHubStandIn() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  bool up() const { return url_.size() > std::string("http://127.0.0.1:").size(); }
  const std::string& url() const { return url_; }
  /// Every request received, in order.
  std::vector<nlohmann::json> Requests() const {
    std::vector<nlohmann::json> out;
    std::istringstream in(ReadAll(log_));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
  }

 private:
  std::string port_file_, log_, url_;
  pid_t pid_ = -1;
};

constexpr const char* kStack = R"(stack: web
regions:
  primary: eu-central-1
variables:
  note: {type: string, default: nested-s3cr3t-value, sensitive: true}
resources:
  vpc:
    type: aws_vpc
    cidr_block: 10.61.0.0/16
    tags: {Name: web, Note: "${var.note}"}
)";

class ActionTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    std::ofstream(dir_.File("stack/stack.yaml")) << kStack;
    std::ofstream(dir_.File("event.json"))
        << R"({"action": "synchronize", "pull_request": {"number": 7}, "repository": {"full_name": "acme/web"}})";
  }
  // The environment the runner gives the action's steps, then `extra`.
  std::string Env(const std::string& command, const std::string& extra = "") {
    return "env GITHUB_OUTPUT=" + ShellQuote(dir_.File("output")) +
           " GITHUB_STEP_SUMMARY=" + ShellQuote(dir_.File("summary.md")) +
           " GITHUB_EVENT_PATH=" + ShellQuote(dir_.File("event.json")) +
           " GITHUB_EVENT_NAME=pull_request GITHUB_REPOSITORY=acme/web GITHUB_API_URL=" + ShellQuote(github_.url()) +
           " RUNNER_TEMP=" + ShellQuote(dir_.path()) + " INFRA_BIN=" + ShellQuote(InfraBinary()) +
           " INPUT_COMMAND=" + command + " INPUT_WORKING_DIRECTORY=" + ShellQuote(dir_.File("stack")) +
           " INPUT_ARGS=" + ShellQuote("--state " + dir_.File("web.db")) +
           " INPUT_COMMENT_ON_PR=true INPUT_GITHUB_TOKEN=ghs_stand_in " + extra + " ";
  }
  // OIDC instead of keys: no AWS_ACCESS_KEY_ID, a role and GitHub's token request.
  std::string Oidc() {
    return "AWS_ACCESS_KEY_ID= AWS_SECRET_ACCESS_KEY= INPUT_ROLE_TO_ASSUME=arn:aws:iam::123456789012:role/deploy "
           "ACTIONS_ID_TOKEN_REQUEST_URL=" +
           ShellQuote(github_.url() + "/oidc/token?api-version=2.0") +
           " ACTIONS_ID_TOKEN_REQUEST_TOKEN=job-request-token GITHUB_RUN_ID=4242";
  }
  // run.sh then report.py, as action.yml's two steps; report's exit code.
  CommandResult Step(const std::string& command, const std::string& extra = "") {
    ::unlink(dir_.File("output").c_str());
    ::unlink(dir_.File("summary.md").c_str());
    CommandResult run = RunCommand(Env(command, extra) + "bash " + SourceDir() + "/scripts/action/run.sh </dev/null");
    last_run_ = run;
    std::string outcome = run.exit_code == 0 ? "success" : "failure";
    return RunCommand(Env(command, extra) + "INFRA_STEP_OUTCOME=" + outcome + " python3 " + SourceDir() +
                      "/scripts/action/report.py");
  }
  std::string Output(const std::string& key) {
    std::istringstream in(ReadAll(dir_.File("output")));
    std::string value;
    for (std::string line; std::getline(in, line);)
      if (line.rfind(key + "=", 0) == 0) value = line.substr(key.size() + 1);
    return value;
  }
  int Vpcs() {
    auto r = Boto3(R"PY(
ec2 = boto3.client("ec2", region_name="eu-central-1", endpoint_url=ENDPOINT)
print(json.dumps(len(ec2.describe_vpcs(Filters=[{"Name": "tag:infra:stack", "Values": ["web"]}])["Vpcs"])))
)PY");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json.is_number() ? r.json.get<int>() : -1;
  }

  MotoServer& moto_ = MotoServer::Shared();
  TempDir dir_{"infra-action"};
  bool made_ = std::filesystem::create_directories(dir_.File("stack"));
  GitHubStandIn github_{dir_};
  CommandResult last_run_;
};

TEST_F(ActionTest, OnAPullRequestOneStickyCommentWithOidcCredentials) {
  ASSERT_TRUE(github_.up());
  // Deployed first (through the action, with OIDC), so plans refresh.
  auto applied = Step("apply", Oidc() + " INPUT_COMMENT_ON_PR=false");
  ASSERT_EQ(last_run_.exit_code, 0) << last_run_.out << last_run_.err;
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(Vpcs(), 1);

  std::string stack = kStack;
  stack.replace(stack.find("Name: web"), 9, "Name: web-2");
  std::ofstream(dir_.File("stack/stack.yaml")) << stack;
  auto first = Step("plan", Oidc());
  ASSERT_EQ(last_run_.exit_code, 0) << last_run_.out << last_run_.err;
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_EQ(Output("exitcode"), "2");
  EXPECT_EQ(Output("has-changes"), "true");
  EXPECT_EQ(Output("summary"), "Plan: 0 to add, 1 to change, 0 to destroy.");
  std::string summary = ReadAll(dir_.File("summary.md"));
  EXPECT_NE(summary.find("| primary (eu-central-1) | 0 | 1 | 0 | 0 |"), std::string::npos) << summary;
  EXPECT_NE(summary.find("<details><summary><code>~</code> <code>aws_vpc.vpc</code>"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("s3cr3t"), std::string::npos) << "a secret reached the step summary";

  // A second push: the stack changed again; the same comment is updated.
  stack.replace(stack.find("10.61.0.0/16"), 12, "10.62.0.0/16");
  std::ofstream(dir_.File("stack/stack.yaml")) << stack;
  auto second = Step("plan", Oidc());
  ASSERT_EQ(second.exit_code, 0) << last_run_.err << second.out << second.err;
  EXPECT_EQ(Output("summary"), "Plan: 1 to add, 0 to change, 1 to destroy.");

  int tokens = 0, posts = 0, patches = 0;
  std::string created_id;
  for (const auto& r : github_.Requests()) {
    std::string method = r["method"], path = r["path"];
    if (path == "/oidc/token") {
      ++tokens;
      EXPECT_EQ(r["query"]["audience"], nlohmann::json::array({"sts.amazonaws.com"}));
      EXPECT_EQ(r["query"]["api-version"], nlohmann::json::array({"2.0"}));
      EXPECT_EQ(r["authorization"], "bearer job-request-token");
    } else if (method == "POST") {
      ++posts;
      EXPECT_EQ(path, "/repos/acme/web/issues/7/comments");
      EXPECT_EQ(r["authorization"], "Bearer ghs_stand_in");
      std::string body = nlohmann::json::parse(r["body"].get<std::string>())["body"];
      EXPECT_NE(body.find("<!-- infra-action: "), std::string::npos);
      EXPECT_NE(body.find("<code>aws_vpc.vpc</code> will be updated in-place"), std::string::npos) << body;
      EXPECT_EQ(body.find("s3cr3t"), std::string::npos);
    } else if (method == "PATCH") {
      ++patches;
      EXPECT_EQ(path, "/repos/acme/web/issues/comments/1001");  // the one POST made
      std::string body = nlohmann::json::parse(r["body"].get<std::string>())["body"];
      EXPECT_NE(body.find("10.62.0.0/16"), std::string::npos) << body;
      EXPECT_EQ(body.find("s3cr3t"), std::string::npos);
    }
  }
  EXPECT_GE(tokens, 3);  // the apply and both plans' refreshes
  EXPECT_EQ(posts, 1);
  EXPECT_EQ(patches, 1);
}

TEST_F(ActionTest, OidcCredentialsSignTheCalls) {
  ASSERT_TRUE(github_.up());
  // whoami: moto answers GetCallerIdentity with the identity of the access
  // key that signed the call, so the assumed role shows only if it signed.
  auto r = RunCommand(Env("plan", Oidc()) + "AWS_ROLE_ARN=arn:aws:iam::123456789012:role/deploy " +
                      ShellQuote(InfraBinary()) + " whoami -json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto who = nlohmann::json::parse(r.out);
  EXPECT_NE(who["arn"].get<std::string>().find(":assumed-role/deploy/infra-github-4242"), std::string::npos) << r.out;
  EXPECT_EQ(who["credential_source"], "github-oidc arn:aws:iam::123456789012:role/deploy");
  EXPECT_EQ((r.out + r.err).find("job-request-token"), std::string::npos);
}

// plan with plan-file, then apply that saved plan (its summary from
// `infra show -markdown`), then destroy; static keys, no comment.
TEST_F(ActionTest, PlanFileThenApplyItThenDestroy) {
  ASSERT_TRUE(github_.up());
  auto planned = Step("plan", "INPUT_COMMENT_ON_PR=false INPUT_PLAN_FILE=saved.plan");
  ASSERT_EQ(last_run_.exit_code, 0) << last_run_.out << last_run_.err;
  ASSERT_EQ(planned.exit_code, 0) << planned.out << planned.err;
  ASSERT_TRUE(std::filesystem::exists(dir_.File("stack/saved.plan")));
  EXPECT_EQ(Vpcs(), 0);
  auto applied = Step("apply", "INPUT_COMMENT_ON_PR=false INPUT_PLAN_FILE=saved.plan");
  ASSERT_EQ(last_run_.exit_code, 0) << last_run_.out << last_run_.err;
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(Output("exitcode"), "0");
  EXPECT_EQ(Output("summary"), "apply succeeded. Plan: 1 to add, 0 to change, 0 to destroy.");
  std::string summary = ReadAll(dir_.File("summary.md"));
  EXPECT_NE(summary.find("## infra apply in "), std::string::npos) << summary;
  EXPECT_NE(summary.find("<code>aws_vpc.vpc</code> will be created"), std::string::npos) << summary;
  EXPECT_EQ(Vpcs(), 1);
  EXPECT_NE(ReadAll(dir_.File("infra-action/plan.txt")).find("aws_vpc.vpc will be created"), std::string::npos);

  auto destroyed = Step("destroy", "INPUT_COMMENT_ON_PR=false");
  ASSERT_EQ(last_run_.exit_code, 0) << last_run_.out << last_run_.err;
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.out << destroyed.err;
  EXPECT_EQ(Output("summary"), "destroy succeeded. Plan: 0 to add, 0 to change, 1 to destroy.");
  EXPECT_EQ(Vpcs(), 0);
  EXPECT_TRUE(github_.Requests().empty()) << "comment-on-pr is off";
}

TEST_F(ActionTest, AFailedPlanFailsTheStepAndSaysSo) {
  ASSERT_TRUE(github_.up());
  std::ofstream(dir_.File("stack/stack.yaml")) << "stack: web\nregions: {primary: eu-central-1}\nresources:\n"
                                                  "  vpc: {type: aws_vpcc, cidr_block: 10.0.0.0/16}\n";
  auto r = Step("plan", "INPUT_COMMENT_ON_PR=false");
  EXPECT_NE(last_run_.exit_code, 0);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(Output("exitcode"), "1");
  EXPECT_EQ(Output("has-changes"), "false");
  EXPECT_NE(ReadAll(dir_.File("summary.md")).find(": failed"), std::string::npos);
}

// GitHub cancels a job with SIGINT to the step's process (SIGTERM 7.5 s
// later). run.sh execs infra, so the process signalled is infra: it ends
// within 5 s although CreateVpc's reply is held for 30 s, and the lock is
// free for the next run.
TEST_F(ActionTest, CancellingTheStepReachesInfraAndReleasesTheLock) {
  FaultProxy proxy(moto_.port());
  proxy.Script({Fault::StallReply(std::chrono::seconds(30), "Action=CreateVpc")});
  std::string cmd = Env("apply", "INPUT_COMMENT_ON_PR=false AWS_ENDPOINT_URL=" + proxy.endpoint()) + "bash " +
                    SourceDir() + "/scripts/action/run.sh </dev/null >" + ShellQuote(dir_.File("out.txt")) + " 2>" +
                    ShellQuote(dir_.File("err.txt"));
  pid_t pid = ::fork();
  if (pid == 0) {
    std::string exec_cmd = "exec " + cmd;
    ::execl("/bin/sh", "sh", "-c", exec_cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ASSERT_GT(pid, 0);
  if (!proxy.WaitForwarded("Action=CreateVpc", 1, std::chrono::seconds(60))) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    FAIL() << "CreateVpc never reached moto\n" << ReadAll(dir_.File("err.txt"));
  }
  auto signalled = Steady::now();
  ::kill(pid, SIGINT);  // to the step's process only, not its group
  int status = 0;
  auto until = signalled + std::chrono::seconds(25);
  while (::waitpid(pid, &status, WNOHANG) == 0 && Steady::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  bool exited = Steady::now() < until;
  if (!exited) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  double took = std::chrono::duration<double>(Steady::now() - signalled).count();
  std::string err = ReadAll(dir_.File("err.txt"));
  ASSERT_TRUE(exited) << "still running 25 s after SIGINT: the signal did not reach infra\n" << err;
  EXPECT_LT(took, 5.0) << err;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << err;
  EXPECT_NE(err.find("journal keeps it"), std::string::npos) << err;
  // The lock is free: a plan that will not wait for it succeeds.
  auto plan = RunCommand(ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.File("stack")) +
                         " plan -lock-timeout=0s --state " + ShellQuote(dir_.File("web.db")) + " </dev/null");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
}

}  // namespace
}  // namespace infra::test
