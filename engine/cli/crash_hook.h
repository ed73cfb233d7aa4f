// The crash hook for tests: makes `infra apply` die by SIGKILL at a named
// executor checkpoint (ExecutorOptions::checkpoint), so a test can kill it
// deterministically between the two halves of a create_before_destroy
// replacement. Inert unless INFRA_TEST_CRASH_AT is set.
#pragma once
#include <functional>
#include <string>
#include <string_view>

namespace infra::cli {

/// A checkpoint callback that raises SIGKILL (a real kill -9: nothing is
/// flushed, no lock released) when the point is named by `spec`: "POINT"
/// (first time the point is reached) or "POINT:ADDRESS". An empty spec
/// gives an empty function.
std::function<void(std::string_view point, const std::string& address)> CrashHook(const std::string& spec);

/// CrashHook(getenv("INFRA_TEST_CRASH_AT")), empty when unset.
std::function<void(std::string_view point, const std::string& address)> CrashHookFromEnvironment();

/// True if `spec` names this point (and address, when it gives one).
bool CrashSpecMatches(const std::string& spec, std::string_view point, const std::string& address);

}  // namespace infra::cli
