// Internal to the function library (expr_functions*.cpp): argument access
// with Terraform's conversions, the error shape, and the table row each
// function file contributes. Nothing outside engine/lang/expr_functions*.cpp
// includes this.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/lang/expr_functions.h"
#include "engine/lang/value.h"

namespace infra::engine {

/// "fn(): message", kind kInvalid, code "ExprFunction" (no location).
Error FnError(std::string_view fn, const std::string& message);
/// "first", "second", ... for argument messages.
std::string Ordinal(size_t i);

/// The arguments of one call, with typed accessors that fail with a message
/// naming the function and the argument.
struct Fn {
  std::string_view name;
  const std::vector<Value>& args;
  const CallContext* context = nullptr;

  Result<std::string> Str(size_t i) const;
  Result<double> Num(size_t i) const;
  Result<long long> Int(size_t i) const;
  Result<bool> Bool(size_t i) const;
  Result<const Value::List*> List(size_t i) const;
  Result<const Value::Map*> Map(size_t i) const;
  static std::string Describe(const Value& v);
};

/// How a function treats unknown arguments: kAnyUnknown -> unknown result if
/// any argument is not wholly known; kShallow -> only a top-level unknown
/// argument makes the result unknown (the function handles nested ones).
enum class UnknownRule { kAnyUnknown, kShallow };

constexpr size_t kVariadic = static_cast<size_t>(-1);

struct FunctionDef {
  const char* name;
  size_t min_args;
  size_t max_args;  // kVariadic: any number
  UnknownRule unknown;
  bool null_allowed;  // false: a null argument is an error
  Result<Value> (*impl)(const Fn&);
};

/// The rows of each function file.
const std::vector<FunctionDef>& StringFunctionDefs();      // expr_functions_string.cpp
const std::vector<FunctionDef>& CollectionFunctionDefs();  // expr_functions_collection.cpp
const std::vector<FunctionDef>& EncodingFunctionDefs();    // expr_functions_encoding.cpp
const std::vector<FunctionDef>& FileFunctionDefs();        // expr_functions_file.cpp

/// Standard base64 with padding.
std::string Base64Encode(std::string_view bytes);
/// Lower-case hex digest of `bytes` with OpenSSL digest `algorithm` ("SHA256");
/// the raw digest goes to `raw` when given.
std::string DigestHex(const char* algorithm, std::string_view bytes, std::string* raw);

/// Numbers compare and sort as numbers, strings as strings (by bytes).
bool ValueLess(const Value& a, const Value& b);

}  // namespace infra::engine
