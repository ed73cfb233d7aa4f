// Plan rendering for people. Attribute names in a block are padded to one
// column as OpenTofu does; unchanged attributes of an update are counted,
// not listed, so a one-tag change stays one line.
#include "engine/plan/plan_render.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace infra::engine {
namespace {

constexpr const char* kReset = "\x1b[0m";
constexpr const char* kBold = "\x1b[1m";

const char* ColorOf(std::string_view symbol) {
  if (symbol == "+") return "\x1b[32m";
  if (symbol == "~" || symbol == "<=") return "\x1b[33m";
  if (symbol == "-") return "\x1b[31m";
  return "\x1b[36m";  // -/+ and +/-
}

std::string Paint(const RenderOptions& o, std::string_view symbol, std::string_view text) {
  if (!o.color) return std::string(text);
  return fmt::format("{}{}{}", ColorOf(symbol), text, kReset);
}

// A read replica whose source is removed is promoted in place
// (aws_rds_cluster, aws_db_instance): the plan says so in its headline.
std::string Promotion(const ResourceChange& c) {
  for (const char* source : {"replication_source_identifier", "replicate_source_db"}) {
    auto b = c.before.find(source), a = c.after.find(source);
    if (b != c.before.end() && !b->second.is_null() && (a == c.after.end() || a->second.is_null()))
      return c.type == "aws_db_instance" ? "will be promoted to a standalone instance"
                                         : "will be promoted to a standalone cluster";
  }
  return "";
}

std::string Headline(const ResourceChange& c) {
  if (c.reason == ActionReason::kForgetBecauseRemoved)
    return "will be forgotten (removed: infra stops managing it; the object is not destroyed)";
  if (IsDataAddress(c.address)) {
    if (c.action == Action::kDelete) return "will be forgotten (a data source: nothing is destroyed)";
    return IsReadAtPlan(c) ? "will be read into state" : "will be read during apply (it depends on values not yet known)";
  }
  switch (c.action) {
    case Action::kCreate:
      return c.reason == ActionReason::kCreateBecauseDeletedOutside
                 ? "will be created (it was deleted outside infra)"
                 : "will be created";
    case Action::kUpdate: return Promotion(c).empty() ? "will be updated in-place" : Promotion(c);
    case Action::kDelete:
      return c.reason == ActionReason::kDeleteBecauseNoConfig ? "will be destroyed (it is no longer in the stack)"
                                                              : "will be destroyed";
    case Action::kDeleteThenCreate:
    case Action::kCreateThenDelete:
      return c.reason == ActionReason::kReplaceByRequest ? "will be replaced, as requested" : "must be replaced";
    case Action::kRead: return "will be read into state";
    case Action::kNoOp: return "has no changes";
  }
  return "";
}

std::string ShortName(const std::string& address, const std::string& type) {
  auto pos = address.rfind(type + ".");
  std::string name = pos == std::string::npos ? address : address.substr(pos + type.size() + 1);
  return name.substr(0, name.find('['));  // the full address is on the comment line
}

Value Get(const Value::Map& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? Value() : it->second;
}

struct Line {
  std::string symbol;  // "+", "~", "-", " "
  std::string name;
  std::string text;                // the value, or "{" / "[" opening a block
  std::vector<std::string> block;  // one element per line (maps and lists)
  std::string close;               // "}" / "]" plus " -> null" and the like
};

std::string Quoted(const std::string& s) { return Value::String(s).ToDisplay(); }

bool IsCollection(const Value& v) { return v.kind() == ValueKind::kList || v.kind() == ValueKind::kMap; }

// A map or list shown one element per line: both sides are collections of
// one kind (or absent), at least one is not empty, and neither is a secret
// or unknown as a whole (those show as one word).
bool ShowsAsBlock(const Value& b, const Value& a) {
  if (b.sensitive() || a.sensitive() || b.is_unknown() || a.is_unknown()) return false;
  if (!IsCollection(b) && !b.is_null()) return false;
  if (!IsCollection(a) && !a.is_null()) return false;
  if (IsCollection(b) && IsCollection(a) && b.kind() != a.kind()) return false;
  bool empty_b = b.is_null() || (b.kind() == ValueKind::kList ? b.AsList().empty() : b.AsMap().empty());
  bool empty_a = a.is_null() || (a.kind() == ValueKind::kList ? a.AsList().empty() : a.AsMap().empty());
  return !(empty_b && empty_a);
}

std::string Hidden(int n, const char* what) {
  return fmt::format("  # ({} unchanged {}{} hidden)", n, what, n == 1 ? "" : "s");
}

// Map elements with per-key markers: `~ "Name" = "a" -> "b"`.
std::vector<std::string> MapElements(const Value& b, const Value& a, const RenderOptions& o) {
  static const Value::Map kNone;
  const Value::Map& bm = b.kind() == ValueKind::kMap ? b.AsMap() : kNone;
  const Value::Map& am = a.kind() == ValueKind::kMap ? a.AsMap() : kNone;
  std::set<std::string> keys;
  for (const auto& [k, v] : bm) keys.insert(k);
  for (const auto& [k, v] : am) keys.insert(k);
  size_t width = 0;
  for (const auto& k : keys) width = std::max(width, Quoted(k).size());
  std::vector<std::string> out;
  int hidden = 0;
  for (const auto& k : keys) {
    auto bi = bm.find(k), ai = am.find(k);
    std::string key = fmt::format("{:<{}}", Quoted(k), width);
    if (bi != bm.end() && ai != am.end() && bi->second == ai->second && bi->second.sensitive() == ai->second.sensitive())
      ++hidden;
    else if (bi == bm.end())
      out.push_back(fmt::format("{} {} = {}", Paint(o, "+", "+"), key, ai->second.ToDisplay()));
    else if (ai == am.end())
      out.push_back(fmt::format("{} {} = {} -> null", Paint(o, "-", "-"), key, bi->second.ToDisplay()));
    else
      out.push_back(fmt::format("{} {} = {} -> {}", Paint(o, "~", "~"), key, bi->second.ToDisplay(),
                                ai->second.ToDisplay()));
  }
  if (hidden > 0) out.push_back(Hidden(hidden, "element"));
  return out;
}

// List elements by position: an element that differs is removed and added.
std::vector<std::string> ListElements(const Value& b, const Value& a, const RenderOptions& o) {
  static const Value::List kNone;
  const Value::List& bl = b.kind() == ValueKind::kList ? b.AsList() : kNone;
  const Value::List& al = a.kind() == ValueKind::kList ? a.AsList() : kNone;
  std::vector<std::string> out;
  int hidden = 0;
  for (size_t i = 0; i < std::max(bl.size(), al.size()); ++i) {
    bool has_b = i < bl.size(), has_a = i < al.size();
    if (has_b && has_a && bl[i] == al[i] && bl[i].sensitive() == al[i].sensitive()) {
      ++hidden;
      continue;
    }
    if (has_b) out.push_back(fmt::format("{} {},", Paint(o, "-", "-"), bl[i].ToDisplay()));
    if (has_a) out.push_back(fmt::format("{} {},", Paint(o, "+", "+"), al[i].ToDisplay()));
  }
  if (hidden > 0) out.push_back(Hidden(hidden, "element"));
  return out;
}

Line BlockLine(std::string symbol, const std::string& name, const Value& b, const Value& a, const RenderOptions& o) {
  bool is_map = b.kind() == ValueKind::kMap || a.kind() == ValueKind::kMap;
  Line l{std::move(symbol), name, is_map ? "{" : "[", {}, is_map ? "}" : "]"};
  l.block = is_map ? MapElements(b, a, o) : ListElements(b, a, o);
  if (a.is_null()) l.close += " -> null";
  return l;
}

// One attribute of a change; false when it is unchanged (counted hidden).
bool AttributeLine(const ResourceChange& c, const std::string& name, const Value& b, const Value& a,
                   const RenderOptions& o, Line* out) {
  bool creates = c.action == Action::kCreate, deletes = c.action == Action::kDelete;
  if (creates && a.is_null()) return false;
  if (deletes && b.is_null()) return false;
  bool same = b == a && b.sensitive() == a.sensitive() && !creates && !deletes;
  if (same) return false;
  std::string symbol = creates || (!deletes && b.is_null()) ? "+" : deletes || a.is_null() ? "-" : "~";
  const Value& before = creates ? Value() : b;
  const Value& after = deletes ? Value() : a;
  if (ShowsAsBlock(before, after)) {
    *out = BlockLine(symbol, name, before, after, o);
  } else if (symbol == "+") {
    *out = {symbol, name, after.ToDisplay(), {}, ""};
  } else if (symbol == "-") {
    *out = {symbol, name, before.ToDisplay() + " -> null", {}, ""};
  } else {
    *out = {symbol, name, before.ToDisplay() + " -> " + after.ToDisplay(), {}, ""};
  }
  return true;
}

std::vector<Line> AttributeLines(const ResourceChange& change, const RenderOptions& o, int* hidden) {
  ResourceChange c = change;
  ShareSensitivity(&c.before, &c.after);
  std::set<std::string> names;
  for (const auto& [k, v] : c.before) names.insert(k);
  for (const auto& [k, v] : c.after) names.insert(k);
  std::set<std::string> forces(c.replace_paths.begin(), c.replace_paths.end());
  std::vector<Line> lines;
  *hidden = 0;
  for (const auto& name : names) {
    Line l;
    if (!AttributeLine(c, name, Get(c.before, name), Get(c.after, name), o, &l)) {
      ++*hidden;
      continue;
    }
    // The attribute that forces a replacement says so, whatever its marker.
    if (forces.count(name)) l.text += " # forces replacement";
    lines.push_back(std::move(l));
  }
  return lines;
}

std::string RenderLines(const std::vector<Line>& lines, const RenderOptions& o) {
  size_t width = 0;
  for (const auto& l : lines) width = std::max(width, l.name.size());
  std::string out;
  for (const auto& l : lines) {
    out += fmt::format("      {} {:<{}} = {}\n", Paint(o, l.symbol, l.symbol), l.name, width, l.text);
    if (l.close.empty()) continue;
    for (const auto& e : l.block) out += fmt::format("          {}\n", e);
    out += fmt::format("        {}\n", l.close);
  }
  return out;
}

std::string RenderDrift(const ResourceChange& c, const RenderOptions& o) {
  const Drift& d = *c.drift;
  std::string out;
  if (d.deleted) {
    out += fmt::format("  # {} has been deleted\n", c.address);
    out += fmt::format("  {} resource \"{}\" \"{}\" {{\n", Paint(o, "-", "-"), c.type, ShortName(c.address, c.type));
    out += fmt::format("      id = {}\n    }}\n\n", Value::String(c.id).ToDisplay());
    return out;
  }
  out += fmt::format("  # {} has changed\n", c.address);
  out += fmt::format("  {} resource \"{}\" \"{}\" {{\n", Paint(o, "~", "~"), c.type, ShortName(c.address, c.type));
  Value::Map before = d.before, after = d.after;
  ShareSensitivity(&before, &after);
  std::vector<Line> lines;
  for (const auto& name : d.changed) {
    Value b = Get(before, name), a = Get(after, name);
    if (ShowsAsBlock(b, a))
      lines.push_back(BlockLine("~", name, b, a, o));
    else
      lines.push_back({"~", name, b.ToDisplay() + " -> " + a.ToDisplay(), {}, ""});
  }
  out += RenderLines(lines, o);
  out += "    }\n\n";
  return out;
}

// One output line: a secret shows only "(sensitive value)", whatever the
// action, so not even its length reaches the terminal.
Line OutputLine(const OutputChange& o) {
  std::string symbol(ActionSymbol(o.action));
  if (o.sensitive) return {symbol, o.name, "(sensitive value)", {}, ""};
  switch (o.action) {
    case Action::kCreate: return {symbol, o.name, o.after.ToDisplay(), {}, ""};
    case Action::kDelete: return {symbol, o.name, o.before.ToDisplay() + " -> null", {}, ""};
    default: return {symbol, o.name, o.before.ToDisplay() + " -> " + o.after.ToDisplay(), {}, ""};
  }
}

}  // namespace

