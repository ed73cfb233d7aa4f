// Process-wide leveled logger to stderr. Level from `--log-level` or the
// INFRA_LOG environment variable (error, warn, info, debug). Thread-safe.
// Callers must never pass secrets, signatures or credentials; as a second
// line of defence, registered secrets are redacted from every line.
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
/// Writes one line "[level] message" atomically to stderr, every registered
/// secret in it printed as (sensitive value).
void Write(Level level, std::string_view message);

/// Registers a secret (a sensitive variable's value, a secret attribute from
/// state): from now on every log line prints it, and its URL-encoded, JSON-
/// and XML-escaped forms (as request and reply bodies carry it), as
/// "(sensitive value)". Values shorter than kMinSecretLength are not
/// registered: redacting them would garble ordinary words.
void AddSecret(std::string_view secret);
inline constexpr size_t kMinSecretLength = 4;
/// Forgets every registered secret (tests).
void ClearSecrets();
/// `text` with every registered secret replaced, as Write prints it.
std::string Redact(std::string_view text);

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
