// Markdown rendering of a plan for GitHub. Each change's body is the text
// renderer's block (engine/plan/plan_render.h RenderChange, no colour) with
// its +/- markers moved to the first column so a ```diff fence colours them;
// the fence is longer than any run of backticks in the block, so a value can
// never close it. Sections are added in plan order while they fit.
#include "engine/cli/plan_markdown.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "engine/lang/stack.h"
#include "engine/plan/plan_render.h"

namespace infra::cli {
namespace {

using engine::Action;
using engine::ResourceChange;

struct RegionCounts {
  int add = 0, change = 0, destroy = 0, replace = 0;
};

std::string EscapeHtml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '|': out += "&#124;"; break;  // would split a table cell
      default: out += c;
    }
  }
  return out;
}

bool Shown(const ResourceChange& c) {
  if (c.action == Action::kNoOp) return !c.imported_id.empty() || !c.moved_from.empty();
  return !engine::IsReadAtPlan(c);
}

std::string RegionLabel(const ResourceChange& c) {
  if (c.region_alias.empty()) return c.region.empty() ? "(global)" : c.region;
  if (c.region.empty() || c.region == c.region_alias) return c.region_alias;
  return fmt::format("{} ({})", c.region_alias, c.region);
}

void Count(const ResourceChange& c, RegionCounts* n) {
  bool data = engine::IsDataAddress(c.address);
  switch (c.action) {
    case Action::kCreate: ++n->add; break;
    case Action::kUpdate: ++n->change; break;
    case Action::kDelete:
      if (!data && c.reason != engine::ActionReason::kForgetBecauseRemoved) ++n->destroy;
      break;
    case Action::kDeleteThenCreate:
    case Action::kCreateThenDelete: ++n->replace; break;
    default: break;
  }
}

// Regions in the plan's rollout order (by alias), then any others by name.
std::string RegionTable(const engine::Plan& plan) {
  std::map<std::string, RegionCounts> counts;
  std::map<std::string, std::string> label_of_alias;
  for (const auto& c : plan.changes) {
    if (!Shown(c)) continue;
    std::string label = RegionLabel(c);
    label_of_alias[c.region_alias] = label;
    Count(c, &counts[label]);
  }
  std::vector<std::string> order;
  for (const auto& alias : plan.regions)
    if (auto it = label_of_alias.find(alias); it != label_of_alias.end()) order.push_back(it->second);
  for (const auto& [label, n] : counts)
    if (std::find(order.begin(), order.end(), label) == order.end()) order.push_back(label);
  std::string out = "| region | add | change | destroy | replace |\n|:--|--:|--:|--:|--:|\n";
  RegionCounts total;
  for (const auto& label : order) {
    const RegionCounts& n = counts[label];
    out += fmt::format("| {} | {} | {} | {} | {} |\n", EscapeHtml(label), n.add, n.change, n.destroy, n.replace);
    total.add += n.add, total.change += n.change, total.destroy += n.destroy, total.replace += n.replace;
  }
  if (order.size() > 1)
    out += fmt::format("| **total** | **{}** | **{}** | **{}** | **{}** |\n", total.add, total.change, total.destroy,
                       total.replace);
  return out;
}

// A fenced block whose fence no backtick run inside can close.
std::string Fenced(const std::string& info, std::string body) {
  while (!body.empty() && body.back() == '\n') body.pop_back();
  size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(std::max<size_t>(3, longest + 1), '`');
  return fence + info + "\n" + body + "\n" + fence + "\n";
}

// The text block with each line's leading +/- marker moved to column one
// (`      + name = "x"` -> `+       name = "x"`), so GitHub colours it.
std::string DiffMarked(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos && first > 0 && (line[first] == '+' || line[first] == '-'))
      line = line[first] + line.substr(0, first) + line.substr(first + 1);
    out += line + "\n";
  }
  return out;
}

