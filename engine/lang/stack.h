// The stack model: what LoadStack makes of a stack directory (stack.yaml +
// modules) after parsing, variable resolution, module/for_each/count
// expansion and validation against the provider's schemas. Immutable once
// loaded; the planner evaluates instance attributes through it as resource
// values become known. Parser: stack_parser.cpp; expansion: stack_expander.cpp.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "engine/lang/source_loc.h"
#include "engine/lang/value.h"

namespace infra::provider {
class Provider;
}

namespace infra::engine {

class EvalScope;

class Diagnostics;
struct StackData;
struct VariableInputs;
struct LoadMode;

/// `lifecycle:` of a resource, carried to the plan.
struct Lifecycle {
  bool prevent_destroy = false;
  bool create_before_destroy = false;
  std::vector<std::string> ignore_changes;  // attribute names
};

/// `timeouts:` of a resource (`{create: 30m, update: 30m, delete: 30m}`):
/// how long each operation may wait for the object to settle. Zero: the
/// type's default (provider::ResourceSchema).
struct OperationTimeouts {
  std::chrono::seconds create{0}, update{0}, destroy{0};
};

/// A data edge: the instance uses `address`.`attribute` (resolved through
/// var/module indirection). `attribute` is "" when the whole resource is
/// used. `loc` is the reference's position in the file that wrote it.
struct Reference {
  std::string address;
  std::string attribute;
  SourceLoc loc;
};

/// One resource instance after expansion.
struct ResourceInstance {
  std::string address;       // module.net_primary.aws_subnet.public["a"]; count: aws_x.name[0]
  std::string type;          // aws_subnet
  std::string name;          // local name "public"
  std::string module_path;   // "module.net_primary" (nested: module.a.module.b["k"]) or ""
  bool data = false;         // a data source (`data:`): address module....data.TYPE.NAME
  std::string region_alias;  // "primary"
  std::string region;        // "eu-central-1"
  SourceLoc loc;             // the resource's key in its file
  std::vector<Reference> references;   // every ${} reference to another resource, deduplicated by (address, attribute)
  std::vector<std::string> depends_on; // explicit depends_on, as instance addresses
  std::vector<SourceLoc> depends_on_locs;  // parallel to depends_on: the list entry that made each
  Lifecycle lifecycle;
  OperationTimeouts timeouts;
};

/// True if `address` names a data source instance: "data.TYPE.NAME" or
/// "module.m.data.TYPE.NAME" (with keys). Data sources are read, never
/// created or destroyed; state keeps their last result.
bool IsDataAddress(std::string_view address);

/// `regions:` entry: alias -> AWS region name.
struct RegionDecl {
  std::string alias;
  std::string name;
  SourceLoc loc;  // the region name in the stack file
};

/// `moved: [{from, to}]` (an address or an address prefix: a module, a
/// whole counted resource) and `removed: [{from}]` of the root stack.
struct MoveDecl {
  std::string from, to;
  SourceLoc loc;
};
struct RemovedDecl {
  std::string from;
  SourceLoc loc;
};
/// `import: [{to, id}]` of the root stack: adopt the existing object `id`
/// as `to` (a declared resource instance). `id` is evaluated when the
/// stack loads (variables and locals only).
struct ImportDecl {
  std::string to, id;
  SourceLoc loc;
};

/// A root output.
struct OutputDecl {
  std::string name;
  bool sensitive = false;
  std::string description;
  SourceLoc loc;
};

/// The outcome of one `checks:` entry against some values.
struct CheckResult {
  enum class Status { kPassed, kFailed, kUnknown };
  std::string name;  // "dr_ready", in a module "module.app.dr_ready"
  SourceLoc loc;
  Status status = Status::kPassed;
  /// The error_message of each failed assertion (or why it could not be
  /// evaluated); "(sensitive value)" for a message derived from a secret.
  std::vector<std::string> failures;
};

/// Values known so far for resources: address -> map Value of attributes.
/// nullopt = nothing known yet (every attribute unknown). An attribute
/// absent from a known map reads as null.
using ResourceValues = std::function<std::optional<Value>(const std::string& address)>;

/// ResourceValues for "nothing is known yet" (validation, a first plan).
ResourceValues NoResourceValues();

/// The expanded stack. Cheap to copy (shared immutable data).
class Stack {
 public:
  const std::string& name() const;
  /// Declared order = rollout order. Never empty for a loaded stack.
  const std::vector<RegionDecl>& regions() const;
  /// `rollout:` of stack.yaml: "waves", "parallel", or "" when not set.
  const std::string& rollout() const;
  /// Deterministic order: file order, modules expanded where they are
  /// declared (root resources first, then modules in declaration order),
  /// for_each keys sorted, count ascending.
  const std::vector<ResourceInstance>& resources() const;
  /// nullptr if there is no such instance.
  const ResourceInstance* Find(std::string_view address) const;
  /// Position of `address` in resources(), or nullopt.
  std::optional<size_t> IndexOf(std::string_view address) const;
  const std::vector<OutputDecl>& outputs() const;
  /// `moved:` and `removed:` of stack.yaml, in file order.
  const std::vector<MoveDecl>& moved() const;
  const std::vector<RemovedDecl>& removed() const;
  /// `import:` of stack.yaml, in file order, ids evaluated.
  const std::vector<ImportDecl>& imports() const;
  /// The stack.yaml this was loaded from.
  const std::string& file() const;
  /// Every file the stack was read from (stack.yaml and module files), as
  /// loaded, sorted: what a saved plan's digest of the stack covers.
  std::vector<std::string> SourceFiles() const;