std::string RenderOutputChanges(const Plan& plan, const RenderOptions& o) {
  std::vector<Line> lines;
  for (const auto& c : plan.output_changes)
    if (c.action != Action::kNoOp) lines.push_back(OutputLine(c));
  if (lines.empty()) return "";
  size_t width = 0;
  for (const auto& l : lines) width = std::max(width, l.name.size());
  std::string out = "Changes to Outputs:\n";
  for (const auto& l : lines)
    out += fmt::format("  {} {:<{}} = {}\n", Paint(o, l.symbol, l.symbol), l.name, width, l.text);
  return out + "\n";
}

std::string RenderChange(const ResourceChange& c, const RenderOptions& o) {
  std::string symbol(ActionSymbol(c.action));
  std::string who = c.deposed.empty() ? c.address : fmt::format("{} (deposed object {})", c.address, c.deposed);
  std::string out = fmt::format("  # {} {}{}\n", o.color ? fmt::format("{}{}{}", kBold, who, kReset) : who,
                                Headline(c), c.moved_from.empty() ? "" : " (moved from " + c.moved_from + ")");
  if (!c.imported_id.empty()) out += fmt::format("  # (imported from \"{}\")\n", c.imported_id);
  out += fmt::format("{:>3} {} \"{}\" \"{}\" {{\n", Paint(o, symbol, symbol),
                     IsDataAddress(c.address) ? "data" : "resource", c.type, ShortName(c.address, c.type));
  int hidden = 0;
  out += RenderLines(AttributeLines(c, o, &hidden), o);
  if (hidden > 0) out += fmt::format("        # ({} unchanged attribute{} hidden)\n", hidden, hidden == 1 ? "" : "s");
  out += "    }\n\n";
  return out;
}

