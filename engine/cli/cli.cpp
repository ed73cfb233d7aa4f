// CLI entry: global flags, then each command family registers itself. To add
// a family, write engine/cli/cmd_<family>.cpp and list it in kRegistrars.
// Terraform spellings (one dash, `=`) are normalized first (command_line.h).
#include "engine/cli/cli.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "common/log.h"
#include "engine/cli/command_line.h"

namespace infra::cli {
namespace {
const Registrar kRegistrars[] = {
    RegisterValidateCommands, RegisterWhoamiCommands, RegisterPlanCommands,    RegisterStateCommands,
    RegisterOutputCommands,   RegisterShowCommands,   RegisterConsoleCommands, RegisterVersionCommands,
    RegisterInitCommands,
};
// Where the process was when Run started; Run enters -C (as Terraform's
// -chdir) and goes back on return, so an in-process caller keeps its own.
class WorkingDirectoryGuard {
 public:
  WorkingDirectoryGuard() : before_(std::filesystem::current_path(ec_)) {}
  ~WorkingDirectoryGuard() {
    std::error_code ec;
    if (!ec_) std::filesystem::current_path(before_, ec);
  }
  WorkingDirectoryGuard(const WorkingDirectoryGuard&) = delete;
  WorkingDirectoryGuard& operator=(const WorkingDirectoryGuard&) = delete;

 private:
  std::error_code ec_;
  std::filesystem::path before_;
};

// Makes -C absolute and enters its directory (a stack file's folder when
// it names a file), so relative paths inside the stack (path.module, a
// Lambda's zip, archive_file's output) mean the same on every machine.
void EnterDirectory(GlobalOptions& g) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path given = g.directory.empty() ? fs::path(".") : fs::path(g.directory);
  fs::path absolute = fs::absolute(given, ec).lexically_normal();
  if (ec) throw CLI::ValidationError("--directory", g.directory + ": " + ec.message());
  std::string text = absolute.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  fs::path dir = fs::is_regular_file(absolute, ec) ? absolute.parent_path() : fs::path(text);
  if (!fs::is_directory(dir, ec)) return;  // the command reports the missing stack with its own words
  fs::current_path(dir, ec);
  if (ec) throw CLI::ValidationError("--directory", "cannot enter " + dir.string() + ": " + ec.message());
  g.directory = text;
}

}  // namespace

int Run(int argc, char** argv) {
  WorkingDirectoryGuard cwd;
  log::InitFromEnvironment();
  CLI::App app{"infra: infrastructure as code for AWS"};
  app.require_subcommand(1);
  app.fallthrough();  // inherited by every command: global flags anywhere on the line
  GlobalOptions globals;
  int exit_code = 0;
  app.add_option("-C,--directory", globals.directory, "Run as if started in DIR");
  app.add_option("--log-level", globals.log_level, "error, warn, info or debug (or INFRA_LOG)");
  app.add_flag("--no-color", globals.no_color, "Never colour output");
  app.add_option("--input", globals.input, "false: never prompt (apply/destroy then need --auto-approve); infra "
                                           "never prompts for variables")
      ->check(CLI::IsMember({"true", "false"}));
  app.add_option("--backend-config", globals.backend_config,
                 "KEY=VALUE overriding the stack's backend (bucket, key, region, dynamodb_table, kms_key_id, type)");
  app.set_version_flag("--version", VersionText());
  app.parse_complete_callback([&] {
    if (!globals.log_level.empty() && !log::SetLevel(globals.log_level))
      throw CLI::ValidationError("--log-level", "must be error, warn, info or debug");
    EnterDirectory(globals);
  });
  for (Registrar r : kRegistrars) r(app, globals, &exit_code);
  std::vector<std::string> args = NormalizeTerraformFlags(app, std::vector<std::string>(argv, argv + argc));
  if (auto unknown = UnknownCommand(app, args)) {
    std::cerr << "Error: " << *unknown << "\n";
    return 1;
  }
  std::vector<char*> argv2;
  for (auto& a : args) argv2.push_back(a.data());
  try {
    app.parse(static_cast<int>(argv2.size()), argv2.data());
  } catch (const CLI::ParseError& e) {
    // CLI11's own codes (105, 106, 109...) mean "usage error": Terraform's is 1.
    return app.exit(e) == 0 ? 0 : 1;
  } catch (const std::exception& e) {  // nothing should throw this far: say so, never abort
    std::cerr << "Error: " << e.what() << " [this is a bug]\n";
    return 1;
  }
  return exit_code;
}

std::string InDirectory(const GlobalOptions& g, const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty() || fs::path(path).is_absolute()) return path;
  std::error_code ec;
  fs::path base(g.directory);
  if (fs::is_regular_file(base, ec)) base = base.parent_path();
  if (base.empty()) base = ".";
  return (base / path).lexically_normal().string();
}

}  // namespace infra::cli
