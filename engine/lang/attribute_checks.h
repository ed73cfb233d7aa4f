// Schema checks of one resource's attribute values beyond their top-level
// names: keys inside nested blocks (typos with their path and "did you
// mean"), required and computed nested attributes, the declared value
// checks (one_of, regex, range) and the cross-attribute ones
// (exactly_one_of, conflicts_with, at_least_one_of).
#pragma once
#include <string>

#include "engine/lang/expr.h"
#include "engine/lang/value.h"
#include "providers/provider.h"

namespace infra::engine {

class Diagnostics;

/// Reports keys of nested blocks written in `expr` (a YAML map, or a list
/// of maps for a repeating block) that `schema` does not have, computed
/// nested attributes that are set, and required nested attributes that are
/// missing. `path` is the attribute's name ("health_check"); nested paths
/// read `health_check.interval`, `rule[0].id`. Only literal maps are walked.
void CheckBlockKeys(const provider::AttributeSchema& schema, const std::string& path, const Expr& expr,
                    const std::string& address, Diagnostics& diags);

/// The value of a nested block converted per nested attribute type (numbers
/// and booleans written as strings become numbers and booleans), or the
/// first conversion error as a message naming the nested path.
Result<Value> ConvertBlock(const provider::AttributeSchema& schema, const std::string& path, const Value& value);

/// `value` with every part `schema` declares sensitive marked so: the whole
/// value when the attribute is, else each nested attribute that is, at any
/// depth (a Lambda function's environment.variables). Never unmarks.
Value MarkSensitive(const provider::AttributeSchema& schema, const Value& value);

/// Declared checks of `schema` (and of its nested attributes) against a
/// known value; "" when they pass, else a message naming the path.
std::string FailedCheck(const provider::AttributeSchema& schema, const std::string& path, const Value& value);

/// The resource-level checks over the attributes set (`attrs` holds only
/// user-set, non-null values); one message per failed check.
std::vector<std::string> FailedSchemaChecks(const provider::ResourceSchema& schema, const Value::Map& attrs);

}  // namespace infra::engine