std::string RenderSummary(const Plan& plan) {
  PlanSummary s = plan.Summary();
  constexpr const char* kOutputsOnly =
      "You can apply this plan to save these new output values to the state, without changing any real "
      "infrastructure.\n";
  if (plan.mode == PlanMode::kRefreshOnly) {
    if (s.read == 0 && plan.HasOutputChanges()) return kOutputsOnly;
    if (s.read == 0) return "No changes. Your infrastructure still matches the state.\n";
    return fmt::format("This is a refresh-only plan: applying it will update the state to match {} "
                       "object{} changed outside infra.\n",
                       s.read, s.read == 1 ? "" : "s");
  }
  if (!plan.HasChanges()) return "No changes. Your infrastructure matches the configuration.\n";
  if (!plan.HasResourceChanges()) return kOutputsOnly;
  std::string extra;
  std::string import = s.import > 0 ? fmt::format("{} to import, ", s.import) : "";
  if (s.read > 0) extra += fmt::format(", {} data source{} to read during apply", s.read, s.read == 1 ? "" : "s");
  if (s.moved > 0) extra += fmt::format(", {} to move", s.moved);
  if (s.forget > 0) extra += fmt::format(", {} to forget", s.forget);
  return fmt::format("Plan: {}{} to add, {} to change, {} to destroy{}.\n", import, s.add, s.change, s.destroy, extra);
}

