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

std::string Headline(const ResourceChange& c) {
  switch (c.action) {
    case Action::kCreate:
      return c.reason == ActionReason::kCreateBecauseDeletedOutside
                 ? "will be created (it was deleted outside infra)"
                 : "will be created";
    case Action::kUpdate: return "will be updated in-place";
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
  std::string text;
};

std::vector<Line> AttributeLines(const ResourceChange& c, int* hidden) {
  std::set<std::string> names;
  for (const auto& [k, v] : c.before) names.insert(k);
  for (const auto& [k, v] : c.after) names.insert(k);
  std::set<std::string> forces(c.replace_paths.begin(), c.replace_paths.end());
  std::vector<Line> lines;
  *hidden = 0;
  for (const auto& name : names) {
    Value b = Get(c.before, name), a = Get(c.after, name);
    if (c.action == Action::kCreate) {
      if (!a.is_null()) lines.push_back({"+", name, a.ToDisplay()});
    } else if (c.action == Action::kDelete) {
      if (!b.is_null()) lines.push_back({"-", name, b.ToDisplay() + " -> null"});
    } else if (b == a) {
      ++*hidden;
    } else if (b.is_null()) {
      lines.push_back({"+", name, a.ToDisplay()});
    } else if (a.is_null()) {
      lines.push_back({"-", name, b.ToDisplay() + " -> null"});
    } else {
      std::string text = b.ToDisplay() + " -> " + a.ToDisplay();
      if (forces.count(name)) text += " # forces replacement";
      lines.push_back({"~", name, text});
    }
  }
  return lines;
}

std::string RenderLines(const std::vector<Line>& lines, const RenderOptions& o) {
  size_t width = 0;
  for (const auto& l : lines) width = std::max(width, l.name.size());
  std::string out;
  for (const auto& l : lines)
    out += fmt::format("      {} {:<{}} = {}\n", Paint(o, l.symbol, l.symbol), l.name, width, l.text);
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
  std::vector<Line> lines;
  for (const auto& name : d.changed)
    lines.push_back({"~", name, Get(d.before, name).ToDisplay() + " -> " + Get(d.after, name).ToDisplay()});
  out += RenderLines(lines, o);
  out += "    }\n\n";
  return out;
}

// One output line: a secret shows only "(sensitive value)", whatever the
// action, so not even its length reaches the terminal.
Line OutputLine(const OutputChange& o) {
  std::string symbol(ActionSymbol(o.action));
  if (o.sensitive) return {symbol, o.name, "(sensitive value)"};
  switch (o.action) {
    case Action::kCreate: return {symbol, o.name, o.after.ToDisplay()};
    case Action::kDelete: return {symbol, o.name, o.before.ToDisplay() + " -> null"};
    default: return {symbol, o.name, o.before.ToDisplay() + " -> " + o.after.ToDisplay()};
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
  std::string out = fmt::format("  # {} {}\n", o.color ? fmt::format("{}{}{}", kBold, who, kReset) : who,
                                Headline(c));
  out += fmt::format("{:>3} resource \"{}\" \"{}\" {{\n", Paint(o, symbol, symbol), c.type,
                     ShortName(c.address, c.type));
  int hidden = 0;
  out += RenderLines(AttributeLines(c, &hidden), o);
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
  return fmt::format("Plan: {} to add, {} to change, {} to destroy.\n", s.add, s.change, s.destroy);
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
      if (c.action != Action::kNoOp) out += RenderChange(c, o);
  }
  out += RenderOutputChanges(plan, o);
  std::string summary = RenderSummary(plan);
  if (o.color && plan.HasChanges()) summary = fmt::format("{}{}{}", kBold, summary, kReset);
  out += summary;
  return out;
}

}  // namespace infra::engine
