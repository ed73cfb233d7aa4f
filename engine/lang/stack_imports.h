// `import:` of the root stack: each entry's id is evaluated (variables and
// locals only) and its `to` checked against the expanded stack, so the
// planner gets plain (address, id) pairs; an entry with for_each gives one
// pair per element.
#pragma once

namespace infra::engine {

class Diagnostics;
struct ModuleFile;
struct StackData;

/// Fills data.imports from root.imports. Reported at the entry's location:
/// `to` not a declared resource instance (with the nearest name), a data
/// source, the same `to` twice, an id that is not a known, non-empty string
/// (one that needs a resource's attributes cannot be known at plan time),
/// a for_each that is not a known map or set of strings.
void ResolveImports(const ModuleFile& root, StackData& data, Diagnostics& diags);

}  // namespace infra::engine
