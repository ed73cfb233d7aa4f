// `infra validate [DIR|FILE] [-json]` and `infra graph [DIR] [--format
// dot|json]`: parse, expand and validate a stack (plus the cycle and region
// checks) with no network and no state; graph prints the DAG. Diagnostics
// go to stderr, or into validate's JSON (Terraform's `validate -json` shape).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/providers.h"
#include "engine/cli/cli.h"
#include "engine/cli/stack_checks.h"
#include "engine/cli/variable_flags.h"
#include "engine/lang/diag.h"
#include "engine/graph/graph.h"
#include <fmt/format.h>
#include "engine/lang/stack.h"
#include "providers/provider.h"

namespace infra::cli {
namespace {

struct StackArgs {
  std::string path;  // positional; relative to -C
  engine::VariableInputs vars;
};

std::string ResolvePath(const GlobalOptions& g, const std::string& path) {
  if (path.empty()) return g.directory;
  if (std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(g.directory) / path).lexically_normal().string();
}

std::string Plural(size_t n, const char* noun) { return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s"); }

/// Loads and checks the stack into `diags`; nullopt on any error.
std::optional<engine::Stack> Load(const GlobalOptions& g, const StackArgs& args, engine::Diagnostics& diags) {
  auto provider = engine::NewProviders({});
  engine::LoadMode mode;
  mode.unset_as_unknown = true;  // validate/graph need no variable values (as Terraform's validate)
  engine::VariableInputs vars = args.vars;
  ResolveVarFiles(g, &vars);
  auto stack = engine::LoadStack(ResolvePath(g, args.path), vars, *provider, diags, mode);
  if (stack.ok()) CheckStack(*stack, diags);
  if (!stack.ok() || diags.has_errors()) return std::nullopt;
  return std::move(stack).value();
}

/// Loads and checks the stack; prints diagnostics; nullopt on any error.
std::optional<engine::Stack> LoadChecked(const GlobalOptions& g, const StackArgs& args) {
  engine::Diagnostics diags;
  auto stack = Load(g, args, diags);
  std::cerr << diags.RenderAll();
  if (!stack) std::cerr << "Error: the stack is not valid (" << Plural(diags.error_count(), "error") << ").\n";
  return stack;
}

// Terraform's `validate -json` document: valid, counts, diagnostics with ranges.
nlohmann::json ValidateJson(const engine::Diagnostics& diags, bool valid) {
  nlohmann::json items = nlohmann::json::array();
  size_t warnings = 0;
  for (const auto& d : diags.items()) {
    bool error = d.severity == engine::Severity::kError;
    warnings += error ? 0 : 1;
    nlohmann::json j = {{"severity", error ? "error" : "warning"}, {"summary", d.summary}, {"detail", d.detail}};
    if (!d.address.empty()) j["address"] = d.address;
    if (!d.loc.file.empty()) {
      j["range"] = {{"filename", d.loc.file}, {"start", {{"line", d.loc.line}, {"column", d.loc.column}}}};
    }
    items.push_back(std::move(j));
  }
  return {{"format_version", "1.0"},       {"valid", valid},          {"error_count", diags.error_count()},
          {"warning_count", warnings}, {"diagnostics", items}};
}

}  // namespace

void RegisterValidateCommands(CLI::App& app, GlobalOptions& globals, int* exit_code) {
  auto args = std::make_shared<StackArgs>();
  auto json = std::make_shared<bool>(false);
  auto* validate = app.add_subcommand("validate", "Parse, expand and validate a stack (no network, no state)");
  validate->add_option("path", args->path, "Stack directory or file (default: the -C directory)");
  validate->add_flag("--json", *json, "Print the result and every diagnostic as JSON on stdout");
  AddVariableFlags(validate, &args->vars);
  validate->callback([&globals, args, json, exit_code] {
    if (*json) {
      engine::Diagnostics diags;
      auto stack = Load(globals, *args, diags);
      std::cout << ValidateJson(diags, stack.has_value()).dump(2) << "\n";
      *exit_code = stack ? 0 : 1;
      return;
    }
    auto stack = LoadChecked(globals, *args);
    if (!stack) {
      *exit_code = 1;
      return;
    }
    std::cout << "Success! The stack is valid. " << Plural(stack->resources().size(), "resource") << " in "
              << Plural(stack->regions().size(), "region") << ".\n";
    *exit_code = 0;
  });

  auto gargs = std::make_shared<StackArgs>();
  auto format = std::make_shared<std::string>("dot");
  auto* graph = app.add_subcommand("graph", "Print the resource graph (Graphviz DOT, or JSON)");
  graph->add_option("path", gargs->path, "Stack directory or file (default: the -C directory)");
  graph->add_option("--format", *format, "dot (default) or json")->check(CLI::IsMember({"dot", "json"}));
  AddVariableFlags(graph, &gargs->vars);
  graph->callback([&globals, gargs, format, exit_code] {
    auto stack = LoadChecked(globals, *gargs);
    if (!stack) {
      *exit_code = 1;
      return;
    }
    engine::Graph g(*stack);
    std::cout << (*format == "json" ? g.ToJson() : g.ToDot());
    *exit_code = 0;
  });
}

}  // namespace infra::cli
