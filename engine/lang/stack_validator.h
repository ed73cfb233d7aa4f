// After expansion: each instance's graph edges (references through module
// inputs/outputs, depends_on) and its checks against the resource schema
// (unknown/computed/required attributes, value types, CIDR syntax).
#pragma once
#include "engine/lang/stack_defs.h"
#include "engine/lang/stack_scope.h"

namespace infra::engine {

class Diagnostics;

/// Fills ResourceInstance::references and ::depends_on for every instance;
/// reports references to attributes the target type lacks and unknown
/// depends_on names. Linear in the size of the stack (module inputs and
/// outputs are resolved once per module instance).
void ResolveEdges(StackData& data, Diagnostics& diags);

/// Checks every instance against its schema and evaluates its attributes
/// and the root and module outputs with nothing known, reporting all errors.
void ValidateInstances(const StackData& data, Diagnostics& diags);

/// Non-empty when root output `output` holds a secret (`value` contains a
/// sensitive part) without `sensitive: true`: the message refusing it, as
/// Terraform refuses such an output (the value would be shown and stored
/// as if it were not secret).
std::string UndeclaredSecretOutput(const OutputDef& output, const Value& value);

/// Evaluates instance `index`'s user-set attributes (see
/// Stack::EvaluateAttributes). With `diags`, every error is reported there
/// and evaluation goes on; without, the first error is returned. `shared`:
/// local values already evaluated against the same `values` (a pass over
/// many instances), or null.
Result<Value::Map> EvaluateInstance(const StackData& data, size_t index, const ResourceValues& values,
                                    Diagnostics* diags, LocalCache* shared = nullptr);

}  // namespace infra::engine
