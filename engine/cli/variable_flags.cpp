// -var / -var-file flags (their one-dash spelling: engine/cli/command_line.h).
#include "engine/cli/variable_flags.h"

#include <CLI/CLI.hpp>

#include <ostream>

#include "engine/cli/cli.h"
#include "engine/lang/stack.h"

namespace infra::cli {

void AddVariableFlags(CLI::App* cmd, engine::VariableInputs* inputs) {
  cmd->add_option_function<std::vector<std::string>>(
         "--var",
         [inputs](const std::vector<std::string>& items) {
           for (const auto& item : items) {
             size_t eq = item.find('=');
             if (eq == std::string::npos || eq == 0)
               throw CLI::ValidationError("-var", "expected name=value, got '" + item + "'");
             inputs->AddVar(item.substr(0, eq), item.substr(eq + 1));
           }
         },
         "Set a variable: -var name=value (repeatable; with -var-file, a later one wins)")
      ->allow_extra_args(false)
      ->trigger_on_parse()
      ->take_all();
  cmd->add_option_function<std::vector<std::string>>(
         "--var-file",
         [inputs](const std::vector<std::string>& files) {
           for (const auto& f : files) inputs->AddFile(f);
         },
         "Read variables from a YAML file (repeatable; with -var, a later one wins)")
      ->allow_extra_args(false)
      ->trigger_on_parse()
      ->take_all();
}

void ResolveVarFiles(const GlobalOptions& g, engine::VariableInputs* inputs) {
  for (auto& arg : inputs->args)
    if (arg.is_file) arg.name = InDirectory(g, arg.name);
}

void AddLockFlag(CLI::App* cmd, bool* lock) {
  cmd->add_option_function<std::string>(
         "--lock", [lock](const std::string& v) { *lock = v == "true"; },
         "Take the state lock (default true); -lock=false runs unlocked, at your own risk")
      ->check(CLI::IsMember({"true", "false"}));
}

void WarnTargeting(std::ostream& out) {
  out << "Warning: resource targeting is in effect\n\n"
         "  The plan covers only the --target resources and what they depend on, so it may not show every\n"
         "  change the stack needs. Use --target for exceptional situations (recovering from a mistake,\n"
         "  working around a limit), not routinely; run a plan without it afterwards.\n\n";
}

}  // namespace infra::cli
