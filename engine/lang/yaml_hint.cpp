// Hints for YAML's traps (see yaml_hint.h). Pure text inspection of the
// offending source line; no YAML parsing.
#include "engine/lang/yaml_hint.h"

#include <fmt/format.h>

namespace infra::engine {
namespace {

std::string_view LineOf(std::string_view text, int line) {
  size_t start = 0;
  for (int l = 1; l < line && start != std::string_view::npos; ++l) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos || start > text.size()) return {};
  size_t end = text.find('\n', start);
  std::string_view out = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

// The trap `value` (an unquoted ${...} scalar) falls into, or "".
std::string TrapIn(std::string_view value) {
  if (value.find(": ") != std::string_view::npos) return "': '";
  if (value.find(" #") != std::string_view::npos) return "' #'";
  if (value.find('"') != std::string_view::npos) return "'\"'";
  return "";
}

}  // namespace

YamlTrapHint HintForYamlLine(std::string_view text, int line) {
  YamlTrapHint hint;
  std::string_view l = LineOf(text, line);
  size_t expr = l.find("${");
  if (expr == std::string_view::npos) return hint;
  // The value starts after "key: " (or "- ") before the expression.
  size_t value = expr;
  size_t colon = l.rfind(": ", expr);
  size_t dash = l.find_first_not_of(' ');
  if (colon != std::string_view::npos) value = colon + 2;
  else if (dash != std::string_view::npos && l[dash] == '-' && dash + 1 < l.size() && l[dash + 1] == ' ') value = dash + 2;
  while (value < l.size() && l[value] == ' ') ++value;
  if (value < l.size() && (l[value] == '\'' || l[value] == '|' || l[value] == '>')) return hint;  // already quoted
  std::string_view body = l.substr(value);
  std::string trap = TrapIn(body.substr(expr - value));
  if (trap.empty() && !(value < l.size() && l[value] == '"')) return hint;
  if (trap.empty()) trap = "'\"'";
  std::string head(l.substr(0, value));
  std::string quoted;
  for (char c : body) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  hint.column = static_cast<int>(value) + 1;
  hint.summary = fmt::format(
      "; this unquoted value holds an expression with {}, which YAML reads as part of its own syntax: quote the whole "
      "value ('...') or use a block scalar (>-)",
      trap);
  std::string indent(dash == std::string_view::npos ? 0 : dash + 2, ' ');
  hint.detail = fmt::format("Write it in single quotes:\n  {}'{}'\nor as a block scalar:\n  {}>-\n  {}{}", head, quoted,
                            head, indent, body);
  return hint;
}

const char* const kCutAtCommentHint =
    "; if the value went on after ' #', YAML cut it there (a comment starts at ' #' in an unquoted value): quote the "
    "whole value ('...') or use a block scalar (>-)";

}  // namespace infra::engine
