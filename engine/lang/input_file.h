// Reading a file the user named (a stack file, a -var-file, a saved plan)
// with a size limit and a clear error: never reads a device or a directory
// without end, never throws.
#pragma once
#include <cstddef>
#include <string>

#include "common/result.h"

namespace infra::engine {

/// The largest input file infra reads: 16 MiB.
inline constexpr size_t kMaxInputFileBytes = size_t{16} << 20;

/// Reads all of `path`. Errors (kind kInvalid, code "InputFile"), with a
/// message naming the path: missing or unreadable, a directory, or more
/// than `max_bytes` (a device such as /dev/zero stops there, unread past it).
Result<std::string> ReadInputFile(const std::string& path, size_t max_bytes = kMaxInputFileBytes);

}  // namespace infra::engine
