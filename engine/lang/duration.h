// Durations as stack files write them (Terraform's `timeouts` syntax):
// a whole number and a unit, or several in a row: "30s", "10m", "1h",
// "1h30m". Used by the `timeouts:` meta-argument and in messages.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace infra::engine {

/// "45s", "10m", "2h", "1h30m" -> seconds; nullopt for anything else
/// (no unit, unknown unit, empty, zero, a sign, a fraction, overflow past a week).
std::optional<std::chrono::seconds> ParseDuration(std::string_view text);

/// The shortest spelling ParseDuration reads back: 1800s -> "30m", 90s -> "1m30s".
std::string FormatDuration(std::chrono::seconds d);

}  // namespace infra::engine
