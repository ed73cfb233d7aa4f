// YAML text -> a small tree where every scalar, key, list and map carries
// its file:line:col. Built on yaml-cpp's event parser; adds what yaml-cpp
// does not check: duplicate keys and tabs in indentation, with exact places.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/lang/source_loc.h"

namespace infra::engine {

class Diagnostics;
struct YamlEntry;

/// A YAML node. Scalars stay text: `quoted` tells "true" from true.
struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  std::string scalar;            // kScalar: the text
  bool quoted = false;           // kScalar: quoted or block scalar (always a string)
  SourceLoc loc;                 // where the node starts
  std::vector<YamlNode> items;   // kSequence
  std::vector<YamlEntry> entries;  // kMap, in file order, keys unique

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_sequence() const { return kind == Kind::kSequence; }
  bool is_map() const { return kind == Kind::kMap; }
  /// kMap: the value for `key`, or nullptr.
  const YamlNode* Get(std::string_view key) const;
  /// kMap: the entry for `key`, or nullptr.
  const YamlEntry* GetEntry(std::string_view key) const;
  /// "null", "string", "list", "map" for messages.
  const char* KindName() const;
};

/// A key/value pair of a map; the key's own location is kept for messages.
struct YamlEntry {
  std::string key;
  SourceLoc key_loc;
  YamlNode value;
};

/// Alias limits: an alias copies its anchor's subtree, so a few hundred
/// bytes of nested aliases could build billions of nodes. At most this many
/// nodes may be added by aliases in one document ...
inline constexpr size_t kMaxYamlAliasNodes = 100'000;
/// ... and an alias may name an anchor whose subtree holds aliases at most
/// this many levels deep.
inline constexpr int kMaxYamlAliasDepth = 8;

/// Parses `text` (named `file` in locations). Problems go to `diags` with
/// their location; returns nullopt when the text is not usable YAML (syntax
/// error, tab indentation). Duplicate keys are reported and the later value
/// dropped, so the rest of the file is still checked. An empty document is
/// a kNull root. Only the first document of a stream is read. The first
/// alias past an alias limit is an error at its location (nullopt).
std::optional<YamlNode> ReadYamlString(std::string_view text, const std::string& file, Diagnostics& diags);

/// Reads and parses a file; a missing/unreadable file, a directory or one
/// past kMaxInputFileBytes (engine/lang/input_file.h) is a diagnostic at
/// `included_from` (the `source:` that named it, or an empty location).
std::optional<YamlNode> ReadYamlFile(const std::string& path, Diagnostics& diags,
                                     const SourceLoc& included_from = {}, const std::string& address = "");

}  // namespace infra::engine