std::string Section(const std::string& summary, const std::string& body) {
  return fmt::format("<details><summary>{}</summary>\n\n{}\n</details>\n\n", summary, body);
}

std::string ChangeSection(const ResourceChange& c) {
  std::string symbol(engine::ActionSymbol(c.action));
  if (c.action == Action::kNoOp)
    return Section(fmt::format("<code>{}</code> {}", EscapeHtml(c.address),
                               c.imported_id.empty() ? "moved from <code>" + EscapeHtml(c.moved_from) + "</code>"
                                                     : "will be imported"),
                   "It already matches the stack.\n");
  std::string text = engine::RenderChange(c, {false});
  // The block's first line is "  # <address> <headline>": the summary.
  std::string headline = text.substr(0, text.find('\n'));
  if (auto pos = headline.find("# "); pos != std::string::npos) headline = headline.substr(pos + 2);
  std::string rest = text.substr(text.find('\n') + 1);
  std::string who = headline.rfind(c.address, 0) == 0 ? "<code>" + EscapeHtml(c.address) + "</code>" : "";
  if (!who.empty()) headline = headline.substr(c.address.size());
  return Section(fmt::format("<code>{}</code> {}{}", EscapeHtml(symbol), who, EscapeHtml(headline)),
                 Fenced("diff", DiffMarked(rest)));
}

std::string DriftSection(const ResourceChange& c) {
  // Names only: the values changed outside infra are in the full plan.
  std::string body;
  if (c.drift->deleted) {
    body = "Deleted outside infra.\n";
  } else {
    body = "Changed outside infra:";
    for (const auto& name : c.drift->changed) body += " `" + name + "`";
    body += "\n";
  }
  return Section(fmt::format("<code>{}</code> has changed outside infra", EscapeHtml(c.address)), body);
}

std::string Headline(const engine::Plan& plan) {
  std::string mode = plan.mode == engine::PlanMode::kDestroy       ? " (destroy)"
                     : plan.mode == engine::PlanMode::kRefreshOnly ? " (refresh only)"
                                                                   : "";
  std::string summary = engine::RenderSummary(plan);
  while (!summary.empty() && summary.back() == '\n') summary.pop_back();
  return fmt::format("### infra plan: `{}`{}\n\n**{}**\n\n", plan.stack, mode, EscapeHtml(summary));
}

}  // namespace

std::string RenderPlanMarkdown(const engine::Plan& plan, const MarkdownOptions& options) {
  std::string out = Headline(plan);
  if (plan.HasResourceChanges()) out += RegionTable(plan) + "\n";
  std::vector<std::string> sections;
  for (const auto& c : plan.changes)
    if (c.drift) sections.push_back(DriftSection(c));
  if (plan.mode != engine::PlanMode::kRefreshOnly)
    for (const auto& c : plan.changes)
      if (Shown(c)) sections.push_back(ChangeSection(c));
  if (std::string outputs = engine::RenderOutputChanges(plan, {false}); !outputs.empty())
    sections.push_back(Section("Changes to outputs", Fenced("diff", DiffMarked(outputs))));

  // The note for left-out sections is at most this long; room for it is
  // kept while sections are added.
  constexpr size_t kNoteRoom = 512;
  size_t shown = 0;
  for (const auto& s : sections) {
    if (out.size() + s.size() + kNoteRoom > options.max_bytes) break;
    out += s;
    ++shown;
  }
  if (shown < sections.size()) {
    std::string note = fmt::format(
        "> [!NOTE]\n> {} of {} sections are not shown: GitHub limits a comment to 65,536 characters. {}\n",
        sections.size() - shown, sections.size(), options.full_plan_hint);
    if (note.size() > kNoteRoom) {  // a very long hint
      note.resize(kNoteRoom - 1);
      note.push_back('\n');
    }
    out += note;
  }
  if (out.size() > options.max_bytes) out.resize(options.max_bytes);  // only a tiny max_bytes gets here
  return out;
}

}  // namespace infra::cli
