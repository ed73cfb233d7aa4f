// Progress wording follows what Terraform users read every day.
#include "engine/apply/progress.h"

#include <fmt/format.h>

#include <ostream>

namespace infra::engine {
namespace {
const char* Gerund(const std::string& verb) {
  if (verb == "create") return "Creating";
  if (verb == "update") return "Modifying";
  if (verb == "delete") return "Destroying";
  return "Reading";
}
const char* Noun(const std::string& verb) {
  if (verb == "create") return "Creation";
  if (verb == "update") return "Modifications";
  if (verb == "delete") return "Destruction";
  return "Read";
}
const char* StillText(const std::string& verb) {
  if (verb == "create") return "Still creating...";
  if (verb == "update") return "Still modifying...";
  if (verb == "delete") return "Still destroying...";
  return "Still reading...";
}
}  // namespace

std::string FormatElapsed(std::chrono::steady_clock::duration d) {
  long long s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{}s", s / 60, s % 60);
  return fmt::format("{}h{}m{}s", s / 3600, (s % 3600) / 60, s % 60);
}

void Progress::Line(const std::string& address, const std::string& rest) {
  std::lock_guard<std::mutex> lock(mu_);
  if (color_)
    *out_ << "\x1b[1m" << address << ":\x1b[0m " << rest << "\n";
  else
    *out_ << address << ": " << rest << "\n";
  out_->flush();
}

void Progress::Started(const std::string& address, const std::string& verb, const std::string& id) {
  Line(address, id.empty() ? fmt::format("{}...", Gerund(verb)) : fmt::format("{}... [id={}]", Gerund(verb), id));
}

void Progress::Finished(const std::string& address, const std::string& verb,
                        std::chrono::steady_clock::duration elapsed, const std::string& id) {
  std::string rest = fmt::format("{} complete after {}", Noun(verb), FormatElapsed(elapsed));
  if (!id.empty() && verb != "delete") rest += fmt::format(" [id={}]", id);
  Line(address, rest);
}

void Progress::Failed(const std::string& address, const std::string& verb,
                      std::chrono::steady_clock::duration elapsed, const std::string& message) {
  Line(address, fmt::format("{} failed after {}: {}", Noun(verb), FormatElapsed(elapsed), message));
}

void Progress::Still(const std::string& address, const std::string& verb,
                     std::chrono::steady_clock::duration elapsed, const std::string& detail) {
  std::string rest = fmt::format("{} [{} elapsed]", StillText(verb), FormatElapsed(elapsed));
  if (!detail.empty()) rest += " (" + detail + ")";
  Line(address, rest);
}

void Progress::Note(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  *out_ << line << "\n";
  out_->flush();
}

}  // namespace infra::engine
