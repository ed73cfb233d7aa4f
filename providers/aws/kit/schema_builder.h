// Compact constructors for resource schemas, so a family file lists its
// attributes one per line: Required("vpc_id", kForceNew), Computed("arn").
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "providers/provider.h"

namespace infra::aws::schema {

/// Flags combined with `|`.
enum Flag : unsigned { kNone = 0, kForceNew = 1, kCidr = 2, kSensitive = 4 };

/// One attribute; `flags` from Flag, `def` its default (null = none).
inline provider::AttributeSchema Attr(std::string name, provider::AttrType type, provider::AttrMode mode,
                                      unsigned flags = kNone, nlohmann::json def = nullptr,
                                      std::string description = {}) {
  provider::AttributeSchema a;
  a.name = std::move(name);
  a.type = type;
  a.mode = mode;
  a.force_new = (flags & kForceNew) != 0;
  a.cidr = (flags & kCidr) != 0;
  a.sensitive = (flags & kSensitive) != 0;
  a.default_value = std::move(def);
  a.description = std::move(description);
  return a;
}

/// A required string (the common case); pass `type` for others.
inline provider::AttributeSchema Required(std::string name, unsigned flags = kNone,
                                          provider::AttrType type = provider::AttrType::kString) {
  return Attr(std::move(name), type, provider::AttrMode::kRequired, flags);
}
/// An optional attribute with an optional default.
inline provider::AttributeSchema Optional(std::string name, unsigned flags = kNone,
                                          provider::AttrType type = provider::AttrType::kString,
                                          nlohmann::json def = nullptr) {
  return Attr(std::move(name), type, provider::AttrMode::kOptional, flags, std::move(def));
}
/// Optional; AWS fills it when the user leaves it out.
inline provider::AttributeSchema OptionalComputed(std::string name, unsigned flags = kNone,
                                                  provider::AttrType type = provider::AttrType::kString) {
  return Attr(std::move(name), type, provider::AttrMode::kOptionalComputed, flags);
}
/// Set by AWS only.
inline provider::AttributeSchema Computed(std::string name,
                                          provider::AttrType type = provider::AttrType::kString) {
  return Attr(std::move(name), type, provider::AttrMode::kComputed);
}
/// The user tags map every taggable type has (updatable in place).
inline provider::AttributeSchema Tags() {
  return Attr("tags", provider::AttrType::kMapString, provider::AttrMode::kOptional);
}

}  // namespace infra::aws::schema
