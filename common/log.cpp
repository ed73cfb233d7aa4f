// Logger implementation: one mutex around stderr writes, level in an atomic.
#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace infra::log {
namespace {
std::atomic<int> g_level{static_cast<int>(Level::kWarn)};
std::mutex g_mu;
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
  std::fprintf(stderr, "[%s] %.*s\n", Name(level), static_cast<int>(message.size()), message.data());
}

}  // namespace infra::log
