// YAML reader: yaml-cpp's event parser feeds a builder that assembles the
// located tree, checking duplicate keys as maps close. Tabs are found by a
// pre-scan because yaml-cpp's own message for them is misleading. Aliases
// are expanded by copy, so the builder counts what each alias adds and how
// deeply aliases nest, and stops at the first alias past either limit.
#include "engine/lang/yaml_reader.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <unordered_map>

#include "engine/lang/diag.h"
#include "engine/lang/input_file.h"
#include "engine/lang/yaml_hint.h"

namespace infra::engine {
namespace {

// Thrown inside the builder to stop yaml-cpp at the first alias past a
// limit; caught in ReadYamlString (never leaves this file).
struct AliasLimit {
  SourceLoc loc;
  std::string message;
};

SourceLoc LocOf(const std::string& file, const YAML::Mark& m) {
  SourceLoc loc;
  loc.file = file;
  loc.line = m.line + 1;
  loc.column = m.column + 1;
  return loc;
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  std::optional<YamlNode> TakeRoot() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode n;
    n.loc = LocOf(file_, mark);
    Emit(std::move(n), anchor, Shape{});
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      Emit(YamlNode{}, 0, Shape{});
      return;
    }
    Shape shape{it->second.shape.nodes, it->second.shape.alias_depth + 1};
    SourceLoc loc = LocOf(file_, mark);
    if (shape.alias_depth > kMaxYamlAliasDepth)
      throw AliasLimit{loc, fmt::format("aliases nest more than {} deep (an alias of an anchor that holds aliases "
                                        "...); expand the structure by hand", kMaxYamlAliasDepth)};
    expanded_ += shape.nodes;
    if (expanded_ > kMaxYamlAliasNodes)
      throw AliasLimit{loc, fmt::format("aliases expand to more than {} nodes; a stack file never needs that many "
                                        "(is this a \"billion laughs\" file?)", kMaxYamlAliasNodes)};
    YamlNode n = it->second.node;
    n.loc = std::move(loc);
    Emit(std::move(n), 0, shape);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode n;
    n.kind = YamlNode::Kind::kScalar;
    n.scalar = value;
    n.quoted = tag == "!";  // yaml-cpp tags quoted/block scalars "!", plain ones "?"
    n.loc = LocOf(file_, mark);
    Emit(std::move(n), anchor, Shape{});
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(YamlNode::Kind::kSequence, mark, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(YamlNode::Kind::kMap, mark, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  // The size of a subtree and how deeply aliases nest inside it.
  struct Shape {
    size_t nodes = 1;
    int alias_depth = 0;
  };
  struct Anchored {
    YamlNode node;
    Shape shape;
  };
  struct Frame {
    YamlNode node;
    Shape shape;
    YAML::anchor_t anchor = 0;
    bool have_key = false;
    bool skip_value = false;  // key was bad or a duplicate: drop the value
    std::string key;
    SourceLoc key_loc;
    std::unordered_map<std::string, size_t> seen;  // key -> entry index
  };

  void Open(YamlNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    Frame f;
    f.node.kind = kind;
    f.node.loc = LocOf(file_, mark);
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }
  void Close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Emit(std::move(f.node), f.anchor, f.shape);
  }

  void Emit(YamlNode n, YAML::anchor_t anchor, Shape shape) {
    if (anchor) anchors_[anchor] = Anchored{n, shape};
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& f = stack_.back();
    f.shape.nodes += shape.nodes;
    f.shape.alias_depth = std::max(f.shape.alias_depth, shape.alias_depth);
    if (f.node.kind == YamlNode::Kind::kSequence) {
      f.node.items.push_back(std::move(n));
    } else if (!f.have_key) {
      TakeKey(f, std::move(n));
    } else {
      f.have_key = false;
      if (!f.skip_value) {
        f.seen.emplace(f.key, f.node.entries.size());
        f.node.entries.push_back(YamlEntry{std::move(f.key), std::move(f.key_loc), std::move(n)});
      }
    }
  }

  void TakeKey(Frame& f, YamlNode key) {
    f.have_key = true;
    f.skip_value = false;
    if (key.kind != YamlNode::Kind::kScalar) {
      diags_.Error(key.loc, "", fmt::format("a map key must be a plain string, not a {}", key.KindName()));
      f.skip_value = true;
      return;
    }
    auto it = f.seen.find(key.scalar);
    if (it != f.seen.end()) {
      const SourceLoc& first = f.node.entries[it->second].key_loc;
      diags_.Error(key.loc, "",
                   fmt::format("duplicate key '{}'; it was first defined at line {}, column {}", key.scalar,
                               first.line, first.column),
                   "YAML keys must be unique within a map; the later value is ignored.");
      f.skip_value = true;
      return;
    }
    f.key = std::move(key.scalar);
    f.key_loc = std::move(key.loc);
  }

  const std::string& file_;
  Diagnostics& diags_;
  std::vector<Frame> stack_;
  std::optional<YamlNode> root_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  size_t expanded_ = 0;  // nodes added by aliases so far
};

// Tabs are never allowed in YAML indentation; report each such line once.
bool CheckTabs(std::string_view text, const std::string& file, Diagnostics& diags) {
  bool ok = true;
  int line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    for (size_t i = start; i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '-'); ++i) {
      if (text[i] != '\t') continue;
      SourceLoc loc;
      loc.file = file;
      loc.line = line;
      loc.column = static_cast<int>(i - start) + 1;
      diags.Error(loc, "", "tab character in indentation; YAML indentation must use spaces");
      ok = false;
      break;
    }
    start = end + 1;
    ++line;
  }
  return ok;
}

}  // namespace

const YamlEntry* YamlNode::GetEntry(std::string_view key) const {
  for (const auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

const YamlNode* YamlNode::Get(std::string_view key) const {
  const YamlEntry* e = GetEntry(key);
  return e ? &e->value : nullptr;
}

const char* YamlNode::KindName() const {
  switch (kind) {
    case Kind::kNull: return "null";
    case Kind::kScalar: return "string";
    case Kind::kSequence: return "list";
    case Kind::kMap: return "map";
  }
  return "?";
}

std::optional<YamlNode> ReadYamlString(std::string_view text, const std::string& file, Diagnostics& diags) {
  diags.AddSource(file, std::string(text));
  if (!CheckTabs(text, file, diags)) return std::nullopt;
  std::istringstream in{std::string(text)};
  TreeBuilder builder(file, diags);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const YAML::Exception& e) {
    YamlTrapHint hint = HintForYamlLine(text, e.mark.line + 1);
    diags.Error(LocOf(file, e.mark), "", fmt::format("invalid YAML: {}{}", e.msg, hint.summary), hint.detail);
    return std::nullopt;
  } catch (const AliasLimit& e) {
    diags.Error(e.loc, "", e.message);
    return std::nullopt;
  }
  std::optional<YamlNode> root = builder.TakeRoot();
  if (!root) {
    root.emplace();
    root->loc = SourceLoc{file, 1, 1};
  }
  return root;
}

std::optional<YamlNode> ReadYamlFile(const std::string& path, Diagnostics& diags, const SourceLoc& included_from,
                                     const std::string& address) {
  auto text = ReadInputFile(path);
  if (!text.ok()) {
    diags.Error(included_from, address, text.error().message);
    return std::nullopt;
  }
  return ReadYamlString(*text, path, diags);
}

}  // namespace infra::engine
