// Shared bits of the state tests: a temporary folder removed afterwards,
// INFRA_STATE_KEY scoped per test, and raw file helpers.
#pragma once
#include <stdlib.h>

#include "support/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace infra::state::testing {

using TempDir = infra::test::TempDir;

/// Sets (or with "" unsets) INFRA_STATE_KEY for the scope, restoring it after.
class ScopedKeyEnv {
 public:
  explicit ScopedKeyEnv(const std::string& value) {
    if (const char* old = ::getenv("INFRA_STATE_KEY")) old_ = old, had_ = true;
    if (value.empty()) ::unsetenv("INFRA_STATE_KEY");
    else ::setenv("INFRA_STATE_KEY", value.c_str(), 1);
  }
  ~ScopedKeyEnv() {
    if (had_) ::setenv("INFRA_STATE_KEY", old_.c_str(), 1);
    else ::unsetenv("INFRA_STATE_KEY");
  }

 private:
  std::string old_;
  bool had_ = false;
};

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

}  // namespace infra::state::testing
