// `infra console`: evaluates one expression per stdin line against the
// stack's variables, locals and the resources in state (optionally as one
// resource instance: --instance), printing each value as the
// plan shows values (secrets as (sensitive value)). Read-only: no lock, no
// network, no decryption (state secrets stay redacted). Exit 1 if any line
// failed.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "engine/cli/cli.h"
#include "engine/cli/data_reader.h"
#include "engine/cli/stack_checks.h"
#include "engine/cli/remote_state.h"
#include "engine/cli/state_path.h"
#include "engine/cli/variable_flags.h"
#include "engine/lang/diag.h"
#include "engine/lang/expr.h"
#include "engine/lang/nearest_name.h"
#include "engine/lang/stack.h"
#include "engine/cli/providers.h"
#include "providers/provider.h"
#include "state/store.h"

namespace infra::cli {
namespace {

struct ConsoleArgs {
  engine::VariableInputs vars;
  std::string state_path;
  std::string instance;  // --instance: evaluate as this resource instance
};

Error RefError(std::string message) {
  return MakeError(Error::Kind::kInvalid, "ExprReference", std::move(message));
}

// `[0]`, `["a"]` as addresses spell an index.
std::string IndexText(const engine::Value& key) {
  if (key.kind() == engine::ValueKind::kString) return "[\"" + key.AsString() + "\"]";
  return "[" + key.ToInterpolated() + "]";
}

// Names: var.<name>; a state address (aws_vpc.main, module.net.aws_subnet.a["x"])
// or a stack-local resource name (main.id, as in the stack's ${...}); and,
// as in the stack itself, local.*, path.*, region, module.<call>.<output>, a
// whole counted/for_each resource (sub, aws_subnet.sub: a list or map of its
// instances in state) and, with --instance ADDRESS, that instance's
// count.index / each.key / each.value / region.
class ConsoleScope : public engine::EvalScope {
 public:
  ConsoleScope(const engine::Stack& stack, std::map<std::string, engine::Value> resources, std::string instance)
      : stack_(stack), resources_(std::move(resources)), instance_(std::move(instance)) {}

  // The stack's own scope over the state values; error: no such instance.
  Status Init() {
    auto scope = stack_.ExpressionScope(
        [this](const std::string& address) -> std::optional<engine::Value> {
          auto it = resources_.find(address);
          if (it == resources_.end()) return std::nullopt;
          return it->second;
        },
        instance_);
    if (!scope.ok()) return scope.error();
    in_stack_ = std::move(*scope);
    return {};
  }

  Result<engine::Resolved> Lookup(const engine::Traversal& ref) const override {
    if (ref.root == "var") return LookupVar(ref);
    if (ref.root == "count" || ref.root == "each") return LookupRepeat(ref);
    if (ref.root == "local" || ref.root == "path" || ref.root == "region") return in_stack_->Lookup(ref);
    if (auto found = LookupAddress(ref)) return *found;
    if (ref.root == "data") return in_stack_->Lookup(ref);  // data.NAME as the stack spells it
    // A root resource by name or by type.name, as a whole (all its instances).
    for (const auto& r : stack_.resources()) {
      if (!r.module_path.empty()) continue;
      bool by_name = r.name == ref.root;
      bool by_type = r.type == ref.root && !ref.steps.empty() &&
                     ref.steps[0].kind == engine::TraversalStep::Kind::kAttr && ref.steps[0].name == r.name;
      if (!by_name && !by_type) continue;
      if (!InState(r.type + "." + r.name))
        return RefError(fmt::format("{} is declared in the stack but not in state (not applied yet?)", r.address));
      engine::Traversal named = ref;
      if (by_type) {
        named.root = r.name;
        named.steps.erase(named.steps.begin());
      }
      auto got = in_stack_->Lookup(named);
      if (!got.ok()) return got;
      if (got->value.is_unknown())  // an instance state does not hold
        return RefError(fmt::format("{} is declared in the stack but not in state (not applied yet?)",
                                    r.type + "." + r.name + "[...]"));
      if (by_type) ++got->steps_used;
      return got;
    }
    if (ref.root == "module") return in_stack_->Lookup(ref);  // a module output
    for (const auto& r : stack_.resources())
      if (r.name == ref.root || r.type == ref.root)
        return RefError(fmt::format("{} is declared in the stack but not in state (not applied yet?)", r.address));
    return RefError(fmt::format("unknown name '{}': use var.<name>, local.<name> or a resource address in state",
                                ref.root));
  }
  std::string FileRoot() const override { return in_stack_->FileRoot(); }

 private:
  // The longest traversal prefix that spells an address in state.
  std::optional<engine::Resolved> LookupAddress(const engine::Traversal& ref) const {
    std::vector<std::string> prefixes = {ref.root};
    for (const auto& r : stack_.resources())
      if (r.name == ref.root && r.module_path.empty()) prefixes.push_back(r.type + "." + ref.root);
    for (const std::string& start : std::set<std::string>(prefixes.begin(), prefixes.end())) {
      std::string address = start;
      std::optional<engine::Resolved> found;
      if (auto it = resources_.find(address); it != resources_.end()) found = engine::Resolved{it->second, 0};
      for (size_t i = 0; i < ref.steps.size(); ++i) {
        const auto& s = ref.steps[i];
        address += s.kind == engine::TraversalStep::Kind::kAttr ? "." + s.name : IndexText(s.key);
        if (auto it = resources_.find(address); it != resources_.end()) found = engine::Resolved{it->second, i + 1};
      }
      if (found) return found;
    }
    return std::nullopt;
  }

