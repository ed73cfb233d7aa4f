// archive_file is deterministic: the same sources zip to the same bytes
// twice, from a copy of the directory elsewhere with other times and modes,
// and in another time zone; a one-line change changes the hash. Also the
// hashes against the file written, inline sources, excludes and errors.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <zip.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "providers/archive/archive_provider.h"
#include "support/temp_dir.h"

namespace infra::archive {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::string Slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ArchiveFileTest : public testing::Test {
 protected:
  void SetUp() override {
    Write(src_ / "main.py", "def main(event, ctx):\n    return 1\n");
    Write(src_ / "lib/util.py", "X = 1\n");
    Write(src_ / "README", "docs\n");
  }
  Result<json> Zip(json args) {
    if (!args.contains("output_path")) args["output_path"] = (fs::path(tmp_.path()) / "out/f.zip").string();
    return provider_->FindData("archive_file")->Read({}, args);
  }
  test::TempDir tmp_{"infra-archive"};
  fs::path src_ = fs::path(tmp_.path()) / "src";
  std::unique_ptr<provider::Provider> provider_ = NewArchiveProvider();
};

TEST_F(ArchiveFileTest, TheSameDirectoryGivesTheSameHashTwice) {
  auto a = Zip({{"source_dir", src_.string()}});
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  auto b = Zip({{"source_dir", src_.string()}});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*a)["output_base64sha256"], (*b)["output_base64sha256"]);
  EXPECT_EQ((*a)["output_base64sha256"].get<std::string>().size(), 44u);
}

TEST_F(ArchiveFileTest, ACopyElsewhereWithOtherTimesModesAndTimeZoneGivesTheSameHash) {
  auto a = Zip({{"source_dir", src_.string()}});
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  fs::path copy = fs::path(tmp_.path()) / "elsewhere/checkout/src";
  fs::create_directories(copy.parent_path());
  fs::copy(src_, copy, fs::copy_options::recursive);
  for (const auto& e : fs::recursive_directory_iterator(copy)) {
    if (!e.is_regular_file()) continue;
    fs::last_write_time(e.path(), fs::file_time_type::clock::now() - std::chrono::hours(24 * 400));
    fs::permissions(e.path(), fs::perms::owner_all | fs::perms::group_read);
  }
  const char* tz = getenv("TZ");
  std::string old_tz = tz ? tz : "";
  setenv("TZ", "Pacific/Kiritimati", 1);  // UTC+14
  tzset();
  auto b = Zip({{"source_dir", copy.string()}, {"output_path", (fs::path(tmp_.path()) / "other.zip").string()}});
  if (tz) setenv("TZ", old_tz.c_str(), 1); else unsetenv("TZ");
  tzset();
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  EXPECT_EQ((*a)["output_base64sha256"], (*b)["output_base64sha256"]);
  EXPECT_EQ((*a)["output_md5"], (*b)["output_md5"]);
}

TEST_F(ArchiveFileTest, AOneLineChangeChangesTheHash) {
  auto a = Zip({{"source_dir", src_.string()}});
  ASSERT_TRUE(a.ok());
  Write(src_ / "main.py", "def main(event, ctx):\n    return 2\n");
  auto b = Zip({{"source_dir", src_.string()}});
  ASSERT_TRUE(b.ok());
  EXPECT_NE((*a)["output_base64sha256"], (*b)["output_base64sha256"]);
}

TEST_F(ArchiveFileTest, TheOutputsHashTheWrittenFileAndEntriesAreSortedWithFixedAttributes) {
  auto a = Zip({{"source_dir", src_.string()}, {"excludes", {"README"}}});
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  std::string path = (*a)["output_path"];
  std::string bytes = Slurp(path);
  EXPECT_EQ((*a)["output_size"], bytes.size());
  unsigned char d[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(bytes.data(), bytes.size(), d, &n, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned i = 0; i < n; ++i) hex += fmt::format("{:02x}", d[i]);
  EXPECT_EQ((*a)["output_sha256"], hex);
  EXPECT_EQ((*a)["id"], (*a)["output_sha"]);

  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  ASSERT_NE(z, nullptr);
  ASSERT_EQ(zip_get_num_entries(z, 0), 2);
  EXPECT_STREQ(zip_get_name(z, 0, 0), "lib/util.py");
  EXPECT_STREQ(zip_get_name(z, 1, 0), "main.py");
  zip_uint8_t os = 0;
  zip_uint32_t attr = 0;
  ASSERT_EQ(zip_file_get_external_attributes(z, 1, 0, &os, &attr), 0);
  EXPECT_EQ(os, ZIP_OPSYS_UNIX);
  EXPECT_EQ((attr >> 16) & 07777, 0644u);
  zip_close(z);
}

TEST_F(ArchiveFileTest, InlineSourcesAndASingleFile) {
  auto inline_zip = Zip({{"source", {{{"content", "b"}, {"filename", "b.txt"}}, {{"content", "a"}, {"filename", "a.txt"}}}}});
  ASSERT_TRUE(inline_zip.ok()) << inline_zip.error().ToString();
  auto one = Zip({{"source_file", (src_ / "main.py").string()}});
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  auto content = Zip({{"source_content", "def main(event, ctx):\n    return 1\n"}, {"source_content_filename", "main.py"}});
  ASSERT_TRUE(content.ok());
  EXPECT_EQ((*one)["output_base64sha256"], (*content)["output_base64sha256"]);  // same name and bytes
}

TEST_F(ArchiveFileTest, BadSourcesAreClearErrors) {
  auto r = Zip({{"source_dir", (src_ / "nope").string()}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nope"), std::string::npos) << r.error().message;
  r = Zip({{"source", {{{"content", "a"}, {"filename", "x"}}, {{"content", "b"}, {"filename", "x"}}}}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("'x'"), std::string::npos) << r.error().message;
  const auto& s = provider_->FindData("archive_file")->schema();
  ASSERT_FALSE(s.checks.empty());
  EXPECT_EQ(s.checks[0].kind, provider::SchemaCheck::Kind::kExactlyOneOf);
}

}  // namespace
}  // namespace infra::archive
