// The files of a stack directory: stack.yaml, further stack files merged
// into it, variable files (recognised by name), module files next to them
// (named by a module call's source) and anything else, which is an error.
// Also module sources that are directories of module files.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "engine/lang/stack_defs.h"
#include "engine/lang/yaml_reader.h"

namespace infra::engine {

class Diagnostics;

/// True for a variable file's name: `infra.vars.yaml` (read automatically)
/// or any `*.vars.yaml` / `*.vars.yml` (read with -var-file).
bool IsVariableFileName(const std::string& filename);

/// Every *.yaml / *.yml file directly in `dir`, sorted, except `skip` (a
/// path) and variable files.
std::vector<std::string> YamlFilesIn(const std::string& dir, const std::string& skip = "");

/// Canonical paths of the module sources `root`'s `modules:` names,
/// resolved against `dir` (the directory of the file holding them).
std::set<std::string> ModuleSourcesOf(const YamlNode& root, const std::string& dir);

/// A map with stack keys (variables, locals, modules, resources, outputs)
/// and no `inputs:` (which would make it a module file).
bool LooksLikeStackFile(const YamlNode& root);

/// Appends `part`'s definitions to `into`. A name defined in both (a
/// variable, local, resource, module or output) is an error at the second
/// place naming the first.
void MergeFile(ModuleFile& into, ModuleFile& part, Diagnostics& diags);

/// The canonical form of a path (itself if it cannot be resolved).
std::string CanonicalKey(const std::string& path);

}  // namespace infra::engine
