// "YAML's traps": an unquoted `${...}` holding `: `, `"` or ` #` is read by
// YAML as a map value, a quoted scalar or a comment. When YAML fails (or an
// expression was cut short) on such a line, this says so and shows the fix.
#pragma once
#include <string>
#include <string_view>

namespace infra::engine {

/// What to add to a YAML error on line `line` (1-based) of `text`.
struct YamlTrapHint {
  std::string summary;  ///< appended to the message, e.g. "; the unquoted ${...} ... quote the whole value"
  std::string detail;   ///< the fix written out: the line with the value quoted, or as a block scalar
  int column = 0;       ///< 1-based column where the value starts, 0 if none
};

/// The hint for `line`, or an empty summary if the line has no unquoted
/// `${...}` value holding one of the trap characters.
YamlTrapHint HintForYamlLine(std::string_view text, int line);

/// Appended to an expression syntax error in an unquoted YAML value that
/// ended early: YAML may have cut it at ' #' (a comment).
extern const char* const kCutAtCommentHint;

}  // namespace infra::engine
