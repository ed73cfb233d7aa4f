// The state commands on a stack shared through S3 + DynamoDB, against
// moto_server, checked with boto3 and the AWS CLI: reads (state list/show/
// history/pull, output, show) see the remote's current snapshot from a
// fresh checkout without writing there; rm/mv/push write one new snapshot
// under the lease lock; push refuses a lower serial or another lineage unless
// --force; force-unlock removes a live holder's lock item, and that holder
// then fails its next fenced write (StateLockLost) and changes nothing.
#include <sys/stat.h>

#include "backend_s3_fixture.h"

namespace infra::test {
namespace {

class BackendS3StateTest : public BackendS3Test {
 protected:
  // The S3 object versions of the state, newest first.
  int Versions() {
    return Py("v = s3.list_object_versions(Bucket='team-state', Prefix='shared/state.db').get('Versions', [])\n"
              "print(json.dumps(len(v)))")
        .get<int>();
  }
  // The bytes of the snapshot the pointer names, as the AWS CLI downloads them.
  std::string CurrentSnapshot() {
    std::string file = root_.File("current.db");
    std::string version = Pointer()["version"].get<std::string>();
    auto r = AwsCli("eu-central-1", "s3api get-object --bucket team-state --key shared/state.db --version-id " +
                                        version + " " + ShellQuote(file));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return Read(file);
  }
};

TEST_F(BackendS3StateTest, StateCommandsReadAndChangeTheRemoteStateUnderTheLeaseLock) {
  std::string a = Checkout("a");
  auto applied = Infra(a, "apply --auto-approve");
  ASSERT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  EXPECT_EQ(Pointer()["serial"], "1");

  // A fresh checkout reads the remote state, and writes nothing there.
  std::string b = Checkout("b");
  auto list = Infra(b, "state list");
  EXPECT_EQ(list.out, "aws_vpc.main\naws_vpc.other\n") << list.err;
  auto shown_state = nlohmann::json::parse(Infra(b, "show -json").out, nullptr, false);
  EXPECT_EQ(shown_state.value("serial", 0), 1) << shown_state.dump();
  EXPECT_EQ(shown_state["values"]["resources"].size(), 2u) << shown_state.dump();
  auto outputs = Infra(b, "output");
  EXPECT_EQ(outputs.out, "main_cidr = \"10.0.0.0/16\"\ntoken = (sensitive value)\n") << outputs.err;
  auto token = Infra(b, "output --raw token");
  EXPECT_EQ(token.out, "s3cr3t-t0ken") << token.err;  // unsealed here, with the state key
  EXPECT_EQ(CurrentSnapshot().find("s3cr3t-t0ken"), std::string::npos) << "secrets are sealed before they leave";
  auto vpcs = AwsCli("eu-central-1", "ec2 describe-vpcs --filters Name=tag:infra:address,Values=aws_vpc.other");
  ASSERT_EQ(vpcs.json.value("Vpcs", nlohmann::json::array()).size(), 1u) << vpcs.out << vpcs.err;
  auto show = Infra(b, "state show aws_vpc.other --json");
  auto shown = nlohmann::json::parse(show.out, nullptr, false);
  EXPECT_EQ(shown.value("id", ""), vpcs.json["Vpcs"][0]["VpcId"]) << show.out << show.err;
  auto pulled = Infra(b, "state pull > " + ShellQuote(root_.File("serial1.db")));
  ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
  EXPECT_EQ(Read(root_.File("serial1.db")), CurrentSnapshot()) << "state pull prints the snapshot as stored";
  EXPECT_FALSE(fs::exists(b + "/.infra")) << "reads never write the checkout";

  // rm from b: one new snapshot under the lock; the VPC stays in AWS.
  auto rm = Infra(b, "state rm aws_vpc.other");
  ASSERT_EQ(rm.exit_code, 0) << rm.out << rm.err;
  EXPECT_EQ(Pointer()["serial"], "2");
  EXPECT_EQ(Versions(), 2);
  EXPECT_EQ(LockItemId(), "") << "released";
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.0.0.0/16", "10.9.0.0/16"}));
  // mv from a, whose working copy still holds serial 1: it acts on serial 2.
  auto mv = Infra(a, "state mv aws_vpc.main aws_vpc.primary");
  ASSERT_EQ(mv.exit_code, 0) << mv.out << mv.err;
  EXPECT_EQ(Pointer()["serial"], "3");
  std::string c = Checkout("c");
  EXPECT_EQ(Infra(c, "state list").out, "aws_vpc.primary\n");
  auto history = Infra(c, "state history --json");
  auto rows = nlohmann::json::parse(history.out, nullptr, false);
  ASSERT_TRUE(rows.is_array() && rows.size() >= 3) << history.out << history.err;
  EXPECT_EQ(rows[0]["command"], "state mv");
  EXPECT_EQ(rows[1]["command"], "state rm");

  // push: a lower serial and another lineage are refused, nothing written.
  std::string version = Pointer()["version"].get<std::string>();
  auto stale = Infra(c, "state push " + ShellQuote(root_.File("serial1.db")));
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(stale.err.find("StateSerialStale"), std::string::npos) << stale.err;
  EXPECT_NE(stale.err.find("--force"), std::string::npos) << stale.err;
  fs::copy_file(root_.File("serial1.db"), root_.File("foreign.db"));
  auto edited = RunCommand("python3 -c \"import sqlite3; c=sqlite3.connect('" + root_.File("foreign.db") +
                           "'); c.execute('pragma journal_mode=delete'); "
                           "c.execute(\\\"update meta set value='another-lineage' where key='lineage'\\\"); "
                           "c.execute(\\\"update meta set value='99' where key='serial'\\\"); c.commit(); c.close()\"");
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  auto foreign = Infra(c, "state push " + ShellQuote(root_.File("foreign.db")));
  EXPECT_EQ(foreign.exit_code, 1);
  EXPECT_NE(foreign.err.find("StateLineageMismatch"), std::string::npos) << foreign.err;
  EXPECT_EQ(Pointer()["version"], version) << "refused pushes move nothing";
  EXPECT_EQ(LockItemId(), "");

  // --force: the serial-1 state becomes current (conditional on the version read).
  auto forced = Infra(c, "state push --force " + ShellQuote(root_.File("serial1.db")));
  ASSERT_EQ(forced.exit_code, 0) << forced.out << forced.err;
  EXPECT_NE(Pointer()["version"], version);
  EXPECT_EQ(Pointer()["serial"], "1");
  EXPECT_EQ(Infra(b, "state list").out, "aws_vpc.main\naws_vpc.other\n");
  auto plan = Infra(b, "plan --detailed-exitcode");
  EXPECT_EQ(plan.exit_code, 0) << "the pushed state matches AWS again: " << plan.out << plan.err;
}

TEST_F(BackendS3StateTest, ForceUnlockRemovesALiveHoldersLockItemAndTheHolderThenFailsItsNextFencedWrite) {
  std::string a = Checkout("a"), b = Checkout("b");
  ASSERT_EQ(Infra(a, "apply --auto-approve").exit_code, 0);
  std::string version = Pointer()["version"].get<std::string>();
  std::string fifo = root_.File("answer");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  int holder = StartHolder(a, "apply -var cidr=10.1.0.0/16", fifo);  // would replace aws_vpc.main
  ASSERT_GT(holder, 0);
  std::string id = LockItemId();
  ASSERT_FALSE(id.empty());

  auto rm = Infra(b, "state rm aws_vpc.other");
  EXPECT_EQ(rm.exit_code, 1);
  EXPECT_NE(rm.err.find("StateLocked: s3://team-state/shared/state.db"), std::string::npos) << rm.err;
  EXPECT_NE(rm.err.find("(pid " + std::to_string(holder) + ", `infra apply`)"), std::string::npos) << rm.err;
  auto wrong = Infra(b, "force-unlock 11111111-2222-4333-8444-555555555555");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("StateLockMismatch"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find(id), std::string::npos) << "the real id is not given away: " << wrong.err;
  auto alive = Infra(b, "force-unlock " + id);
  EXPECT_EQ(alive.exit_code, 1);
  EXPECT_NE(alive.err.find("StateLockHolderAlive"), std::string::npos) << alive.err;
  EXPECT_EQ(LockItemId(), id);

  auto forced = Infra(b, "force-unlock --force " + id);
  ASSERT_EQ(forced.exit_code, 0) << forced.out << forced.err;
  EXPECT_NE(forced.out.find("Removed lock " + id), std::string::npos) << forced.out;
  EXPECT_EQ(LockItemId(), "") << "the lock item is gone";

  // The holder goes on: its first journalled intent is refused by the
  // fence, so it calls AWS for nothing and cannot move the pointer.
  auto [code, out] = AnswerHolder("yes\n");
  EXPECT_NE(code, 0) << out;
  EXPECT_NE(out.find("StateLockLost"), std::string::npos) << out;
  EXPECT_EQ(StackVpcs(), (std::multiset<std::string>{"10.0.0.0/16", "10.9.0.0/16"})) << "no VPC was created";
  EXPECT_EQ(Pointer()["version"], version) << "no snapshot was written";
  EXPECT_EQ(JournalItems(), 0) << "the refused intent left no item";
}

}  // namespace
}  // namespace infra::test
