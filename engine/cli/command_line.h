// argv as Terraform users type it: every long option with one dash or two,
// with `=` or a separate value (`-var-file=prod.yaml`, `-auto-approve`), and
// an unknown command answered with "did you mean ...?" before CLI11 sees it.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace infra::cli {

/// Rewrites each single-dash spelling of a long option that `app` or any of
/// its subcommands declares (`-var`, `-no-color`, `-lock=false`) to the
/// two-dash one CLI11 parses; one-letter flags (-C, -h), values and
/// everything after "--" stay as written. argv[0] is kept.
std::vector<std::string> NormalizeTerraformFlags(const CLI::App& app, const std::vector<std::string>& args);

/// When the first word after the global options of `args` (already
/// normalized) names no subcommand of `app`: the message "unknown command
/// 'x'; did you mean 'y'?" (the suggestion only when one is close), else
/// nullopt. No command at all is left to CLI11 (it lists the commands).
std::optional<std::string> UnknownCommand(const CLI::App& app, const std::vector<std::string>& args);

}  // namespace infra::cli
