// A fresh folder per test under $TMPDIR, removed with everything in it.
// ctest runs every test case as its own process, two at a time, so a fixed
// name under ::testing::TempDir() is shared between racing tests: always use
// this instead.
#pragma once
#include <stdlib.h>

#include <filesystem>
#include <string>

namespace infra::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "infra-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::filesystem::filesystem_error("mkdtemp", tmpl, std::error_code(errno, std::generic_category()));
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const { return (std::filesystem::path(path_) / name).string(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace infra::test
