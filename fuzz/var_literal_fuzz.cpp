// Fuzz target: the -var literal parser. The input's first line is a type
// constraint (TypeSpec::Parse: "list(string)", "object({a = number})", ...)
// and the rest the raw value text of `-var name=value`; the value is also
// parsed against a few fixed types.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/lang/type_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace infra::engine;
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t nl = text.find('\n');
  std::string type_text = nl == std::string::npos ? text : text.substr(0, nl);
  std::string value_text = nl == std::string::npos ? "" : text.substr(nl + 1);
  if (auto type = TypeSpec::Parse(type_text); type.ok()) {
    auto v = ParseCliValue(value_text, *type);
    if (v.ok()) (void)v->ToJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  static const char* kTypes[] = {"any", "string", "number", "bool", "list(any)", "map(string)", "set(number)",
                                 "object({a = string, b = optional(list(number), [1])})", "tuple([string, bool])"};
  for (const char* t : kTypes) {
    auto type = TypeSpec::Parse(t);
    if (!type.ok()) __builtin_trap();  // the fixed types must parse
    auto v = ParseCliValue(value_text, *type);
    if (v.ok()) (void)v->ToJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return 0;
}
