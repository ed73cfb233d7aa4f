// End to end: a stack shared through the S3 + DynamoDB backend, against
// moto_server, checked with boto3 and the AWS CLI. Two checkouts: one runs,
// the other is refused naming the holder, then takes over once the holder
// is killed and its lease has lapsed; kill -9 mid-apply with the .infra
// folder wiped, then a fresh checkout converges (no twin, no orphan, by
// tag); snapshots are S3 versions and a concurrent snapshot write is
// refused; local -> remote -> local migration keeps every resource.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "backends/s3/s3_backend.h"
#include "providers/aws/sdk/aws_client.h"
#include "support/moto_server.h"
#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::test {
namespace {
namespace fs = std::filesystem;

constexpr const char* kBackend =
    "backend: {type: s3, bucket: team-state, key: shared/state.db, region: eu-central-1, dynamodb_table: locks}\n";
constexpr const char* kBody = R"(regions:
  primary: eu-central-1
variables:
  cidr: {type: string, default: 10.0.0.0/16}
resources:
  main:
    type: aws_vpc
    cidr_block: ${var.cidr}
    lifecycle: {create_before_destroy: true}
  other:
    type: aws_vpc
    cidr_block: 10.9.0.0/16
)";
constexpr const char* kLockKey = "team-state/shared/state.db";

// Runs a command on a pseudo-terminal (so `infra apply` asks for approval
// and waits, holding the lock), its output copied to argv[1], the child's
// pid written to argv[2].
constexpr const char* kPtyHolder = R"(import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[3], sys.argv[3:])
open(sys.argv[2], "w").write(str(pid))
with open(sys.argv[1], "wb", buffering=0) as out:
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out.write(data)
os.waitpid(pid, 0)
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

  MotoServer& moto_ = MotoServer::Shared();
  TempDir root_{"infra-backend"};
};

TEST_F(BackendS3Test, TwoCheckoutsOneRunsTheOtherIsRefusedNamingTheHolderThenTakesOverAfterTheLease) {
  std::string a = Checkout("a"), b = Checkout("b");
  auto first = Infra(a, "apply --auto-approve");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;

  // A's apply waits at its approval question, holding the lock.
  std::ofstream(root_.File("hold_on_tty.py")) << kPtyHolder;
  std::string out = root_.File("holder.out"), pidfile = root_.File("holder.pid");
  auto started = RunCommand("cd " + ShellQuote(a) + " && python3 " + ShellQuote(root_.File("hold_on_tty.py")) + " " +
                            ShellQuote(out) + " " + ShellQuote(pidfile) + " " + ShellQuote(InfraBinary()) +
                            " apply -var cidr=10.1.0.0/16 >" + ShellQuote(root_.File("holder.log")) + " 2>&1 </dev/null & echo started");
  ASSERT_EQ(started.exit_code, 0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (Read(out).find("Enter a value") == std::string::npos && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a file, with a deadline
  ASSERT_NE(Read(out).find("Enter a value"), std::string::npos) << Read(out) << Read(root_.File("holder.log"));
  int holder = std::stoi(Read(pidfile));

  auto refused = Infra(b, "apply --auto-approve -var cidr=10.1.0.0/16");
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("StateLocked: s3://team-state/shared/state.db"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("(pid " + std::to_string(holder) + ", `infra apply`) since "), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("(lease until "), std::string::npos) << refused.err;
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.0.0.0/16", "10.9.0.0/16"}));

  // kill -9 the holder; its lock item names another machine, so only the
  // lapsed lease (2 s) lets B in: B waits for it.
  ASSERT_EQ(::kill(holder, SIGKILL), 0);
  Py("ddb.update_item(TableName='locks', Key={'LockID': {'S': '" + std::string(kLockKey) +
     "'}}, UpdateExpression='SET host = :h', ExpressionAttributeValues={':h': {'S': 'gone-runner'}})\n"
     "print(json.dumps(1))");
  auto took = Infra(b, "apply --auto-approve --lock-timeout 60s -var cidr=10.1.0.0/16");
  ASSERT_EQ(took.exit_code, 0) << took.out << took.err;
  EXPECT_NE(took.err.find("taking over the state lock from"), std::string::npos) << took.err;
  EXPECT_NE(took.err.find("gone-runner"), std::string::npos) << took.err;
  EXPECT_NE(took.err.find("its lease expired at"), std::string::npos) << took.err;
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.1.0.0/16", "10.9.0.0/16"}));
  auto lock = Py("print(json.dumps('Item' in ddb.get_item(TableName='locks', Key={'LockID': {'S': '" +
                 std::string(kLockKey) + "'}}, ConsistentRead=True)))");
  EXPECT_EQ(lock, false) << "the lock is released at the end of the run";
}

TEST_F(BackendS3Test, KilledMidApplyWithItsDiskWipedAFreshCheckoutConvergesWithoutTwinsOrOrphans) {
  std::string a = Checkout("a");
  auto first = Infra(a, "apply --auto-approve");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_EQ(JournalItems(), 0);

  // Killed after AWS created the replacement VPC, before state recorded it.
  auto killed = Infra(a, "apply --auto-approve -var cidr=10.1.0.0/16", "INFRA_TEST_CRASH_AT=cbd-created");
  ASSERT_EQ(killed.exit_code, 137) << killed.out << killed.err;
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.0.0.0/16", "10.1.0.0/16", "10.9.0.0/16"}));
  EXPECT_GE(JournalItems(), 1) << "the intent of the create is in DynamoDB";
  fs::remove_all(a + "/.infra");

  std::string c = Checkout("c");
  auto recovered = Infra(c, "apply --auto-approve --lock-timeout 60s -var cidr=10.1.0.0/16");
  ASSERT_EQ(recovered.exit_code, 0) << recovered.out << recovered.err;
  EXPECT_NE(recovered.err.find("Replaying"), std::string::npos) << recovered.err;
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.1.0.0/16", "10.9.0.0/16"}));
  EXPECT_EQ(JournalItems(), 0) << "cleared once the snapshot holds the run";
  auto clean = Infra(c, "plan --detailed-exitcode -var cidr=10.1.0.0/16");
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
}

TEST_F(BackendS3Test, SnapshotsAreVersionedAndAConcurrentSnapshotWriteIsRefused) {
  std::string a = Checkout("a");
  ASSERT_EQ(Infra(a, "apply --auto-approve").exit_code, 0);
  auto second = Infra(a, "apply --auto-approve -var cidr=10.1.0.0/16");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  auto versions = Py("v = s3.list_object_versions(Bucket='team-state', Prefix='shared/state.db')['Versions']\n"
                     "print(json.dumps([x['VersionId'] for x in v if x['IsLatest']] + [len(v)]))");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[1], 2) << "one S3 version per run, not per resource";
  nlohmann::json pointer = Pointer();
  EXPECT_EQ(pointer["version"], versions[0]);
  EXPECT_EQ(pointer["serial"], "2");

  // Two writers that read the same snapshot: the second is refused.
  state::remote::S3BackendConfig config{"team-state", "shared/state.db", "eu-central-1", "locks", ""};
  state::remote::S3Backend one(aws::NewAwsClient({}), config), two(aws::NewAwsClient({}), config);
  auto read_one = one.ReadSnapshot();
  auto read_two = two.ReadSnapshot();
  ASSERT_TRUE(read_one.ok() && read_two.ok() && *read_one && *read_two);
  state::Snapshot next = **read_one;
  next.serial += 1;
  ASSERT_TRUE(one.WriteSnapshot(next, (*read_one)->version).ok());
  state::Snapshot other = **read_two;
  other.serial += 1;
  other.bytes += "lost update";
  Status refused = two.WriteSnapshot(other, (*read_two)->version);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "StateSerialStale") << refused.error().ToString();
  auto now = two.ReadSnapshot();
  ASSERT_TRUE(now.ok() && *now);
  EXPECT_EQ((*now)->bytes, next.bytes) << "the first write stands";
  other.serial += 1;  // a higher serial does not help a writer that read an old version
  Status stale = two.WriteSnapshot(other, (*read_two)->version);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "StateConflict") << stale.error().ToString();
}

