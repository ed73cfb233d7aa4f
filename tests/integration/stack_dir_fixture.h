// Fixture for end-to-end tests of a stack written by the test itself: a
// fresh directory per test holding stack.yaml and the state, the `infra`
// binary run against a real moto_server (reset per test), and helpers to
// read files as bytes (to prove a secret is absent from them).
#pragma once
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/moto_server.h"
#include "test_paths.h"

namespace infra::test {

class StackDirTest : public testing::Test {
 protected:
  void SetUp() override {
    moto_.ExportEnvironment();
    moto_.Reset();
    dir_ = std::filesystem::temp_directory_path() /
           ("infra-" + std::to_string(::getpid()) + "-" + testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteStack(const std::string& yaml) { WriteFile("stack.yaml", yaml); }
  void WriteFile(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  /// `infra -C DIR ARGS` with stdin closed; ARGS is shell text.
  CommandResult Infra(const std::string& args) {
    return RunCommand(ShellQuote(InfraBinary()) + " -C " + ShellQuote(dir_.string()) + " " + args + " </dev/null");
  }

  /// The bytes of a file ("" when absent).
  static std::string Bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

  /// Every byte infra keeps beside the stack: state database (and its WAL),
  /// plan files, key file excluded (it holds no secret of the stack).
  std::string EverythingStored() const {
    std::string all;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_))
      if (e.is_regular_file() && e.path().extension() != ".key" && e.path().filename() != "stack.yaml" &&
          e.path().extension() != ".yaml")
        all += Bytes(e.path().string());
    return all;
  }

  static unsigned Mode(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return st.st_mode & 0777;
  }

  MotoServer& moto_ = MotoServer::Shared();
  std::filesystem::path dir_;
};

}  // namespace infra::test
