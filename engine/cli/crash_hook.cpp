// Crash hook: SIGKILL at a named checkpoint, for crash-recovery tests.
#include "engine/cli/crash_hook.h"

#include <csignal>
#include <cstdlib>
#include <iostream>

namespace infra::cli {

bool CrashSpecMatches(const std::string& spec, std::string_view point, const std::string& address) {
  if (spec.empty()) return false;
  size_t colon = spec.find(':');
  if (colon == std::string::npos) return spec == point;
  return std::string_view(spec).substr(0, colon) == point && spec.substr(colon + 1) == address;
}

std::function<void(std::string_view, const std::string&)> CrashHook(const std::string& spec) {
  if (spec.empty()) return {};
  return [spec](std::string_view point, const std::string& address) {
    if (!CrashSpecMatches(spec, point, address)) return;
    std::cerr << "INFRA_TEST_CRASH_AT: killing this process at " << point << " (" << address << ")" << std::endl;
    std::raise(SIGKILL);
  };
}

std::function<void(std::string_view, const std::string&)> CrashHookFromEnvironment() {
  const char* spec = std::getenv("INFRA_TEST_CRASH_AT");
  return CrashHook(spec ? spec : "");
}

}  // namespace infra::cli
