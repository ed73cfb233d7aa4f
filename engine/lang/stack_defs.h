// Internal to the stack loader: the parsed (not yet expanded) form of a
// stack file or module file, and StackData, the expanded stack behind the
// Stack handle. Nothing outside engine/stack*.cpp includes this.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/lang/expr.h"
#include "engine/lang/stack.h"
#include "engine/lang/type_spec.h"
#include "providers/provider.h"

namespace infra::engine {

/// A name with the location where it was written.
struct LocatedName {
  std::string name;
  SourceLoc loc;
};

/// `variables:` (root) or `inputs:` (module) entry.
struct VariableDef {
  std::string name;
  SourceLoc loc;
  TypeSpec type;
  std::optional<Value> default_value;  // nullopt = required
  bool sensitive = false;
  std::string description;
  struct Validation {
    ExprPtr condition;
    std::string error_message;
  };
  std::vector<Validation> validations;
};

/// One attribute / input assignment: `name: <expr>`.
struct AttrDef {
  std::string name;
  SourceLoc loc;  // the key
  ExprPtr expr;
};

/// for_each / count / depends_on / region shared by resources and module calls.
struct Multiplicity {
  ExprPtr for_each;
  ExprPtr count;
  std::vector<LocatedName> depends_on;
  LocatedName region;  // alias; empty = inherit
};

/// One `{condition, error_message}` assertion (checks, lifecycle conditions).
struct AssertDef {
  SourceLoc loc;
  ExprPtr condition;
  ExprPtr error_message;
};

struct ResourceDef {
  std::string name;
  SourceLoc loc;
  bool is_data = false;  // a `data:` entry (a data source), not a resource
  LocatedName type;
  Multiplicity multi;
  Lifecycle lifecycle;
  OperationTimeouts timeouts;
  std::vector<LocatedName> ignore_changes;  // lifecycle.ignore_changes with locations
  std::vector<AttrDef> attrs;
  std::vector<AssertDef> preconditions, postconditions;  // lifecycle; postconditions see `self`
};

struct ModuleFile;

struct ModuleCallDef {
  std::string name;
  SourceLoc loc;
  LocatedName source;   // as written
  std::string path;     // resolved file path
  Multiplicity multi;
  std::vector<AttrDef> inputs;
  const ModuleFile* file = nullptr;  // null if it could not be loaded
};

struct OutputDef {
  std::string name;
  SourceLoc loc;
  ExprPtr value;
  bool sensitive = false;
  std::string description;
};

/// A `checks:` entry: assertions over refreshed and planned values,
/// reported as warnings (never stop a plan or an apply).
struct CheckDef {
  std::string name;
  SourceLoc loc;
  std::vector<AssertDef> asserts;
};

/// An `import:` entry as written: the id is an expression.
struct ImportDef {
  std::string to;  // an address; with for_each its [..] keys may be expressions: aws_subnet.s[each.key]
  ExprPtr id;
  SourceLoc loc;
  ExprPtr for_each;  // null: one entry
};

/// A parsed stack.yaml (is_root) or module file.
struct ModuleFile {
  std::string path;
  bool is_root = false;
  std::string stack_name;             // root only
  std::vector<RegionDecl> regions;    // root only
  std::vector<SourceLoc> region_locs;
  std::string rollout;                // root only: "waves", "parallel" or "" (the default)
  std::vector<AttrDef> default_tags;  // root only: merged into every taggable resource's tags
  std::vector<MoveDecl> moved;        // root only
  std::vector<RemovedDecl> removed;   // root only
  std::vector<ImportDef> imports;     // root only
  std::vector<VariableDef> variables; // root variables / module inputs
  std::vector<AttrDef> locals;        // `locals:` name -> expression, in file order
  std::vector<ResourceDef> resources;
  std::vector<ResourceDef> data;      // `data:` entries
  std::vector<ModuleCallDef> modules;
  std::vector<OutputDef> outputs;
  std::vector<CheckDef> checks;
};

/// A group of instances made from one resource or module call:
/// single (no for_each/count), count (keys 0..n-1), for_each (sorted keys).
struct InstanceSet {
  enum class Mode { kSingle, kCount, kForEach };
  Mode mode = Mode::kSingle;
  std::vector<std::pair<Value, size_t>> members;  // key (number/string) -> instance index
  bool broken = false;  // for_each/count failed (reported); references read unknown
};

/// each.key / each.value / count.index of one instance.
struct RepeatContext {
  std::optional<Value> each_key, each_value;
  std::optional<Value> count_index;
  std::optional<Value> self;  // a postcondition's own object
  std::string region;  // a resource's own region name; "" = the module's
};

/// One expanded module instance; index 0 is the root.
struct ModuleInstance {
  const ModuleFile* file = nullptr;
  const ModuleCallDef* call = nullptr;  // null for the root
  std::string path;                     // "" or "module.a" / "module.a[\"k\"].module.b"
  int parent = -1;
  std::string region_alias, region;
  RepeatContext repeat;                 // of the module call instance
  std::map<std::string, Value> static_vars;  // values with nothing known (for for_each/count)
  std::map<std::string, InstanceSet> modules;    // call name -> module instances
  std::map<std::string, InstanceSet> resources;  // local name -> resource instances
  std::map<std::string, InstanceSet> data;       // local name -> data source instances
};

/// Per resource instance: where its definition and context are.
struct InstanceData {
  size_t module = 0;
  const ResourceDef* def = nullptr;
  RepeatContext repeat;
  const provider::ResourceSchema* schema = nullptr;  // into StackData::schemas; null if unknown type
};

/// Everything a Stack holds.
struct StackData {
  std::string file;
  std::string name;
  std::vector<RegionDecl> regions;
  std::string rollout;  // `rollout:` of stack.yaml ("" = not set)
  std::vector<std::unique_ptr<ModuleFile>> files;  // owns every parsed file
  std::vector<ModuleInstance> modules;
  std::vector<ResourceInstance> resources;
  std::vector<InstanceData> instances;             // parallel to resources
  std::unordered_map<std::string, size_t> by_address;
  std::map<std::string, provider::ResourceSchema> schemas;  // copies of the types used ("data.T" for data types)
  std::map<std::string, Value> variables;
  std::vector<OutputDecl> outputs;
  std::vector<MoveDecl> moved;
  std::vector<RemovedDecl> removed;
  std::vector<ImportDecl> imports;
  bool unset_as_unknown = false;  // VariableInputs::unset_as_unknown
  DataReader read_data;           // LoadMode::read_data
  /// Data sources read during expansion (for for_each/count), by address:
  /// the result, or Unknown when its arguments were not known.
  std::map<std::string, Value> data_read;
};

}  // namespace infra::engine
