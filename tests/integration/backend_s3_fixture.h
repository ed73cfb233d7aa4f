// Fixture for the S3 + DynamoDB backend tests against moto_server: the
// bucket (versioned) and the lock table made with boto3, checkouts of one
// shared stack, a holder that waits at apply's approval question on a
// pseudo-terminal (holding the lock), and boto3 / AWS CLI views of the VPCs,
// the pointer item and the journal items.
#pragma once
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "support/moto_server.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::test {
namespace fs = std::filesystem;

constexpr const char* kBackend =
    "backend: {type: s3, bucket: team-state, key: shared/state.db, region: eu-central-1, dynamodb_table: locks}\n";
constexpr const char* kBody = R"(regions:
  primary: eu-central-1
variables:
  cidr: {type: string, default: 10.0.0.0/16}
  token: {type: string, sensitive: true, default: s3cr3t-t0ken}
resources:
  main:
    type: aws_vpc
    cidr_block: ${var.cidr}
    lifecycle: {create_before_destroy: true}
  other:
    type: aws_vpc
    cidr_block: 10.9.0.0/16
outputs:
  main_cidr: ${main.cidr_block}
  token:
    value: ${var.token}
    sensitive: true
)";
constexpr const char* kLockKey = "team-state/shared/state.db";

// Runs a command on a pseudo-terminal (so `infra apply` asks for approval
// and waits, holding the lock), its output copied to argv[1], the child's
// pid written to argv[2] and, once it ended, its exit status to argv[2].rc;
// what arrives on stdin is typed into the terminal (the answer).
constexpr const char* kPtyHolder = R"(import os, pty, sys, threading
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[3], sys.argv[3:])
open(sys.argv[2], "w").write(str(pid))
def type_in():
    while True:
        data = os.read(0, 1024)
        if not data:
            return
        os.write(fd, data)
threading.Thread(target=type_in, daemon=True).start()
with open(sys.argv[1], "wb", buffering=0) as out:
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out.write(data)
_, status = os.waitpid(pid, 0)
open(sys.argv[2] + ".rc.tmp", "w").write(str(os.waitstatus_to_exitcode(status)))
os.rename(sys.argv[2] + ".rc.tmp", sys.argv[2] + ".rc")
)";

class BackendS3Test : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    ::setenv("INFRA_STATE_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", 1);
    ::setenv("INFRA_LOCK_LEASE", "2s", 1);
    auto r = Boto3(R"(s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name="eu-central-1")
s3.create_bucket(Bucket="team-state", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
s3.put_bucket_versioning(Bucket="team-state", VersioningConfiguration={"Status": "Enabled"})
ddb = boto3.client("dynamodb", endpoint_url=ENDPOINT, region_name="eu-central-1")
ddb.create_table(TableName="locks", KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
                 AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
print(json.dumps({"ok": True}))
)");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void TearDown() override {
    if (input_fd_ >= 0) ::close(input_fd_);
    ::unsetenv("INFRA_LOCK_LEASE");
    ::unsetenv("INFRA_STATE_KEY");
  }

  // A checkout: a folder holding stack.yaml (with or without the backend).
  std::string Checkout(const std::string& name, bool remote = true) {
    std::string dir = root_.File(name);
    fs::create_directories(dir);
    std::ofstream(dir + "/stack.yaml") << "stack: shared\n" << (remote ? kBackend : "") << kBody;
    return dir;
  }
  CommandResult Infra(const std::string& dir, const std::string& args, const std::string& env = "") {
    return RunCommand(env + " " + ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir) + " " + args + " </dev/null");
  }

  // CIDR blocks of the VPCs tagged with the stack (the AWS CLI's view).
  std::multiset<std::string> StackVpcs() {
    auto r = AwsCli("eu-central-1", "ec2 describe-vpcs --filters Name=tag:infra:stack,Values=shared");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::multiset<std::string> out;
    if (r.json.is_object())
      for (const auto& v : r.json.value("Vpcs", nlohmann::json::array())) out.insert(v.value("CidrBlock", ""));
    return out;
  }
  nlohmann::json Py(const std::string& code) {
    auto r = Boto3("ddb = boto3.client('dynamodb', endpoint_url=ENDPOINT, region_name='eu-central-1')\n"
                   "s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='eu-central-1')\n" +
                   code);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.json;
  }
  int JournalItems() {
    return Py("items = ddb.scan(TableName='locks')['Items']\n"
              "print(json.dumps(len([i for i in items if '#journal#' in i['LockID']['S']])))")
        .get<int>();
  }
  nlohmann::json Pointer() {
    return Py("i = ddb.get_item(TableName='locks', Key={'LockID': {'S': 'team-state/shared/state.db#snapshot'}}, "
              "ConsistentRead=True).get('Item', {})\n"
              "print(json.dumps({k: list(v.values())[0] for k, v in i.items()}))");
  }
  static std::string Read(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }

  // Starts `infra ARGS` in `dir` on a pseudo-terminal, its stdin from
  // `input` ("/dev/null" or a FIFO the test writes the answer to), and
  // waits until it asks for approval (it then holds the lock). Returns its pid.
  int StartHolder(const std::string& dir, const std::string& args, const std::string& input = "/dev/null") {
    std::ofstream(root_.File("hold_on_tty.py")) << kPtyHolder;
    // Opened read-write first (never blocks on Linux), so the holder's open
    // of the FIFO finds a writer at once and the shell does not wait on it.
    if (input != "/dev/null") input_fd_ = ::open(input.c_str(), O_RDWR | O_CLOEXEC);
    std::string out = root_.File("holder.out"), pidfile = root_.File("holder.pid");
    auto started = RunCommand("cd " + ShellQuote(dir) + " && python3 " + ShellQuote(root_.File("hold_on_tty.py")) +
                              " " + ShellQuote(out) + " " + ShellQuote(pidfile) + " " + ShellQuote(InfraBinary()) +
                              " " + args + " >" + ShellQuote(root_.File("holder.log")) + " 2>&1 <" +
                              ShellQuote(input) + " & echo started");
    EXPECT_EQ(started.exit_code, 0);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (Read(out).find("Enter a value") == std::string::npos && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a file, with a deadline
    EXPECT_NE(Read(out).find("Enter a value"), std::string::npos) << Read(out) << Read(root_.File("holder.log"));
    return std::stoi("0" + Read(pidfile));
  }
  // Types `answer` into the holder's terminal and waits for it to exit:
  // its exit code and output.
  std::pair<int, std::string> AnswerHolder(const std::string& answer) {
    EXPECT_GE(input_fd_, 0);
    EXPECT_EQ(::write(input_fd_, answer.data(), answer.size()), static_cast<ssize_t>(answer.size()));
    ::close(input_fd_);
    input_fd_ = -1;
    std::string rc = root_.File("holder.pid.rc");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!fs::exists(rc) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a file, with a deadline
    EXPECT_TRUE(fs::exists(rc)) << Read(root_.File("holder.out"));
    return {std::stoi("0" + Read(rc)), Read(root_.File("holder.out"))};
  }
  std::string LockItemId() {
    return Py("i = ddb.get_item(TableName='locks', Key={'LockID': {'S': '" + std::string(kLockKey) +
              "'}}, ConsistentRead=True).get('Item')\n"
              "print(json.dumps(i['lock_id']['S'] if i else ''))")
        .get<std::string>();
  }

  int input_fd_ = -1;
  MotoServer& moto_ = MotoServer::Shared();
  TempDir root_{"infra-backend"};
};

}  // namespace infra::test
