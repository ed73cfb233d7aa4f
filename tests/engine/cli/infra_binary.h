// Runs the real `infra` binary as a user would (the CLI tests of this
// folder): argument string through /bin/sh, optional stdin text, stdout and
// stderr captured (merged or apart) with the exit code.
#pragma once
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include "support/temp_dir.h"
#include "test_paths.h"

namespace infra::cli::test_support {

struct CliRun {
  int exit_code = -1;
  std::string out;  // stdout, plus stderr unless run with merged = false
};

/// `infra <args>`; stdin is `input` (empty: /dev/null). `merged` adds
/// stderr to `out`; otherwise stderr is dropped.
inline CliRun Infra(const std::string& args, bool merged = true, const std::string& input = "") {
  CliRun r;
  std::string stdin_file = "/dev/null";
  infra::test::TempDir tmp("infra-cli-stdin");
  if (!input.empty()) {
    stdin_file = tmp.File("stdin");
    std::ofstream(stdin_file) << input;
  }
  std::string cmd = infra::test::InfraBinary() + " " + args + " <" + stdin_file + (merged ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// Whether `text` contains `part` (for EXPECT_TRUE(Has(...)) << text).
inline bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace infra::cli::test_support
