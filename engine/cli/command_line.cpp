// The option names come from the CLI11 tree itself, so a new flag is
// accepted with one dash as soon as it is declared; no list to keep.
#include "engine/cli/command_line.h"

#include <CLI/CLI.hpp>

#include <set>

#include "engine/lang/nearest_name.h"

namespace infra::cli {
namespace {

void CollectLongNames(const CLI::App& app, std::set<std::string>* names) {
  for (const CLI::Option* opt : app.get_options())
    for (const std::string& n : opt->get_lnames()) names->insert(n);
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    CollectLongNames(*sub, names);
}

// "--name=value" / "-name" -> "name".
std::string OptionName(const std::string& arg) {
  size_t start = arg.find_first_not_of('-');
  if (start == std::string::npos) return "";
  size_t eq = arg.find('=');
  return arg.substr(start, eq == std::string::npos ? std::string::npos : eq - start);
}

}  // namespace

std::vector<std::string> NormalizeTerraformFlags(const CLI::App& app, const std::vector<std::string>& args) {
  std::set<std::string> long_names;
  CollectLongNames(app, &long_names);
  std::vector<std::string> out;
  bool options_end = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a == "--") options_end = true;
    bool single_dash = a.size() > 2 && a[0] == '-' && a[1] != '-';
    if (i > 0 && !options_end && single_dash && long_names.count(OptionName(a))) a = "-" + a;
    out.push_back(std::move(a));
  }
  return out;
}

std::optional<std::string> UnknownCommand(const CLI::App& app, const std::vector<std::string>& args) {
  std::vector<std::string> commands;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    commands.push_back(sub->get_name());
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") return std::nullopt;
    if (a.size() > 1 && a[0] == '-') {
      // A global option that takes a value consumes the next word.
      const CLI::Option* opt = app.get_option_no_throw(a.size() == 2 ? a : "--" + OptionName(a));
      if (opt && opt->get_items_expected_max() > 0 && a.find('=') == std::string::npos) ++i;
      continue;
    }
    for (const auto& c : commands)
      if (c == a) return std::nullopt;
    std::string near = engine::NearestName(a, commands);
    return "unknown command '" + a + "'" + (near.empty() ? "" : "; did you mean '" + near + "'?") +
           " (run `infra --help` for the list)";
  }
  return std::nullopt;
}

}  // namespace infra::cli
