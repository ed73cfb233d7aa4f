// Paths for tests: source tree, test data folder, the built `infra` binary.
#pragma once
#include <string>

namespace infra::test {
/// Absolute path of the source tree root.
std::string SourceDir();
/// Absolute path of tests/data.
std::string DataDir();
/// Absolute path of the built `infra` executable.
std::string InfraBinary();
}  // namespace infra::test
