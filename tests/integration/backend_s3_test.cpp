// End to end: a stack shared through the S3 + DynamoDB backend, against
// moto_server, checked with boto3 and the AWS CLI. Two checkouts: one runs,
// the other is refused naming the holder, then takes over once the holder
// is killed and its lease has lapsed (a holder whose pid this host cannot
// check, as in another container with the same host name, gets its lease); kill -9 mid-apply with the .infra
// folder wiped, then a fresh checkout converges (no twin, no orphan, by
// tag); snapshots are S3 versions and a concurrent snapshot write is
// refused; local -> remote -> local migration keeps every resource.
#include "backends/s3/s3_backend.h"
#include "backend_s3_fixture.h"
#include "providers/aws/sdk/aws_client.h"

namespace infra::test {
namespace {

TEST_F(BackendS3Test, TwoCheckoutsOneRunsTheOtherIsRefusedNamingTheHolderThenTakesOverAfterTheLease) {
  std::string a = Checkout("a"), b = Checkout("b");
  auto first = Infra(a, "apply --auto-approve");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;

  // A's apply waits at its approval question, holding the lock.
  int holder = StartHolder(a, "apply -var cidr=10.1.0.0/16");
  ASSERT_GT(holder, 0);

  auto refused = Infra(b, "apply --auto-approve -var cidr=10.1.0.0/16");
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("StateLocked: s3://team-state/shared/state.db"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("(pid " + std::to_string(holder) + ", `infra apply`) since "), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("(lease until "), std::string::npos) << refused.err;
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.0.0.0/16", "10.9.0.0/16"}));

  // kill -9 the holder. Its lock item names this host, but as a holder in
  // another container with the same host name would: another pid space, so
  // its pid proves nothing here and only the lapsed lease (2 s) lets B in.
  ASSERT_EQ(::kill(holder, SIGKILL), 0);
  Py("ddb.update_item(TableName='locks', Key={'LockID': {'S': '" + std::string(kLockKey) +
     "'}}, UpdateExpression='SET pid_space = :p', ExpressionAttributeValues={':p': {'S': 'other-boot/4026531836'}})\n"
     "print(json.dumps(1))");
  auto took = Infra(b, "apply --auto-approve --lock-timeout 60s -var cidr=10.1.0.0/16");
  ASSERT_EQ(took.exit_code, 0) << took.out << took.err;
  EXPECT_NE(took.err.find("taking over the state lock from"), std::string::npos) << took.err;
  EXPECT_NE(took.err.find("(pid " + std::to_string(holder) + ", `infra apply`)"), std::string::npos) << took.err;
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
