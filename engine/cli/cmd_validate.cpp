// `infra validate [DIR|FILE]` and `infra graph [DIR] [--format dot|json]`:
// parse, expand and validate a stack (plus the cycle check) with no network
// and no state; graph prints the DAG. Diagnostics go to stderr.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "providers/aws/aws_provider.h"
#include "engine/cli/cli.h"
#include "engine/cli/variable_flags.h"
#include "engine/lang/diag.h"
#include "engine/graph/graph.h"
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

/// Loads and checks the stack; prints diagnostics; nullopt on any error.
std::optional<engine::Stack> LoadChecked(const GlobalOptions& g, const StackArgs& args) {
  auto provider = aws::NewAwsProvider({});
  engine::Diagnostics diags;
  engine::LoadMode mode;
  mode.unset_as_unknown = true;  // validate/graph need no variable values (as Terraform's validate)
  auto stack = engine::LoadStack(ResolvePath(g, args.path), args.vars, *provider, diags, mode);
  if (stack.ok()) {
    engine::Graph graph(*stack);
    engine::CheckAcyclic(graph, diags);
  }
  std::cerr << diags.RenderAll();
  if (!stack.ok() || diags.has_errors()) {
    size_t n = diags.error_count();
    std::cerr << "Error: the stack is not valid (" << n << " error" << (n == 1 ? "" : "s") << ").\n";
    return std::nullopt;
  }
  return std::move(stack).value();
}

}  // namespace

void RegisterValidateCommands(CLI::App& app, GlobalOptions& globals, int* exit_code) {
  auto args = std::make_shared<StackArgs>();
  auto* validate = app.add_subcommand("validate", "Parse, expand and validate a stack (no network, no state)");
  validate->add_option("path", args->path, "Stack directory or file (default: the -C directory)");
  AddVariableFlags(validate, &args->vars);
  validate->callback([&globals, args, exit_code] {
    auto stack = LoadChecked(globals, *args);
    if (!stack) {
      *exit_code = 1;
      return;
    }
    std::cout << "Success! The stack is valid. " << stack->resources().size() << " resources in "
              << stack->regions().size() << (stack->regions().size() == 1 ? " region.\n" : " regions.\n");
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
