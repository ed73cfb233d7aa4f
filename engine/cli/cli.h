// The `infra` command line: global flags and one registration function per
// command family (engine/cli/cmd_*.cpp). Returns the process exit code.
#pragma once
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace infra::cli {

/// Flags every command sees, anywhere on the line (before or after the
/// command word).
struct GlobalOptions {
  std::string directory = ".";  // -C DIR
  std::string log_level;        // --log-level
  bool no_color = false;        // --no-color
  std::string input = "true";   // -input=false: never prompt (no approval question: --auto-approve or refuse)
  std::vector<std::string> backend_config;  // -backend-config KEY=VALUE (engine/cli/backend_config.h)
};

/// Each command family adds its subcommands to `app`. A callback stores the
/// command's exit code in `*exit_code`; nothing below the CLI exits.
using Registrar = void (*)(CLI::App& app, GlobalOptions& globals, int* exit_code);

void RegisterValidateCommands(CLI::App& app, GlobalOptions& globals, int* exit_code);
void RegisterWhoamiCommands(CLI::App& app, GlobalOptions& globals, int* exit_code);

void RegisterPlanCommands(CLI::App& app, GlobalOptions& globals, int* exit_code);
void RegisterStateCommands(CLI::App& app, GlobalOptions& globals, int* exit_code);
void RegisterOutputCommands(CLI::App& app, GlobalOptions& globals, int* exit_code);
void RegisterVersionCommands(CLI::App& app, GlobalOptions& globals, int* exit_code);
void RegisterShowCommands(CLI::App& app, GlobalOptions& globals, int* exit_code);
void RegisterConsoleCommands(CLI::App& app, GlobalOptions& globals, int* exit_code);
void RegisterInitCommands(CLI::App& app, GlobalOptions& globals, int* exit_code);

/// `path` as the command sees it: relative paths (--state, -out, plan files,
/// -var-file) are relative to the -C directory (its folder when -C names a
/// stack file), like Terraform's -chdir. Absolute and empty paths are kept.
std::string InDirectory(const GlobalOptions& g, const std::string& path);

/// "infra v0.1.0\non linux_amd64" (`infra version`, `infra --version`).
std::string VersionText();

/// Parses argv and runs the chosen command; returns its exit code: 0 ok,
/// 1 any error (parse errors and unknown commands included), 2 only for
/// `plan --detailed-exitcode` with changes.
int Run(int argc, char** argv);

}  // namespace infra::cli
