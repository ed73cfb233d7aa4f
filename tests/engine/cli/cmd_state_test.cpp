// `infra state ...`, `infra output` and `infra force-unlock` run in-process
// through cli::Run against a state filled with the store API; stdout and
// stderr are captured. Also the default state path (state_path.h).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "engine/cli/cli.h"
#include "engine/cli/state_path.h"
#include "state/lock.h"
#include "state/store.h"

namespace infra::cli {
namespace {
namespace fs = std::filesystem;

constexpr char kKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

GlobalOptions Dir(const std::string& directory) {
  GlobalOptions g;
  g.directory = directory;
  return g;
}

struct Ran {
  int code;
  std::string out, err;
};

class CmdStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("INFRA_STATE_KEY", kKey, 1);
    std::string tmpl = (fs::temp_directory_path() / "infra-cli-state-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    std::ofstream(dir_ + "/stack.yaml") << "stack: web\nregions: {primary: eu-west-1}\nresources: {}\n";
    db_ = dir_ + "/.infra/web.db";
  }
  void TearDown() override {
    ::unsetenv("INFRA_STATE_KEY");
    fs::remove_all(dir_);
  }

  Ran Infra(std::vector<std::string> args) {
    args.insert(args.begin(), {"infra", "-C", dir_});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::stringstream out, err;
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    int code = cli::Run(static_cast<int>(argv.size()), argv.data());
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    return {code, out.str(), err.str()};
  }

  void Fill() {
    auto store = state::StateStore::Open(db_, {.stack = "web"});
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    state::ResourceRecord vpc;
    vpc.address = "aws_vpc.main";
    vpc.type = "aws_vpc";
    vpc.region = "eu-west-1";
    vpc.region_alias = "primary";
    vpc.id = "vpc-1";
    vpc.attributes = {{"id", "vpc-1"}, {"cidr_block", "10.0.0.0/16"}};
    ASSERT_TRUE((*store)->PutResource(vpc).ok());
    state::ResourceRecord db;
    db.address = "aws_rds_cluster.db";
    db.type = "aws_rds_cluster";
    db.region = "eu-central-1";
    db.region_alias = "dr";
    db.id = "db-1";
    db.attributes = {{"id", "db-1"}, {"master_password", "Hunter2-secret"}};
    db.sensitive_attributes = {"master_password"};
    db.dependencies = {"aws_vpc.main"};
    ASSERT_TRUE((*store)->PutResource(db).ok());
    ASSERT_TRUE((*store)->ReplaceOutputs({{"url", "http://web", false}, {"db_password", "Hunter2-secret", true}}).ok());
    auto h = (*store)->BeginApply({.command = "apply"});
    ASSERT_TRUE(h.ok());
    ASSERT_TRUE((*store)->FinishApply(*h, "succeeded", {{"create", 2}}).ok());
  }

  std::string dir_, db_;
};

TEST_F(CmdStateTest, DefaultStatePathComesFromTheStackName) {
  auto path = ResolveStatePath(Dir(dir_), "");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(fs::path(*path), fs::path(dir_) / ".infra" / "web.db");
  EXPECT_EQ(*ResolveStatePath(Dir(dir_), "/x/y.db"), "/x/y.db");
  auto none = ResolveStatePath(Dir(dir_ + "/nowhere"), "");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("--state"), std::string::npos);
  std::ofstream(dir_ + "/stack.yaml") << "regions: {}\n";
  EXPECT_EQ(ResolveStatePath(Dir(dir_), "").error().code, "BadStack");
}

TEST_F(CmdStateTest, RelativeStatePathIsRelativeToTheStackDirectory) {
  // -C DIR applies to --state as to -out and plan files (Terraform's -chdir).
  EXPECT_EQ(fs::path(*ResolveStatePath(Dir(dir_), "s/x.db")), fs::path(dir_) / "s" / "x.db");
  EXPECT_EQ(fs::path(*ResolveStatePath(Dir(dir_ + "/stack.yaml"), "x.db")),
            fs::path(dir_) / "x.db");
  EXPECT_EQ(InDirectory(Dir(dir_), "../p.plan"),
            (fs::path(dir_).parent_path() / "p.plan").string());
  EXPECT_EQ(InDirectory(Dir("."), "a.db"), "a.db");
  EXPECT_EQ(InDirectory(Dir(dir_), ""), "");
}

