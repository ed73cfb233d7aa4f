// TypeSpec: the declared type of a variable or module input (`string`,
// `number`, `bool`, `list(T)`, `set(T)`, `map(T)`, `object({...})` with
// `optional(T, default)`, `tuple([...])`, `any`) and Terraform-like
// conversion of values to it, including raw strings from -var / env.
// Sets are lists without duplicates (sorted), objects are maps and tuples
// lists: Value has no separate kinds for them.
#pragma once
#include <memory>
#include <string>
#include <optional>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/lang/value.h"

namespace infra::engine {

/// A variable type. Immutable; element types are shared.
class TypeSpec {
 public:
  enum class Kind { kAny, kString, kNumber, kBool, kList, kMap, kSet, kObject, kTuple };

  /// One attribute of an object type.
  struct Attribute {
    std::string name;
    std::shared_ptr<const TypeSpec> type;
    bool optional = false;
    std::optional<Value> default_value;  ///< optional(T, default), already converted to T
  };

  TypeSpec() = default;  ///< any
  static TypeSpec Any() { return TypeSpec(); }
  static TypeSpec String() { return TypeSpec(Kind::kString); }
  static TypeSpec Number() { return TypeSpec(Kind::kNumber); }
  static TypeSpec Bool() { return TypeSpec(Kind::kBool); }
  static TypeSpec List(TypeSpec element);
  static TypeSpec Map(TypeSpec element);
  static TypeSpec Set(TypeSpec element);
  static TypeSpec Object(std::vector<Attribute> attributes);
  static TypeSpec Tuple(std::vector<TypeSpec> elements);

  /// Parses "string", "list(string)", "map(list(number))", "set(string)",
  /// "object({name = string, port = optional(number, 80)})",
  /// "tuple([string, number])", "any", with optional spaces (and newlines
  /// inside object braces). Bare "list"/"map"/"set" mean list(any)/...
  /// Errors (kInvalid, "InvalidType") name the offending text and the valid types.
  static Result<TypeSpec> Parse(std::string_view text);

  Kind kind() const { return kind_; }
  /// Element type of list/map/set (any for other kinds).
  const TypeSpec& element() const;
  /// Attributes of an object type (empty for other kinds), in declared order.
  const std::vector<Attribute>& attributes() const;
  /// Element types of a tuple type (empty for other kinds).
  const std::vector<TypeSpec>& elements() const;
  /// Canonical form: "list(string)".
  std::string ToString() const;
  bool operator==(const TypeSpec& o) const;

 private:
  explicit TypeSpec(Kind k) : kind_(k) {}
  Kind kind_ = Kind::kAny;
  std::shared_ptr<const TypeSpec> element_;
  std::shared_ptr<const std::vector<Attribute>> attributes_;
  std::shared_ptr<const std::vector<TypeSpec>> elements_;
};

/// Converts `value` to `type` as Terraform does: number <-> string, "true"/
/// "false" -> bool, elements of lists/maps/sets recursively; a set drops
/// duplicates; an object takes its attributes (a missing optional one gets
/// its default or null, a missing required one is an error, extra ones are
/// dropped); a tuple needs exactly its length. null converts to
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
