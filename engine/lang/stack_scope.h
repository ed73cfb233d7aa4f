// StackScope: how names in `${...}` resolve inside one module instance
// (var.*, module.*.out, local resource names, each/count, region), with
// resource attribute values supplied by the caller (unknown if absent).
#pragma once
#include <map>
#include <unordered_map>
#include <memory>
#include <string>

#include "engine/lang/stack_defs.h"

namespace infra::engine {

/// Resolves references for expressions written in module instance
/// `module` with repeat context `repeat`. `static_mode` is used while the
/// stack is still being expanded: module inputs come from the values
/// computed at expansion and unexpanded names read as unknown.
/// Local values by module instance, shared by the scopes of one pass over
/// fixed resource values (validation evaluates every instance against
/// "nothing known"), so each local is evaluated once per module instance
/// instead of once per attribute that reads it.
using LocalCache = std::unordered_map<size_t, std::map<std::string, Value>>;

class StackScope : public EvalScope {
 public:
  /// `shared`: the LocalCache of the pass, valid for `values` only; null
  /// for a one-off evaluation (locals are then cached in this scope).
  StackScope(const StackData& data, size_t module, const RepeatContext& repeat, const ResourceValues& values,
             bool static_mode = false, int depth = 0, LocalCache* shared = nullptr);
  Result<Resolved> Lookup(const Traversal& ref) const override;
  /// The stack's root directory (file() and templatefile() stay inside it).
  std::string FileRoot() const override;

  /// The value of input/variable `name` of module instance `module`.
  Result<Value> VariableValue(size_t module, const std::string& name) const;
  /// The value of output `name` of module instance `module`.
  Result<Value> OutputValue(size_t module, const std::string& name) const;

 private:
  Result<Resolved> LookupVar(const Traversal& ref) const;
  Result<Resolved> LookupModule(const Traversal& ref) const;
  Result<Resolved> LookupResource(const Traversal& ref, const InstanceSet& set) const;
  Result<Value> ModuleObject(size_t module) const;
  Value ResourceObject(size_t instance) const;
  Result<Resolved> LookupRepeat(const Traversal& ref) const;
  Result<Resolved> LookupLocal(const Traversal& ref) const;
  Result<Resolved> LookupData(const Traversal& ref) const;
  Result<Resolved> LookupPath(const Traversal& ref) const;

  const StackData& data_;
  size_t module_;
  const RepeatContext& repeat_;
  const ResourceValues& values_;
  bool static_mode_;
  int depth_;
  /// Locals of module_ already evaluated through this scope (a local read
  /// by many attributes of one instance is evaluated once).
  mutable std::map<std::string, Value> locals_;
  LocalCache* shared_;
};

/// The absolute, normalised directory holding `file`.
std::string DirectoryOf(const std::string& file);
/// The directory of `file` relative to the directory of `root_file` ("."
/// when the same, "modules/net", "../shared"): path.module's value.
std::string RelativeToRoot(const std::string& file, const std::string& root_file);

/// "[\"a\"]" for a string key, "[0]" for a number key.
std::string KeySuffix(const Value& key);

}  // namespace infra::engine