TEST_F(CmdStateTest, ListFiltersByTypeAndRegion) {
  Fill();
  auto all = Infra({"state", "list"});
  EXPECT_EQ(all.code, 0) << all.err;
  EXPECT_EQ(all.out, "aws_rds_cluster.db\naws_vpc.main\n");
  EXPECT_EQ(Infra({"state", "list", "--type", "aws_vpc"}).out, "aws_vpc.main\n");
  EXPECT_EQ(Infra({"state", "list", "--region", "eu-central-1"}).out, "aws_rds_cluster.db\n");
  EXPECT_EQ(Infra({"state", "list", "--region", "primary"}).out, "aws_vpc.main\n");
}

TEST_F(CmdStateTest, RelativeStateAndVarFilePathsFollowMinusC) {
  // The test runs in another working directory: each relative path must be
  // found in (or written to) the -C directory, never the working directory.
  Fill();
  fs::rename(db_, dir_ + "/web-copy.db");
  auto listed = Infra({"state", "list", "--state", "web-copy.db"});
  EXPECT_EQ(listed.code, 0) << listed.err;
  EXPECT_EQ(listed.out, "aws_rds_cluster.db\naws_vpc.main\n");

  std::ofstream(dir_ + "/stack.yaml") << "stack: web\nregions: {primary: eu-west-1}\n"
                                         "variables: {env: {type: string}}\nresources: {}\n"
                                         "outputs: {env: {value: \"${var.env}\"}}\n";
  std::ofstream(dir_ + "/prod.vars.yaml") << "env: prod\n";
  fs::create_directories(dir_ + "/plans");
  auto planned = Infra({"plan", "-var-file", "prod.vars.yaml", "--state", "plans/new.db", "-out", "plans/p.plan"});
  EXPECT_EQ(planned.code, 0) << planned.err;
  EXPECT_TRUE(fs::exists(dir_ + "/plans/new.db"));
  EXPECT_TRUE(fs::exists(dir_ + "/plans/p.plan"));
  EXPECT_FALSE(fs::exists("plans/new.db"));
  EXPECT_NE(planned.out.find("prod"), std::string::npos) << planned.out;
}

