// A small hand-written scanner: digits then one of s/m/h, repeated.
#include "engine/lang/duration.h"

namespace infra::engine {

std::optional<std::chrono::seconds> ParseDuration(std::string_view text) {
  constexpr long long kWeek = 7LL * 24 * 3600;
  long long total = 0;
  size_t i = 0;
  if (text.empty()) return std::nullopt;
  while (i < text.size()) {
    long long n = 0;
    size_t digits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      n = n * 10 + (text[i] - '0');
      if (n > kWeek) return std::nullopt;
    }
    if (digits == 0 || i == text.size()) return std::nullopt;
    char unit = text[i++];
    long long scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : 0;
    if (scale == 0) return std::nullopt;
    total += n * scale;
    if (total > kWeek) return std::nullopt;
  }
  if (total == 0) return std::nullopt;
  return std::chrono::seconds(total);
}

std::string FormatDuration(std::chrono::seconds d) {
  long long s = d.count();
  if (s <= 0) return "0s";
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + "h";
  if (s % 3600 >= 60) out += std::to_string(s % 3600 / 60) + "m";
  if (s % 60) out += std::to_string(s % 60) + "s";
  return out;
}

}  // namespace infra::engine
