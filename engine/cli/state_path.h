// Where a stack's state database lives: `--state PATH` if given, else
// <stack dir>/.infra/<stack>.db with the name read from the `stack:` key of
// stack.yaml (only that key, so state commands work on a stack that does
// not validate).
#pragma once
#include <string>

#include "common/result.h"

namespace infra::cli {

struct GlobalOptions;

/// `directory` is the -C folder (or a stack.yaml file in it). Fails when
/// there is no stack.yaml or it has no `stack:` name, naming the file.
/// A relative `override_path` is relative to the -C directory.
Result<std::string> ResolveStatePath(const GlobalOptions& g, const std::string& override_path);

}  // namespace infra::cli