  /// The `lifecycle` preconditions (post = false) or postconditions (post
  /// = true; `self` is the object's values) of `instance` that fail, each
  /// "file:line:col: address: precondition failed: message". A condition
  /// whose value is not known yet is skipped; one that cannot be evaluated
  /// or is not a bool fails.
  std::vector<std::string> FailedConditions(const ResourceInstance& instance, bool post, const ResourceValues& values,
                                            const Value* self = nullptr) const;
  /// True if `instance` declares postconditions.
  bool HasPostconditions(const ResourceInstance& instance) const;

  /// Evaluates the attributes the user set on `instance` (a member of
  /// resources()), name -> Value. Values that depend on unknown resource
  /// attributes are unknown. Schema defaults are NOT applied here, and
  /// attributes that evaluate to null are left out (null = not set, as in
  /// Terraform): the planner adds defaults from the schema. Sensitive
  /// variables and schema-sensitive attributes come back marked sensitive.
  /// Errors (kInvalid, code "StackEval") read "file:line:col: address: message".
  Result<Value::Map> EvaluateAttributes(const ResourceInstance& instance, const ResourceValues& values) const;
  /// Evaluates every root output, name -> Value (marked sensitive when the
  /// output is declared sensitive or derives from a sensitive value).
  Result<Value::Map> EvaluateOutputs(const ResourceValues& values) const;

  /// Evaluates every `checks:` entry of the stack and its module instances,
  /// in declaration order. An assertion whose condition is not known yet
  /// makes its check kUnknown (unless another one failed).
  std::vector<CheckResult> EvaluateChecks(const ResourceValues& values) const;

  /// A scope for expressions a user types (infra console): names resolve
  /// as in the module of `instance` (an address of resources()) with its
  /// count.index / each.key / each.value / region, or, when `instance` is
  /// empty, as in a root output (count and each are errors there; region
  /// is the first region's name). Resources read through `values`: a whole
  /// counted/for_each resource is the list/map of its instances. The scope
  /// keeps `values` and this stack's data alive. Error: no such instance.
  Result<std::unique_ptr<EvalScope>> ExpressionScope(ResourceValues values, std::string_view instance = {}) const;

  /// Root variable values after precedence (defaults < -var-file < env < -var).
  const std::map<std::string, Value>& variables() const;
  /// The string forms of every sensitive variable value (non-empty ones),
  /// for redaction of logs and encryption of state.
  std::vector<std::string> SensitiveStrings() const;

 private:
  friend Result<Stack> LoadStack(const std::string&, const VariableInputs&, const provider::Provider&,
                                 Diagnostics&, const LoadMode&);
  std::shared_ptr<const StackData> data_;
};

/// One -var or -var-file argument, kept in command-line order.
struct VariableArg {
  bool is_file = false;  // -var-file PATH (a YAML map) instead of -var NAME=VALUE
  std::string name;      // -var: the variable; -var-file: the path
  std::string value;     // -var: the text after '='
};

/// Where root variable values come from, besides defaults. Precedence,
/// lowest first: default < INFRA_VAR_<name> < the stack directory's
/// infra.vars.yaml (kDefaultVarFile) < -var and -var-file in the order
/// given (a later one wins, as in Terraform).
struct VariableInputs {
  std::vector<VariableArg> args;  // -var / -var-file, in command-line order
  bool read_environment = true;   // INFRA_VAR_<name>
  /// Set by `apply PLANFILE`: the values the plan was made with. When set
  /// they are the only source (defaults, files, env and -var are ignored).
  std::optional<std::map<std::string, Value>> saved{};

  void AddVar(std::string name, std::string value) { args.push_back({false, std::move(name), std::move(value)}); }
  void AddFile(std::string path) { args.push_back({true, std::move(path), {}}); }
  bool Has(bool file) const {
    for (const auto& a : args)
      if (a.is_file == file) return true;
    return false;
  }
};

/// A data source instance read while the stack is expanded, because a
/// for_each or count uses its result (Terraform reads data sources during
/// the plan, before it expands what depends on them).
struct DataRead {
  std::string address;  // "data.aws_availability_zones.azs"
  std::string type;
  std::string region;
  Value::Map args;  // the user-set arguments, wholly known
};
/// Reads one data source; its result's attributes, or the read's error.
using DataReader = std::function<Result<Value::Map>(const DataRead&)>;

/// How much LoadStack requires.
struct LoadMode {
  /// `infra validate` / `infra graph`: a variable with no value is unknown
  /// (checked as "any value of its type") instead of an error, and
  /// for_each/count over unknown values expand to nothing instead of failing.
  bool unset_as_unknown = false;
  /// Set by commands that may call AWS (plan, apply, console): a for_each or
  /// count may then use a data source whose arguments are known at load.
  /// Unset (validate, graph, tests): data sources read as unknown there.
  DataReader read_data = nullptr;
};

/// The variable file a stack directory's LoadStack reads by itself.
inline constexpr const char* kDefaultVarFile = "infra.vars.yaml";

/// Loads `dir_or_file` (a directory containing stack.yaml, or a YAML file),
/// follows module sources, resolves variables, expands modules, for_each
/// and count, and validates every instance against `schemas`. Every problem
/// found goes to `diags` (all of them, not just the first); on any error the
/// result is an Error (kInvalid, code "StackInvalid") whose message counts
/// them. Dependency cycles are NOT checked here: build a Graph (graph.h).
/// No network, no state.
Result<Stack> LoadStack(const std::string& dir_or_file, const VariableInputs& inputs,
                        const provider::Provider& schemas, Diagnostics& diags);
/// The same with a LoadMode (validate/graph: unset variables are unknown).
Result<Stack> LoadStack(const std::string& dir_or_file, const VariableInputs& inputs,
                        const provider::Provider& schemas, Diagnostics& diags, const LoadMode& mode);

}  // namespace infra::engine
