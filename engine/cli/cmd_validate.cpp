// `infra validate` and `infra graph` (placeholder until the stack parser lands).
#include <CLI/CLI.hpp>

#include "engine/cli/cli.h"

namespace infra::cli {

void RegisterValidateCommands(CLI::App& app, GlobalOptions& globals, int* exit_code) {
  (void)globals;
  auto* validate = app.add_subcommand("validate", "Parse, expand and validate a stack (no network, no state)");
  validate->callback([exit_code] { *exit_code = 0; });
}

}  // namespace infra::cli
