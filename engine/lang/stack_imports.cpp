// `import:` entries resolved against the loaded stack (see stack_imports.h).
#include "engine/lang/stack_imports.h"

#include <fmt/format.h>

#include <set>

#include "engine/lang/diag.h"
#include "engine/lang/nearest_name.h"
#include "engine/lang/stack_defs.h"
#include "engine/lang/stack_scope.h"

namespace infra::engine {

void ResolveImports(const ModuleFile& root, StackData& data, Diagnostics& diags) {
  if (root.imports.empty() || data.modules.empty()) return;
  RepeatContext none;
  ResourceValues nothing = NoResourceValues();
  StackScope scope(data, 0, none, nothing);
  std::set<std::string> seen;
  for (const auto& imp : root.imports) {
    auto it = data.by_address.find(imp.to);
    if (it == data.by_address.end()) {
      std::vector<std::string> names;
      for (const auto& r : data.resources) names.push_back(r.address);
      std::string near = NearestName(imp.to, names);
      diags.Error(imp.loc, "",
                  fmt::format("import to {}: no such resource instance is declared in the stack{}", imp.to,
                              near.empty() ? "" : fmt::format("; did you mean {}?", near)));
      continue;
    }
    if (data.resources[it->second].data) {
      diags.Error(imp.loc, "", fmt::format("import to {}: a data source is read, not imported", imp.to));
      continue;
    }
    if (!seen.insert(imp.to).second) {
      diags.Error(imp.loc, "", fmt::format("import to {}: the address is imported twice", imp.to));
      continue;
    }
    auto id = Evaluate(*imp.id, scope);
    if (!id.ok()) {
      diags.Error(imp.loc, "", fmt::format("import to {}: the id cannot be evaluated: {}", imp.to, id.error().message));
      continue;
    }
    if (data.unset_as_unknown && !id->is_wholly_known()) continue;  // validate/graph: any id will do
    if (!id->is_wholly_known() || id->kind() != ValueKind::kString || id->AsString().empty()) {
      diags.Error(imp.loc, "",
                  fmt::format("import to {}: the id must be a non-empty string known before apply (variables and "
                              "locals only), got {}",
                              imp.to, id->is_wholly_known() ? id->KindName() : "a value known only after apply"));
      continue;
    }
    data.imports.push_back(ImportDecl{imp.to, id->AsString(), imp.loc});
  }
}

}  // namespace infra::engine