std::string RenderPlan(const Plan& plan, const RenderOptions& o) {
  std::string out;
  std::vector<const ResourceChange*> drift;
  for (const auto& c : plan.changes)
    if (c.drift) drift.push_back(&c);
  if (!drift.empty()) {
    out += "Objects have changed outside of infra:\n\n";
    for (const auto* c : drift) out += RenderDrift(*c, o);
  }
  if (plan.HasResourceChanges() && plan.mode != PlanMode::kRefreshOnly) {
    out += "infra will perform the following actions:\n\n";
    for (const auto& c : plan.changes)
      if (c.action == Action::kNoOp && !c.imported_id.empty())
        out += fmt::format("  # {} will be imported (id \"{}\"; it already matches the stack)\n\n", c.address,
                           c.imported_id);
      else if (c.action == Action::kNoOp && !c.moved_from.empty())
        out += fmt::format("  # {} has moved to {}\n\n", c.moved_from, c.address);
      else if (c.action != Action::kNoOp && !IsReadAtPlan(c))
        out += RenderChange(c, o);
  }
  out += RenderOutputChanges(plan, o);
  std::string summary = RenderSummary(plan);
  if (o.color && plan.HasChanges()) summary = fmt::format("{}{}{}", kBold, summary, kReset);
  out += summary;
  return out;
}

}  // namespace infra::engine
