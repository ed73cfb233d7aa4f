// The environment seam: credentials, region and endpoint resolution read
// variables through an EnvLookup so tests can inject a fake environment
// instead of mutating the process one.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace infra::aws {

/// Returns the value of an environment variable, or nullopt when unset.
/// An empty value is returned as "" (callers decide whether that counts).
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The real process environment (getenv). Thread-safe as long as nobody
/// calls setenv concurrently.
EnvLookup ProcessEnvironment();

/// A fixed environment for tests: only the given variables are set.
EnvLookup FixedEnvironment(std::map<std::string, std::string> vars);

}  // namespace infra::aws
