// CLI entry: global flags, then each command family registers itself. To add
// a family, write engine/cli/cmd_<family>.cpp and list it in kRegistrars.
#include "engine/cli/cli.h"

#include <CLI/CLI.hpp>

#include "common/log.h"
#include "engine/cli/variable_flags.h"

namespace infra::cli {
namespace {
const Registrar kRegistrars[] = {
    RegisterValidateCommands,
    RegisterWhoamiCommands,
    RegisterPlanCommands,
    RegisterStateCommands,
    RegisterOutputCommands,
};
}  // namespace

int Run(int argc, char** argv) {
  log::InitFromEnvironment();
  CLI::App app{"infra: infrastructure as code for AWS"};
  app.require_subcommand(1);
  GlobalOptions globals;
  int exit_code = 0;
  app.add_option("-C,--directory", globals.directory, "Run as if started in DIR");
  app.add_option("--log-level", globals.log_level, "error, warn, info or debug (or INFRA_LOG)");
  app.add_flag("--no-color", globals.no_color, "Never colour output");
  app.parse_complete_callback([&] {
    if (!globals.log_level.empty() && !log::SetLevel(globals.log_level))
      throw CLI::ValidationError("--log-level", "must be error, warn, info or debug");
  });
  for (Registrar r : kRegistrars) r(app, globals, &exit_code);
  // -var / -var-file / -out ... are spelled with one dash, as in Terraform.
  std::vector<std::string> args = NormalizeTerraformFlags(argc, argv);
  std::vector<char*> argv2;
  for (auto& a : args) argv2.push_back(a.data());
  try {
    app.parse(static_cast<int>(argv2.size()), argv2.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}

}  // namespace infra::cli
