// Value: what an expression evaluates to. null, bool, number, string, list,
// map, or unknown (known only after apply). Any value may be marked
// sensitive; the mark survives operations that derive from it.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace infra::engine {

enum class ValueKind { kNull, kBool, kNumber, kString, kList, kMap, kUnknown };

class Value {
 public:
  using List = std::vector<Value>;
  using Map = std::map<std::string, Value>;

  Value();  // null
  static Value Null();
  static Value Bool(bool b);
  static Value Number(double n);
  static Value String(std::string s);
  static Value MakeList(List items);
  static Value MakeMap(Map items);
  static Value Unknown();

  ValueKind kind() const { return kind_; }
  bool is_null() const { return kind_ == ValueKind::kNull; }
  bool is_unknown() const { return kind_ == ValueKind::kUnknown; }
  /// False if this value or anything nested in it is unknown.
  bool is_wholly_known() const;
  bool sensitive() const { return sensitive_; }
  /// Returns a copy marked (or unmarked) sensitive.
  Value WithSensitive(bool s = true) const;

  /// Accessors; calling the wrong one for the kind is a bug (asserts).
  bool AsBool() const;
  double AsNumber() const;
  const std::string& AsString() const;
  const List& AsList() const;
  const Map& AsMap() const;

  /// Human display as in plan output: "abc" quoted, 3, true, ["a", "b"],
  /// { a = 1 }; unknown -> (known after apply); sensitive -> (sensitive value), the one
  /// spelling of a hidden value everywhere.
  std::string ToDisplay() const;
  /// Plain string form used by interpolation: strings as-is, numbers without
  /// trailing ".0", bools true/false. Lists/maps/null render like JSON.
  std::string ToInterpolated() const;
  /// JSON form. Unknown becomes null; the sensitive mark is dropped (callers
  /// that persist must encrypt sensitive values themselves).
  nlohmann::json ToJson() const;
  static Value FromJson(const nlohmann::json& j);
  /// Name of the kind for error messages: "string", "number", "list", ...
  std::string KindName() const;

  /// Deep equality ignoring the sensitive mark. Unknown equals nothing.
  bool operator==(const Value& o) const;
  bool operator!=(const Value& o) const { return !(*this == o); }

 private:
  ValueKind kind_ = ValueKind::kNull;
  bool sensitive_ = false;
  bool b_ = false;
  double n_ = 0;
  std::shared_ptr<const std::string> s_;
  std::shared_ptr<const List> list_;
  std::shared_ptr<const Map> map_;
};

}  // namespace infra::engine
