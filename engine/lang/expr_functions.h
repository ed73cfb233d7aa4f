// The built-in function library of the expression language, with
// Terraform's semantics: cidrsubnet, cidrhost, join, split, format, lookup,
// length, concat, merge, element, keys, values, tostring, tonumber.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/lang/value.h"

namespace infra::engine {

/// Calls built-in `name` with evaluated arguments. Unknown arguments give an
/// unknown result where Terraform's would (length of a known list with
/// unknown elements is known); a sensitive argument makes the result
/// sensitive. Errors (kInvalid, code "ExprFunction") have NO location (the
/// evaluator adds it); an unknown name says "did you mean ...?".
Result<Value> CallFunction(std::string_view name, const std::vector<Value>& args);

/// True if `v` or any value nested in it is marked sensitive.
bool ContainsSensitive(const Value& v);

/// Names of all built-in functions, sorted.
const std::vector<std::string>& FunctionNames();

}  // namespace infra::engine
