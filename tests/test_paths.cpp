// Paths the tests need: the source tree (for tests/data, stacks/) and the
// built `infra` binary (for tests that run the CLI as a user would).
#include "test_paths.h"

namespace infra::test {
std::string SourceDir() { return INFRA_SOURCE_DIR; }
std::string InfraBinary() { return INFRA_BINARY; }
std::string DataDir() { return std::string(INFRA_SOURCE_DIR) + "/tests/data"; }
}  // namespace infra::test