  // Whether any instance of root resource `base` (aws_subnet.sub) is in state.
  bool InState(const std::string& base) const {
    return std::any_of(resources_.begin(), resources_.end(), [&](const auto& kv) {
      return kv.first.rfind(base, 0) == 0 && (kv.first.size() == base.size() || kv.first[base.size()] == '[');
    });
  }

  Result<engine::Resolved> LookupRepeat(const engine::Traversal& ref) const {
    auto got = in_stack_->Lookup(ref);
    if (got.ok() || !instance_.empty()) return got;
    return RefError(got.error().message +
                    "; the console evaluates as a root output: pass --instance ADDRESS (e.g. "
                    "--instance 'aws_subnet.a[0]') to evaluate as that instance");
  }

  Result<engine::Resolved> LookupVar(const engine::Traversal& ref) const {
    if (ref.steps.empty() || ref.steps[0].kind != engine::TraversalStep::Kind::kAttr)
      return RefError("a variable is referenced as var.<name>");
    const auto& vars = stack_.variables();
    auto it = vars.find(ref.steps[0].name);
    if (it != vars.end()) return engine::Resolved{it->second, 1};
    std::vector<std::string> names;
    for (const auto& [n, v] : vars) names.push_back(n);
    std::string near = engine::NearestName(ref.steps[0].name, names);
    return RefError(fmt::format("undefined variable '{}'{}", ref.steps[0].name,
                                near.empty() ? "" : fmt::format("; did you mean '{}'?", near)));
  }

  const engine::Stack& stack_;
  std::map<std::string, engine::Value> resources_;
  std::string instance_;
  std::unique_ptr<engine::EvalScope> in_stack_;
};

// State resources as values, secrets marked (they arrive redacted).
Result<std::map<std::string, engine::Value>> StateValues(const GlobalOptions& g, const ConsoleArgs& a) {
  std::map<std::string, engine::Value> out;
  auto where = LocateState(g, a.state_path);  // remote: the current snapshot
  if (!where) return where.error();
  auto opened = ReadOnlyState::Open(*where);
  if (!opened && opened.error().code == "StateNotFound") return out;
  if (!opened) return opened.error();
  auto records = (*opened)->store().LoadResourcesRedacted();
  if (!records) return records.error();
  for (const auto& r : *records) {
    if (!r.deposed.empty()) continue;  // an old object awaiting delete is not the resource
    engine::Value::Map attrs;
    for (auto& [k, v] : r.attributes.items()) {
      engine::Value value = engine::Value::FromJson(v);
      bool secret = std::find(r.sensitive_attributes.begin(), r.sensitive_attributes.end(), k) !=
                    r.sensitive_attributes.end();
      attrs[k] = secret ? value.WithSensitive() : value;
    }
    out[r.address] = engine::Value::MakeMap(std::move(attrs));
  }
  return out;
}

std::string Show(const engine::Value& v) { return v.sensitive() ? "(sensitive value)" : v.ToDisplay(); }

int RunConsole(const GlobalOptions& g, const ConsoleArgs& a) {
  auto provider = engine::NewProviders({});
  engine::Diagnostics diags;
  engine::VariableInputs vars = a.vars;
  ResolveVarFiles(g, &vars);
  engine::LoadMode mode;
  mode.read_data = ProviderDataReader(*provider);  // for_each/count over a data source, as plan reads it
  auto stack = engine::LoadStack(g.directory, vars, *provider, diags, mode);
  if (stack.ok()) CheckStack(*stack, diags);
  std::cerr << diags.RenderAll();
  if (!stack.ok() || diags.has_errors()) {
    std::cerr << "Error: the stack is not valid; the console needs a valid stack.\n";
    return 1;
  }
  auto values = StateValues(g, a);
  if (!values.ok()) {
    std::cerr << "Error: " << values.error().ToString() << "\n";
    return 1;
  }
  ConsoleScope scope(*stack, std::move(*values), a.instance);
  if (Status st = scope.Init(); !st.ok()) {
    std::cerr << "Error: --instance " << a.instance << ": " << st.error().message << "\n";
    return 1;
  }
  int rc = 0;
  std::string line;
  for (int n = 1; std::getline(std::cin, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (line == "exit") break;
    auto expr = engine::ParseExpression(line, engine::SourceLoc{"<console>", n, 1});
    Result<engine::Value> v = expr.ok() ? engine::Evaluate(**expr, scope) : Result<engine::Value>(expr.error());
    if (v.ok()) {
      std::cout << Show(*v) << "\n" << std::flush;
    } else {
      std::cerr << "Error: " << v.error().message << "\n";
      rc = 1;
    }
  }
  return rc;
}

}  // namespace

void RegisterConsoleCommands(CLI::App& app, GlobalOptions& globals, int* exit_code) {
  auto a = std::make_shared<ConsoleArgs>();
  auto* console = app.add_subcommand("console", "Evaluate expressions (one per stdin line) against the state");
  AddVariableFlags(console, &a->vars);
  console->add_option("--state", a->state_path, "State database (default: <stack dir>/.infra/<stack>.db)");
  console->add_option("--instance", a->instance,
                      "Evaluate as this resource instance (its count.index, each.key, each.value, region)");
  console->callback([&globals, a, exit_code] { *exit_code = RunConsole(globals, *a); });
}

}  // namespace infra::cli
