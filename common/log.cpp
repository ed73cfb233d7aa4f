// Logger implementation: one mutex around stderr writes and the secret
// list, level in an atomic.
#include "common/log.h"

#include <algorithm>
#include <cctype>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace infra::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::kWarn)};
std::mutex g_mu;
std::vector<std::string> g_secrets;  // longest first, so a longer form wins
constexpr std::string_view kHidden = "(sensitive value)";

// RFC 3986 percent-encoding (what the query protocols send).
std::string UrlEncoded(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Escaped(std::string_view s, bool xml) {
  std::string out;
  for (char c : s) {
    if (xml && c == '&') out += "&amp;";
    else if (xml && c == '<') out += "&lt;";
    else if (xml && c == '>') out += "&gt;";
    else if (xml && c == '"') out += "&quot;";
    else if (!xml && (c == '"' || c == '\\')) out += {'\\', c};
    else if (!xml && c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string RedactLocked(std::string_view text) {
  std::string out(text);
  for (const auto& secret : g_secrets)
    for (size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at + kHidden.size()))
      out.replace(at, secret.size(), kHidden);
  return out;
}

const char* Name(Level l) {
  switch (l) {
    case Level::kError: return "error";
    case Level::kWarn: return "warn";
    case Level::kInfo: return "info";
    case Level::kDebug: return "debug";
  }
  return "?";
}
}  // namespace

bool SetLevel(std::string_view name) {
  if (name == "error") SetLevel(Level::kError);
  else if (name == "warn" || name == "warning") SetLevel(Level::kWarn);
  else if (name == "info") SetLevel(Level::kInfo);
  else if (name == "debug" || name == "trace") SetLevel(Level::kDebug);
  else return false;
  return true;
}
void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }
Level GetLevel() { return static_cast<Level>(g_level.load()); }
void InitFromEnvironment() {
  if (const char* v = std::getenv("INFRA_LOG"); v != nullptr && *v != '\0') SetLevel(v);
}
bool Enabled(Level level) { return static_cast<int>(level) <= g_level.load(); }
void Write(Level level, std::string_view message) {
  std::lock_guard<std::mutex> lock(g_mu);
  std::string line = g_secrets.empty() ? std::string(message) : RedactLocked(message);
  std::fprintf(stderr, "[%s] %.*s\n", Name(level), static_cast<int>(line.size()), line.data());
}

void AddSecret(std::string_view secret) {
  if (secret.size() < kMinSecretLength) return;
  std::lock_guard<std::mutex> lock(g_mu);
  for (std::string form : {std::string(secret), UrlEncoded(secret), Escaped(secret, false), Escaped(secret, true)})
    if (std::find(g_secrets.begin(), g_secrets.end(), form) == g_secrets.end()) g_secrets.push_back(std::move(form));
  std::stable_sort(g_secrets.begin(), g_secrets.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

void ClearSecrets() {
  std::lock_guard<std::mutex> lock(g_mu);
  g_secrets.clear();
}

std::string Redact(std::string_view text) {
  std::lock_guard<std::mutex> lock(g_mu);
  return RedactLocked(text);
}

}  // namespace infra::log
