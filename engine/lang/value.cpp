// Value implementation. Payloads are shared immutable pointers so copying a
// Value (which the evaluator does a lot) is cheap.
#include "engine/lang/value.h"

#include <fmt/format.h>

#include <cassert>
#include <cmath>
#include <nlohmann/json.hpp>

namespace infra::engine {

Value::Value() = default;
Value Value::Null() { return Value(); }
Value Value::Bool(bool b) {
  Value v;
  v.kind_ = ValueKind::kBool;
  v.b_ = b;
  return v;
}
Value Value::Number(double n) {
  Value v;
  v.kind_ = ValueKind::kNumber;
  v.n_ = n;
  return v;
}
Value Value::String(std::string s) {
  Value v;
  v.kind_ = ValueKind::kString;
  v.s_ = std::make_shared<const std::string>(std::move(s));
  return v;
}
Value Value::MakeList(List items) {
  Value v;
  v.kind_ = ValueKind::kList;
  v.list_ = std::make_shared<const List>(std::move(items));
  return v;
}
Value Value::MakeMap(Map items) {
  Value v;
  v.kind_ = ValueKind::kMap;
  v.map_ = std::make_shared<const Map>(std::move(items));
  return v;
}
Value Value::Unknown() {
  Value v;
  v.kind_ = ValueKind::kUnknown;
  return v;
}

bool Value::is_wholly_known() const {
  switch (kind_) {
    case ValueKind::kUnknown: return false;
    case ValueKind::kList:
      for (const auto& e : *list_)
        if (!e.is_wholly_known()) return false;
      return true;
    case ValueKind::kMap:
      for (const auto& [k, e] : *map_)
        if (!e.is_wholly_known()) return false;
      return true;
    default: return true;
  }
}

Value Value::WithSensitive(bool s) const {
  Value v = *this;
  v.sensitive_ = s;
  return v;
}

bool Value::AsBool() const {
  assert(kind_ == ValueKind::kBool);
  return b_;
}
double Value::AsNumber() const {
  assert(kind_ == ValueKind::kNumber);
  return n_;
}
const std::string& Value::AsString() const {
  assert(kind_ == ValueKind::kString);
  return *s_;
}
const Value::List& Value::AsList() const {
  assert(kind_ == ValueKind::kList);
  return *list_;
}
const Value::Map& Value::AsMap() const {
  assert(kind_ == ValueKind::kMap);
  return *map_;
}

namespace {
// JSON text that never throws: invalid UTF-8 renders as U+FFFD.
std::string SafeDump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string FormatNumber(double n) {
  if (std::isfinite(n) && n == std::floor(n) && std::fabs(n) < 1e15) return fmt::format("{}", static_cast<long long>(n));
  return fmt::format("{}", n);
}
}  // namespace

std::string Value::ToDisplay() const {
  if (sensitive_) return "(sensitive value)";
  switch (kind_) {
    case ValueKind::kNull: return "null";
    case ValueKind::kBool: return b_ ? "true" : "false";
    case ValueKind::kNumber: return FormatNumber(n_);
    case ValueKind::kString: return SafeDump(*s_);
    case ValueKind::kUnknown: return "(known after apply)";
    case ValueKind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < list_->size(); ++i) out += (i ? ", " : "") + (*list_)[i].ToDisplay();
      return out + "]";
    }
    case ValueKind::kMap: {
      if (map_->empty()) return "{}";
      std::string out = "{ ";
      bool first = true;
      for (const auto& [k, e] : *map_) {
        out += (first ? "" : ", ") + SafeDump(k) + " = " + e.ToDisplay();
        first = false;
      }
      return out + " }";
    }
  }
  return "?";
}

std::string Value::ToInterpolated() const {
  switch (kind_) {
    case ValueKind::kString: return *s_;
    case ValueKind::kNumber: return FormatNumber(n_);
    case ValueKind::kBool: return b_ ? "true" : "false";
    default: return SafeDump(ToJson());
  }
}

nlohmann::json Value::ToJson() const {
  switch (kind_) {
    case ValueKind::kNull:
    case ValueKind::kUnknown: return nullptr;
    case ValueKind::kBool: return b_;
    case ValueKind::kNumber:
      if (std::isfinite(n_) && n_ == std::floor(n_) && std::fabs(n_) < 9e15) return static_cast<long long>(n_);
      return n_;
    case ValueKind::kString: return *s_;
    case ValueKind::kList: {
      auto arr = nlohmann::json::array();
      for (const auto& e : *list_) arr.push_back(e.ToJson());
      return arr;
    }
    case ValueKind::kMap: {
      auto obj = nlohmann::json::object();
      for (const auto& [k, e] : *map_) obj[k] = e.ToJson();
      return obj;
    }
  }
  return nullptr;
}

Value Value::FromJson(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Null();
    case nlohmann::json::value_t::boolean: return Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return Number(j.get<double>());
    case nlohmann::json::value_t::string: return String(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      List l;
      for (const auto& e : j) l.push_back(FromJson(e));
      return MakeList(std::move(l));
    }
    case nlohmann::json::value_t::object: {
      Map m;
      for (auto it = j.begin(); it != j.end(); ++it) m.emplace(it.key(), FromJson(it.value()));
      return MakeMap(std::move(m));
    }
    default: return Null();
  }
}

std::string Value::KindName() const {
  switch (kind_) {
    case ValueKind::kNull: return "null";
    case ValueKind::kBool: return "bool";
    case ValueKind::kNumber: return "number";
    case ValueKind::kString: return "string";
    case ValueKind::kList: return "list";
    case ValueKind::kMap: return "map";
    case ValueKind::kUnknown: return "unknown";
  }
  return "?";
}

bool Value::operator==(const Value& o) const {
  if (kind_ != o.kind_ || kind_ == ValueKind::kUnknown) return false;
  switch (kind_) {
    case ValueKind::kNull: return true;
    case ValueKind::kBool: return b_ == o.b_;
    case ValueKind::kNumber: return n_ == o.n_;
    case ValueKind::kString: return *s_ == *o.s_;
    case ValueKind::kList: return *list_ == *o.list_;
    case ValueKind::kMap: return *map_ == *o.map_;
    default: return false;
  }
}

}  // namespace infra::engine
