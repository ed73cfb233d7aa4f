// Compact constructors for resource schemas, so a family file lists its
// attributes one per line: Required("vpc_id", kForceNew), Computed("arn").
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

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
/// A nested block (a YAML map) with its own attributes.
inline provider::AttributeSchema Block(std::string name, provider::AttrMode mode,
                                       std::vector<provider::AttributeSchema> attributes, unsigned flags = kNone) {
  auto a = Attr(std::move(name), provider::AttrType::kObject, mode, flags);
  a.block = std::move(attributes);
  return a;
}
/// A repeating block (a list of YAML maps), each with `attributes`.
inline provider::AttributeSchema Blocks(std::string name, provider::AttrMode mode,
                                        std::vector<provider::AttributeSchema> attributes, unsigned flags = kNone) {
  auto a = Attr(std::move(name), provider::AttrType::kListObject, mode, flags);
  a.block = std::move(attributes);
  return a;
}
/// `a` with a one_of check.
inline provider::AttributeSchema OneOf(provider::AttributeSchema a, std::vector<std::string> values) {
  a.checks.push_back({provider::AttrCheck::Kind::kOneOf, std::move(values), {}, 0, 0});
  return a;
}
/// `a` with an inclusive range check.
inline provider::AttributeSchema Range(provider::AttributeSchema a, double min, double max) {
  a.checks.push_back({provider::AttrCheck::Kind::kRange, {}, {}, min, max});
  return a;
}
/// `a` with a regex check (the whole value must match).
inline provider::AttributeSchema Matching(provider::AttributeSchema a, std::string pattern) {
  a.checks.push_back({provider::AttrCheck::Kind::kRegex, {}, std::move(pattern), 0, 0});
  return a;
}
/// `a` compared under `rule` (JSON document, case-insensitive, set).
inline provider::AttributeSchema Compared(provider::AttributeSchema a, provider::Equality rule) {
  a.equality = rule;
  return a;
}

/// The user tags map every taggable type has (updatable in place).
inline provider::AttributeSchema Tags() {
  return Attr("tags", provider::AttrType::kMapString, provider::AttrMode::kOptional);
}

}  // namespace infra::aws::schema
