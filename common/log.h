// Process-wide leveled logger to stderr. Level from `--log-level` or the
// INFRA_LOG environment variable (error, warn, info, debug). Thread-safe.
// Callers must never pass secrets, signatures or credentials.
#pragma once
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace infra::log {

enum class Level { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

/// Sets the level; "debug"/"info"/"warn"/"error". Returns false if unknown.
bool SetLevel(std::string_view name);
void SetLevel(Level level);
Level GetLevel();
/// Reads INFRA_LOG once; called by the CLI before parsing flags.
void InitFromEnvironment();
bool Enabled(Level level);
/// Writes one line "[level] message" atomically to stderr.
void Write(Level level, std::string_view message);

template <class... Args>
void Debug(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void Info(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void Warn(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kWarn)) Write(Level::kWarn, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void Err(fmt::format_string<Args...> f, Args&&... args) {
  Write(Level::kError, fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace infra::log
