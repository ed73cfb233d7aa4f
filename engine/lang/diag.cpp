// Diagnostics collection and rendering (header line, source line, caret).
#include "engine/lang/diag.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace infra::engine {

void Diagnostics::Error(const SourceLoc& loc, std::string address, std::string summary, std::string detail) {
  Add(Diagnostic{Severity::kError, std::move(summary), std::move(detail), loc, std::move(address), true});
}

void Diagnostics::Warning(const SourceLoc& loc, std::string address, std::string summary, std::string detail) {
  Add(Diagnostic{Severity::kWarning, std::move(summary), std::move(detail), loc, std::move(address), true});
}

void Diagnostics::Add(Diagnostic d) {
  if (!seen_.insert(d.loc.ToString() + "\n" + d.summary).second) return;
  if (d.severity == Severity::kError) ++errors_;
  items_.push_back(std::move(d));
}

void Diagnostics::Merge(const Diagnostics& other) {
  for (const auto& d : other.items_) Add(d);
  for (const auto& [file, text] : other.sources_) sources_.emplace(file, text);
}

void Diagnostics::AddSource(const std::string& file, std::string text) { sources_[file] = std::move(text); }

std::string Diagnostics::Headline(const Diagnostic& d) {
  std::string out;
  if (!d.loc.file.empty()) out += d.loc.ToString() + ": ";
  if (!d.address.empty()) out += d.address + ": ";
  if (d.severity == Severity::kWarning) out += "warning: ";
  out += d.summary;
  return out;
}

std::string_view Diagnostics::SourceLine(const std::string& file, int line) const {
  auto it = sources_.find(file);
  if (it == sources_.end()) {
    // Not registered (e.g. a diagnostic built elsewhere): read it once.
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buf;
    if (in) buf << in.rdbuf();
    it = sources_.emplace(file, buf.str()).first;
  }
  std::string_view text = it->second;
  size_t pos = 0;
  for (int i = 1; i < line; ++i) {
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  size_t end = text.find('\n', pos);
  std::string_view l = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

std::string Diagnostics::Render(const Diagnostic& d) const {
  std::string out = Headline(d) + "\n";
  if (d.quote_source && !d.loc.file.empty() && d.loc.line > 0) {
    std::string_view line = SourceLine(d.loc.file, d.loc.line);
    if (!line.empty()) {
      out += fmt::format("  {}\n", line);
      // Keep tabs in the caret line so the caret lines up under them.
      std::string pad;
      for (int i = 0; i + 1 < d.loc.column && i < static_cast<int>(line.size()); ++i)
        pad += line[i] == '\t' ? '\t' : ' ';
      out += fmt::format("  {}^\n", pad);
    }
  }
  if (!d.detail.empty()) out += fmt::format("  {}\n", d.detail);
  return out;
}

std::string Diagnostics::RenderAll() const {
  std::string out;
  for (const auto& d : items_) out += Render(d);
  return out;
}

}  // namespace infra::engine
