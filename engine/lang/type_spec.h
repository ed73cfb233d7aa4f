// TypeSpec: the declared type of a variable or module input (`string`,
// `number`, `bool`, `list(T)`, `map(T)`, `any`) and Terraform-like
// conversion of values to it, including raw strings from -var / env.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "engine/lang/value.h"

namespace infra::engine {

/// A variable type. Immutable; element types are shared.
class TypeSpec {
 public:
  enum class Kind { kAny, kString, kNumber, kBool, kList, kMap };

  TypeSpec() = default;  ///< any
  static TypeSpec Any() { return TypeSpec(); }
  static TypeSpec String() { return TypeSpec(Kind::kString); }
  static TypeSpec Number() { return TypeSpec(Kind::kNumber); }
  static TypeSpec Bool() { return TypeSpec(Kind::kBool); }
  static TypeSpec List(TypeSpec element);
  static TypeSpec Map(TypeSpec element);

  /// Parses "string", "list(string)", "map(list(number))", "any", with
  /// optional spaces. Bare "list"/"map" mean list(any)/map(any). Errors
  /// (kInvalid, "InvalidType") name the offending text and the valid types.
  static Result<TypeSpec> Parse(std::string_view text);

  Kind kind() const { return kind_; }
  /// Element type of list/map (any for other kinds).
  const TypeSpec& element() const;
  /// Canonical form: "list(string)".
  std::string ToString() const;
  bool operator==(const TypeSpec& o) const;

 private:
  explicit TypeSpec(Kind k) : kind_(k) {}
  Kind kind_ = Kind::kAny;
  std::shared_ptr<const TypeSpec> element_;
};

/// Converts `value` to `type` as Terraform does: number <-> string, "true"/
/// "false" -> bool, elements of lists/maps recursively. null converts to
/// null of any type; unknown stays unknown; the sensitive mark is kept.
/// Errors (kInvalid, "TypeMismatch") name the expected and actual types and
/// the path inside the value, e.g. `[1]: expected number, got string "x"`.
Result<Value> Convert(const Value& value, const TypeSpec& type);

/// Converts a raw string from `-var name=value`, INFRA_VAR_name or similar
/// to `type`. string/number/bool/any take the text as a string (then
/// Convert); list and map parse it as a JSON or HCL-style literal
/// (`["a","b"]`, `{a = 1, "b": 2}`) without references.
Result<Value> ParseCliValue(std::string_view text, const TypeSpec& type);

}  // namespace infra::engine
