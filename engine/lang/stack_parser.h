// Stack and module files from YAML trees to definitions (stack_defs.h):
// key checking with "did you mean", YAML scalars to expressions, variable
// declarations, resources, module calls and outputs. No expansion here.
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "engine/lang/stack_defs.h"
#include "engine/lang/yaml_reader.h"

namespace infra::engine {

class Diagnostics;

/// A YAML value as an expression: plain scalars true/false/null/numbers
/// are typed literals, every other scalar is a template (`${...}`), lists
/// and maps become list/map expressions. Returns null after reporting a
/// syntax error to `diags`.
ExprPtr YamlToExpr(const YamlNode& node, Diagnostics& diags, const std::string& address);

/// A YAML value as a constant (no `${}` evaluation: text stays text).
Value YamlToValue(const YamlNode& node);

/// Parses a stack file (`is_root`) or module file. Every problem goes to
/// `diags`; what could be understood is still returned (never null).
/// `part`: one of a stack directory's other stack files (no `stack:` or
/// `regions:`; merged into stack.yaml's definitions by the loader).
std::unique_ptr<ModuleFile> ParseModuleFile(const YamlNode& root, const std::string& path, bool is_root,
                                            Diagnostics& diags, bool part = false);

/// Splits "file:line:col: text" into the location and the text; false if
/// `message` does not start with a location.
bool SplitLocation(const std::string& message, SourceLoc* loc, std::string* rest);

/// Reports an expression-library error, whose message starts with
/// "file:line:col: ", as a diagnostic at that place (else at `fallback`).
void ReportExprError(const Error& error, const std::string& address, const SourceLoc& fallback,
                     Diagnostics& diags);

}  // namespace infra::engine