TEST_F(CmdStateTest, ListWithoutStateSaysSo) {
  auto r = Infra({"state", "list"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("No state yet"), std::string::npos);
  EXPECT_FALSE(fs::exists(db_));  // reading never creates a state
}

TEST_F(CmdStateTest, ShowHidesSensitiveValues) {
  Fill();
  auto r = Infra({"state", "show", "aws_rds_cluster.db"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("master_password = (sensitive value)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("region         = eu-central-1 (dr)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Hunter2"), std::string::npos);
  auto j = Infra({"state", "show", "aws_rds_cluster.db", "--json"});
  EXPECT_EQ(j.code, 0);
  auto parsed = nlohmann::json::parse(j.out);
  EXPECT_EQ(parsed["attributes"]["master_password"], "(sensitive value)");
  EXPECT_EQ(parsed["dependencies"][0], "aws_vpc.main");
  auto missing = Infra({"state", "show", "aws_vpc.nope"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("no resource aws_vpc.nope"), std::string::npos);
}

TEST_F(CmdStateTest, RmAndMvChangeStateAndHistory) {
  Fill();
  auto mv = Infra({"state", "mv", "aws_vpc.main", "module.net.aws_vpc.main"});
  EXPECT_EQ(mv.code, 0) << mv.err;
  EXPECT_NE(mv.out.find("Moved aws_vpc.main to module.net.aws_vpc.main"), std::string::npos);
  auto rm = Infra({"state", "rm", "aws_rds_cluster.db"});
  EXPECT_EQ(rm.code, 0) << rm.err;
  EXPECT_EQ(Infra({"state", "list"}).out, "module.net.aws_vpc.main\n");
  auto bad = Infra({"state", "rm", "aws_vpc.ghost"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("StateNoSuchResource"), std::string::npos);
  auto history = Infra({"state", "history", "--json"});
  EXPECT_EQ(history.code, 0);
  auto rows = nlohmann::json::parse(history.out);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["command"], "state rm");
  EXPECT_EQ(rows[1]["command"], "state mv");
  EXPECT_EQ(rows[2]["command"], "apply");
  EXPECT_EQ(rows[0]["serial"], 3);
  auto table = Infra({"state", "history"});
  EXPECT_NE(table.out.find("create 2"), std::string::npos) << table.out;
}

TEST_F(CmdStateTest, DeposedObjectsAreListedShownRemovedAndMovedWithTheirAddress) {
  Fill();
  {
    auto store = state::StateStore::Open(db_);
    ASSERT_TRUE(store.ok());
    state::ResourceRecord old{.address = "aws_vpc.main", .deposed = "vpc-0", .type = "aws_vpc",
                              .region = "eu-west-1", .id = "vpc-0", .attributes = {{"id", "vpc-0"}}};
    ASSERT_TRUE((*store)->PutResource(old).ok());
  }
  auto list = Infra({"state", "list", "--type", "aws_vpc"});
  EXPECT_EQ(list.out, "aws_vpc.main\naws_vpc.main (deposed vpc-0)\n");
  auto show = Infra({"state", "show", "aws_vpc.main (deposed vpc-0)", "--json"});
  ASSERT_EQ(show.code, 0) << show.err;
  auto shown = nlohmann::json::parse(show.out);
  EXPECT_EQ(shown["id"], "vpc-0");
  EXPECT_EQ(shown["deposed"], "vpc-0");

  auto across = Infra({"state", "mv", "aws_vpc.main", "aws_subnet.main"});
  EXPECT_EQ(across.code, 1);
  EXPECT_NE(across.err.find("StateTypeMismatch"), std::string::npos) << across.err;
  auto mv = Infra({"state", "mv", "aws_vpc.main", "aws_vpc.core"});
  ASSERT_EQ(mv.code, 0) << mv.err;
  EXPECT_EQ(Infra({"state", "list", "--type", "aws_vpc"}).out, "aws_vpc.core\naws_vpc.core (deposed vpc-0)\n");
  auto rm = Infra({"state", "rm", "aws_vpc.core (deposed vpc-0)"});
  ASSERT_EQ(rm.code, 0) << rm.err;
  EXPECT_EQ(Infra({"state", "list", "--type", "aws_vpc"}).out, "aws_vpc.core\n");
}

TEST_F(CmdStateTest, RmIsRefusedWhileAnotherHolderHasTheLock) {
  Fill();
  auto store = state::StateStore::Open(db_);
  ASSERT_TRUE(store.ok());
  state::LockOptions lo;
  lo.command = "apply";
  auto lock = state::StateLock::Acquire(**store, lo);
  ASSERT_TRUE(lock.ok());
  // Same process, so not "vanished": the live lease is respected.
  auto rm = Infra({"state", "rm", "aws_vpc.main"});
  EXPECT_EQ(rm.code, 1);
  EXPECT_NE(rm.err.find("the state is locked"), std::string::npos) << rm.err;
  EXPECT_NE(rm.err.find((*lock)->info().id), std::string::npos);

  auto wrong = Infra({"force-unlock", "nope"});
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.err.find("StateLockMismatch"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find((*lock)->info().id), std::string::npos) << "the real lock id leaked: " << wrong.err;
  auto alive = Infra({"force-unlock", (*lock)->info().id});  // its holder (this process) is alive here
  EXPECT_EQ(alive.code, 1);
  EXPECT_NE(alive.err.find("StateLockHolderAlive"), std::string::npos) << alive.err;
  auto unlock = Infra({"force-unlock", "--force", (*lock)->info().id});
  EXPECT_EQ(unlock.code, 0) << unlock.err;
  EXPECT_NE(unlock.out.find("Removed lock " + (*lock)->info().id), std::string::npos);
  EXPECT_EQ(Infra({"state", "rm", "aws_vpc.main"}).code, 0);
}

TEST_F(CmdStateTest, PullThenPushANewerCopyReplacesTheStateAndStaleOrForeignOnesAreRefused) {
  Fill();
  auto pull = Infra({"state", "pull"});
  ASSERT_EQ(pull.code, 0) << pull.err;
  ASSERT_EQ(pull.out.substr(0, 15), "SQLite format 3");
  std::string copy = dir_ + "/copy.db";
  std::ofstream(copy, std::ios::binary) << pull.out;
  {
    auto edited = state::StateStore::Open(copy, {.create = false});
    ASSERT_TRUE(edited.ok()) << edited.error().ToString();
    ASSERT_TRUE((*edited)->DeleteResource("aws_vpc.main").ok());
    ASSERT_TRUE((*edited)->BeginApply({.command = "apply"}).ok());  // serial 1 -> 2
  }
  auto push = Infra({"state", "push", copy});
  ASSERT_EQ(push.code, 0) << push.err;
  EXPECT_NE(push.out.find("serial 1 -> 2"), std::string::npos) << push.out;
  EXPECT_EQ(Infra({"state", "list"}).out, "aws_rds_cluster.db\n");
  auto secret = Infra({"output", "db_password"});
  EXPECT_EQ(secret.out, "Hunter2-secret\n");  // sealed values came across intact

  auto stale = Infra({"state", "push", copy});  // serial 2 again
  EXPECT_EQ(stale.code, 1);
  EXPECT_NE(stale.err.find("StateSerialStale"), std::string::npos) << stale.err;
  std::string other = dir_ + "/other.db";
  {
    auto foreign = state::StateStore::Open(other, {.stack = "web"});
    ASSERT_TRUE(foreign.ok());
    for (int i = 0; i < 5; ++i) ASSERT_TRUE((*foreign)->BeginApply({.command = "apply"}).ok());
  }
  auto wrong = Infra({"state", "push", other});
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.err.find("StateLineageMismatch"), std::string::npos) << wrong.err;
  EXPECT_EQ(Infra({"state", "list"}).out, "aws_rds_cluster.db\n");
  EXPECT_FALSE(state::StateStore::Open(db_, {.read_only = true}).value()->GetResource("aws_vpc.main")->has_value());
}

TEST_F(CmdStateTest, PushForceTakesAStaleOrForeignCopyButNeverOneSealedWithAnotherKey) {
  Fill();
  auto pull = Infra({"state", "pull"});
  ASSERT_EQ(pull.code, 0) << pull.err;
  std::string copy = dir_ + "/copy.db";
  std::ofstream(copy, std::ios::binary) << pull.out;  // serial 1, as the state is now
  auto rm = Infra({"state", "rm", "aws_vpc.main"});  // serial 2
  ASSERT_EQ(rm.code, 0) << rm.err;
  auto stale = Infra({"state", "push", copy});
  EXPECT_EQ(stale.code, 1);
  EXPECT_NE(stale.err.find("StateSerialStale"), std::string::npos) << stale.err;
  EXPECT_NE(stale.err.find("--force pushes it anyway"), std::string::npos) << stale.err;
  auto forced = Infra({"state", "push", "--force", copy});
  ASSERT_EQ(forced.code, 0) << forced.err;
  EXPECT_EQ(Infra({"state", "list"}).out, "aws_rds_cluster.db\naws_vpc.main\n");

  std::string other = dir_ + "/other.db";
  std::string lineage;
  {
    auto foreign = state::StateStore::Open(other, {.stack = "web"});
    ASSERT_TRUE(foreign.ok());
    lineage = (*foreign)->lineage();
  }
  auto foreign = Infra({"state", "push", "--force", other});
  ASSERT_EQ(foreign.code, 0) << foreign.err;
  EXPECT_EQ(Infra({"state", "list"}).out, "");
  EXPECT_EQ(state::StateStore::Open(db_, {.read_only = true}).value()->lineage(), lineage);

  std::string sealed_elsewhere = dir_ + "/elsewhere.db";
  ::setenv("INFRA_STATE_KEY", "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100", 1);
  { ASSERT_TRUE(state::StateStore::Open(sealed_elsewhere, {.stack = "web"}).ok()); }
  ::setenv("INFRA_STATE_KEY", kKey, 1);
  auto refused = Infra({"state", "push", "--force", sealed_elsewhere});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("StateKeyMismatch"), std::string::npos) << refused.err;
}

TEST_F(CmdStateTest, ACorruptStateIsRefusedNamingTheFileAndNeverModified) {
  Fill();
  std::string bytes;
  {
    std::ifstream in(db_, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    bytes = s.str();
  }
  ASSERT_GT(bytes.size(), 8192u);
  for (size_t i = 4096; i < 8192; ++i) bytes[i] = '\x5a';  // page 2, header included
  std::ofstream(db_, std::ios::binary | std::ios::trunc) << bytes;
  for (std::vector<std::string> args : {std::vector<std::string>{"state", "list"},
                                        std::vector<std::string>{"state", "rm", "aws_vpc.main"},
                                        std::vector<std::string>{"output"}}) {
    auto r = Infra(args);
    EXPECT_EQ(r.code, 1) << args[0] << " " << args[1];
    EXPECT_NE(r.err.find("StateCorrupt"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(db_), std::string::npos) << r.err;
    std::ifstream in(db_, std::ios::binary);
    std::stringstream after;
    after << in.rdbuf();
    EXPECT_EQ(after.str(), bytes) << "the refused file changed after " << args[0];
  }
}

// Item 11: list, show and output on a state the user may read but not write
// (a read-only file in a read-only folder; as root, from a child that became
// `nobody`, since root ignores permissions). Each command's exit code is
// one bit of the child's status.
TEST_F(CmdStateTest, ReadingCommandsWorkOnAStateTheUserCannotWrite) {
  Fill();
  ::chmod(dir_.c_str(), 0755);
  ::chmod(db_.c_str(), 0444);
  ::chmod((dir_ + "/.infra").c_str(), 0555);
  auto run_all = [&]() -> int {
    int failed = 0;
    if (Infra({"state", "list"}).out != "aws_rds_cluster.db\naws_vpc.main\n") failed |= 1;
    if (Infra({"state", "show", "aws_vpc.main"}).code != 0) failed |= 2;
    if (Infra({"output", "url"}).out != "http://web\n") failed |= 4;
    return failed;
  };
  int failed = -1;
  if (::geteuid() == 0) {
    pid_t child = ::fork();
    if (child == 0) {
      if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(64);
      ::_exit(run_all());
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    failed = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  } else {
    failed = run_all();
  }
  ::chmod((dir_ + "/.infra").c_str(), 0755);
  EXPECT_EQ(failed, 0) << "bit 1: state list, 2: state show, 4: output, 64: could not become nobody";
  EXPECT_FALSE(fs::exists(db_ + "-shm"));
}

TEST_F(CmdStateTest, OutputHidesSensitiveUnlessNamed) {
  Fill();
  auto all = Infra({"output"});
  EXPECT_EQ(all.code, 0) << all.err;
  EXPECT_EQ(all.out, "db_password = (sensitive value)\nurl = \"http://web\"\n");
  auto one = Infra({"output", "db_password"});
  EXPECT_EQ(one.code, 0);
  EXPECT_EQ(one.out, "Hunter2-secret\n");
  auto json = nlohmann::json::parse(Infra({"output", "--json"}).out);
  EXPECT_TRUE(json["db_password"]["sensitive"]);
  EXPECT_TRUE(json["db_password"]["value"].is_null());
  EXPECT_EQ(json["url"]["value"], "http://web");
  auto missing = Infra({"output", "nope"});
  EXPECT_EQ(missing.code, 1);
}

TEST_F(CmdStateTest, WrongKeyIsReportedByOutput) {
  Fill();
  ::setenv("INFRA_STATE_KEY", std::string(64, 'e').c_str(), 1);
  auto r = Infra({"output", "db_password"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("does not match the key this state was encrypted with"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace infra::cli
