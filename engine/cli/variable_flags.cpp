// -var / -var-file flags and the single-dash spelling Terraform users type.
#include "engine/cli/variable_flags.h"

#include <CLI/CLI.hpp>

#include "engine/lang/stack.h"

namespace infra::cli {
namespace {
// Multi-letter flags users write with one dash, as in Terraform.
const char* const kLongFlags[] = {"var", "var-file", "out", "target", "replace", "refresh", "auto-approve",
                                  "lock-timeout", "json", "format", "parallelism", "destroy", "refresh-only",
                                  "detailed-exitcode", "raw"};
}  // namespace

void AddVariableFlags(CLI::App* cmd, engine::VariableInputs* inputs) {
  cmd->add_option_function<std::vector<std::string>>(
         "--var",
         [inputs](const std::vector<std::string>& items) {
           for (const auto& item : items) {
             size_t eq = item.find('=');
             if (eq == std::string::npos || eq == 0)
               throw CLI::ValidationError("-var", "expected name=value, got '" + item + "'");
             inputs->vars.emplace_back(item.substr(0, eq), item.substr(eq + 1));
           }
         },
         "Set a variable: -var name=value (repeatable; wins over everything else)")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_option_function<std::vector<std::string>>(
         "--var-file",
         [inputs](const std::vector<std::string>& files) {
           inputs->var_files.insert(inputs->var_files.end(), files.begin(), files.end());
         },
         "Read variables from a YAML file (repeatable)")
      ->allow_extra_args(false)
      ->take_all();
}

std::vector<std::string> NormalizeTerraformFlags(int argc, char** argv) {
  std::vector<std::string> out;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (i > 0 && a.size() > 2 && a[0] == '-' && a[1] != '-') {
      std::string name = a.substr(1, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 1);
      for (const char* f : kLongFlags)
        if (name == f) a = "-" + a;
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace infra::cli
