// The built-in function library of the expression language, with
// Terraform's names and semantics (docs/stack-language.md lists them):
// core ones in expr_functions.cpp, strings, collections, encodings and
// files in expr_functions_{string,collection,encoding,file}.cpp.
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

/// Where a call is written: the file functions resolve paths against it.
struct CallContext {
  std::string caller_file;  ///< the file holding the call ("" if none)
  std::string file_root;    ///< absolute directory files may be read below; "" = no file access
};

/// The same, for a call written in `context.caller_file`: file(),
/// templatefile(), fileexists(), filebase64sha256() and abspath() resolve
/// relative paths against that file's directory and refuse paths outside
/// `context.file_root`.
Result<Value> CallFunction(std::string_view name, const std::vector<Value>& args, const CallContext& context);

/// True if `v` or any value nested in it is marked sensitive.
bool ContainsSensitive(const Value& v);

/// Names of all built-in functions, sorted.
const std::vector<std::string>& FunctionNames();

}  // namespace infra::engine