TEST_F(BackendS3Test, MigrationLocalToRemoteAndBackKeepsEveryResourceLineageAndSerial) {
  std::string dir = Checkout("m", false);
  auto applied = Infra(dir, "apply --auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  auto meta = [&] {
    auto r = RunCommand("python3 -c \"import sqlite3,json; c=sqlite3.connect('" + dir +
                        "/.infra/shared.db'); print(json.dumps(dict(c.execute('select key, value from meta'))))\"");
    return nlohmann::json::parse(r.out, nullptr, false);
  };
  nlohmann::json local = meta();
  ASSERT_TRUE(local.contains("lineage")) << local.dump();

  Checkout("m", true);  // the stack now names the remote backend
  auto refused = Infra(dir, "plan");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("run `infra init -migrate-state`"), std::string::npos) << refused.err;
  auto init = Infra(dir, "init -migrate-state");
  ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
  EXPECT_NE(init.out.find("bucket reachable and versioned, table active"), std::string::npos) << init.out;
  nlohmann::json pointer = Pointer();
  EXPECT_EQ(pointer["lineage"], local["lineage"]);
  EXPECT_EQ(pointer["serial"], local["serial"]);
  fs::remove_all(dir + "/.infra");  // the remote alone must hold it all
  auto plan = Infra(dir, "plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  Checkout("m", false);  // back to local
  refused = Infra(dir, "plan");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("infra init -migrate-state"), std::string::npos) << refused.err;
  init = Infra(dir, "init -migrate-state");
  ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
  auto list = Infra(dir, "state list");
  EXPECT_EQ(list.out, "aws_vpc.main\naws_vpc.other\n") << list.err;
  nlohmann::json back = meta();
  EXPECT_EQ(back["lineage"], local["lineage"]);
  EXPECT_EQ(back["serial"], local["serial"]);
  plan = Infra(dir, "plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
}

}  // namespace
}  // namespace infra::test
