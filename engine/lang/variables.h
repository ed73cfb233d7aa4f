// Root variable values, lowest to highest precedence as Terraform's:
// defaults < INFRA_VAR_<name> < the stack's infra.vars.yaml < -var-file
// (YAML) < -var name=value; then each variable's validation conditions. Also used for module inputs' validations.
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
/// `default_var_file` ("" = none) sits between the environment and -var-file;
/// `unset_as_unknown` makes a variable without a value unknown, not an error.
std::map<std::string, Value> ResolveVariables(const std::vector<VariableDef>& decls, const VariableInputs& inputs,
                                              const std::string& stack_file, Diagnostics& diags,
                                              const std::string& default_var_file = "", bool unset_as_unknown = false);

/// Runs `decl`'s validation conditions against a known `value`; failures
/// are reported at the condition with `address`. Unknown values pass.
void CheckVariableValidations(const VariableDef& decl, const Value& value, const std::string& address,
                              Diagnostics& diags);

}  // namespace infra::engine
