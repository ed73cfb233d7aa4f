// Root variable values: defaults < -var-file (YAML) < INFRA_VAR_<name> <
// -var name=value, as Terraform users expect; then each variable's
// validation conditions. Also used for module inputs' validations.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "engine/lang/stack_defs.h"

namespace infra::engine {

class Diagnostics;

/// Resolves every declared variable. A missing required variable, an
/// undeclared -var, a value of the wrong type or a failed validation is
/// reported to `diags`; such variables get an unknown value so checking
/// goes on. `stack_file` locates -var / env problems in messages.
std::map<std::string, Value> ResolveVariables(const std::vector<VariableDef>& decls, const VariableInputs& inputs,
                                              const std::string& stack_file, Diagnostics& diags);

/// Runs `decl`'s validation conditions against a known `value`; failures
/// are reported at the condition with `address`. Unknown values pass.
void CheckVariableValidations(const VariableDef& decl, const Value& value, const std::string& address,
                              Diagnostics& diags);

}  // namespace infra::engine
