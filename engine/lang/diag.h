// Diagnostics: what the stack reader, expander and validator found wrong,
// each with a source location and resource address, collected (not thrown)
// so validation reports every error. Rendering follows the house format:
// `file:line:col: address: message`, the source line, and a caret.
#pragma once
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/lang/source_loc.h"

namespace infra::engine {

enum class Severity { kError, kWarning };

/// One finding. `summary` is one sentence (with any "did you mean ...?");
/// `detail` optional further sentences; `address` the resource/module
/// address it concerns or empty.
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string summary;
  std::string detail;
  SourceLoc loc;
  std::string address;
  /// False when the source line may hold a secret (a sensitive variable's
  /// value in a var-file): Render then shows the header and detail only.
  bool quote_source = true;
};

/// An ordered collection of diagnostics plus the source texts needed to
/// render them. Not thread-safe.
class Diagnostics {
 public:
  /// Adds an error.
  void Error(const SourceLoc& loc, std::string address, std::string summary, std::string detail = "");
  /// Adds a warning.
  void Warning(const SourceLoc& loc, std::string address, std::string summary, std::string detail = "");
  /// Adds `d` unless the same summary was already reported at the same
  /// place (expanded instances of one definition repeat the same finding).
  void Add(Diagnostic d);
  /// Appends all of `other` (diagnostics and sources).
  void Merge(const Diagnostics& other);

  /// Remembers a file's text so Render can show the offending line without
  /// reading the file again (and for sources that are not files).
  void AddSource(const std::string& file, std::string text);

  bool has_errors() const { return errors_ > 0; }
  size_t error_count() const { return errors_; }
  const std::vector<Diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

  /// One diagnostic as text: the header line, then (when the location is
  /// known and the source is available) the line and a caret, then the
  /// detail. Ends with a newline.
  std::string Render(const Diagnostic& d) const;
  /// All diagnostics, in the order they were added, sorted by nothing else.
  std::string RenderAll() const;
  /// The header line only: "file:line:col: address: summary" (parts that
  /// are unknown are left out; warnings say "warning: " before the summary).
  static std::string Headline(const Diagnostic& d);

 private:
  std::string_view SourceLine(const std::string& file, int line) const;

  std::vector<Diagnostic> items_;
  size_t errors_ = 0;
  std::set<std::string> seen_;  // loc + summary of every item
  mutable std::map<std::string, std::string> sources_;
};

}  // namespace infra::engine
