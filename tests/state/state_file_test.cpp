// Refusal of files that are not a usable infra state: random bytes, empty,
// truncated (at many offsets), another program's SQLite database, a newer
// schema. Each must fail clearly and leave the file byte-for-byte intact.
#include "state/state_file.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <random>

#include "state/store.h"
#include "state_test_env.h"

namespace infra::state {
namespace {

using testing::ReadAll;
using testing::ScopedKeyEnv;
using testing::TempDir;
using testing::WriteAll;

class StateFileTest : public ::testing::Test {
 protected:
  // Opens `path`, expects failure with `code`, and checks nothing changed.
  void ExpectRefused(const std::string& path, const std::string& code) {
    std::string before = ReadAll(path);
    auto store = StateStore::Open(path);
    ASSERT_FALSE(store.ok()) << "opened " << path;
    EXPECT_EQ(store.error().code, code) << store.error().ToString();
    EXPECT_NE(store.error().message.find(path), std::string::npos) << store.error().message;
    EXPECT_EQ(ReadAll(path), before) << "the refused file was modified";
    std::error_code ec;  // the read-only probe may leave an empty WAL beside it, never content
    EXPECT_EQ(std::filesystem::exists(path + "-wal") ? std::filesystem::file_size(path + "-wal", ec) : 0u, 0u);
  }

  // A real state with some rows, closed (WAL checkpointed).
  std::string MakeState() {
    std::string path = dir_.File("real.db");
    auto store = StateStore::Open(path);
    EXPECT_TRUE(store.ok());
    for (int i = 0; i < 200; ++i) {
      ResourceRecord r;
      r.address = "aws_subnet.s" + std::to_string(i);
      r.type = "aws_subnet";
      r.attributes = {{"cidr_block", "10.0.0.0/24"}, {"padding", std::string(300, 'p')}};
      EXPECT_TRUE((*store)->PutResource(r).ok());
    }
    EXPECT_TRUE((*store)->Close().ok());
    return path;
  }

  ScopedKeyEnv key_{"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"};
  TempDir dir_;
};

TEST_F(StateFileTest, RandomBytesAreRefused) {
  std::mt19937 rng(42);
  std::string bytes(8192, '\0');
  for (auto& c : bytes) c = static_cast<char>(rng());
  std::string path = dir_.File("random.db");
  WriteAll(path, bytes);
  ExpectRefused(path, "StateCorrupt");
}

TEST_F(StateFileTest, TextFileIsRefused) {
  std::string path = dir_.File("terraform.tfstate");
  WriteAll(path, R"({"version": 4, "serial": 3, "resources": []})");
  ExpectRefused(path, "StateCorrupt");
}

TEST_F(StateFileTest, EmptyFileIsRefused) {
  std::string path = dir_.File("empty.db");
  WriteAll(path, "");
  ExpectRefused(path, "StateCorrupt");
}

TEST_F(StateFileTest, TruncatedStateIsRefusedAtEveryCut) {
  std::string path = MakeState();
  std::string full = ReadAll(path);
  ASSERT_GT(full.size(), 40000u);
  // Every page boundary and a few odd offsets, including inside the header.
  std::vector<size_t> cuts = {1, 15, 99, 100, 101, 4095, full.size() - 1};
  for (size_t cut = 4096; cut < full.size(); cut += 4096) cuts.push_back(cut);
  for (size_t cut : cuts) {
    SCOPED_TRACE("cut at " + std::to_string(cut));
    std::string path_cut = dir_.File("cut.db");
    WriteAll(path_cut, full.substr(0, cut));
    ExpectRefused(path_cut, "StateCorrupt");
  }
}

TEST_F(StateFileTest, ForeignSqliteDatabaseIsRefused) {
  std::string path = dir_.File("other.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE songs(title TEXT); INSERT INTO songs VALUES('x');", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  ExpectRefused(path, "StateForeign");
}

TEST_F(StateFileTest, NewerSchemaIsRefused) {
  std::string path = MakeState();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA journal_mode=DELETE; PRAGMA user_version = 99;", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::string before = ReadAll(path);
  auto store = StateStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "StateTooNew");
  EXPECT_NE(store.error().message.find("newer infra"), std::string::npos);
  EXPECT_NE(store.error().message.find("v99"), std::string::npos);
  EXPECT_EQ(ReadAll(path), before);
}

TEST_F(StateFileTest, DamagedPageIsRefusedOnOpenAndLeftUntouched) {
  std::string path = MakeState();
  std::string bytes = ReadAll(path);
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 2000; ++i) bytes[i] = '\x5a';
  WriteAll(path, bytes);
  ExpectRefused(path, "StateCorrupt");  // by PRAGMA quick_check, before anything writes
  auto store = StateStore::Open(path, {.read_only = true});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, "StateCorrupt");
  EXPECT_NE(store.error().message.find("quick_check"), std::string::npos) << store.error().message;
}

TEST_F(StateFileTest, NewStatesAndKeysAreOnlyTheOwnersToRead) {
  ScopedKeyEnv no_key("");
  mode_t old = ::umask(022);
  std::string path = dir_.File("fresh/.infra/web.db");
  auto store = StateStore::Open(path, {.stack = "web"});
  ::umask(old);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto mode = [](const std::string& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 0777;
  };
  EXPECT_EQ(mode(dir_.File("fresh")), 0700u);
  EXPECT_EQ(mode(dir_.File("fresh/.infra")), 0700u);
  EXPECT_EQ(mode(path), 0600u);
  EXPECT_EQ(mode(dir_.File("fresh/.infra/web.key")), 0600u);
  ASSERT_TRUE((*store)->PutResource(ResourceRecord{.address = "aws_vpc.a", .type = "aws_vpc"}).ok());
  EXPECT_EQ(mode(path + "-wal"), 0600u);  // SQLite gives its side files the database's mode
}

TEST_F(StateFileTest, ConcurrentCreationKeepsOneLineage) {
  std::string path = dir_.File("new/race.db");
  ASSERT_TRUE(CreateStateFile(path, "a").ok());
  auto first = StateStore::Open(path);
  ASSERT_TRUE(first.ok());
  std::string lineage = (*first)->lineage();
  ASSERT_TRUE(CreateStateFile(path, "b").ok());  // loses the race: keeps the existing file
  auto second = StateStore::Open(path);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)->lineage(), lineage);
  EXPECT_EQ((*second)->stack(), "a");
}

}  // namespace
}  // namespace infra::state
