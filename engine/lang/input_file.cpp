// ReadInputFile: stat first (a directory is an error, not an empty file),
// then read at most max_bytes + 1 bytes, so an endless device is refused
// after a bounded read.
#include "engine/lang/input_file.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace infra::engine {
namespace {

Error InputError(std::string message) { return MakeError(Error::Kind::kInvalid, "InputFile", std::move(message)); }

}  // namespace

Result<std::string> ReadInputFile(const std::string& path, size_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return InputError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) return InputError(fmt::format("cannot read '{}': it is a directory, not a file", path));
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return InputError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  std::string text;
  char buf[65536];
  while (text.size() <= max_bytes) {
    size_t n = std::fread(buf, 1, sizeof buf, f.get());
    if (n == 0) break;
    text.append(buf, n);
  }
  if (std::ferror(f.get())) return InputError(fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  if (text.size() > max_bytes)
    return InputError(fmt::format("'{}' is larger than {}; infra reads input files up to that size", path,
                                  max_bytes % (size_t{1} << 20) == 0 ? fmt::format("{} MiB", max_bytes >> 20)
                                                                     : fmt::format("{} bytes", max_bytes)));
  return text;
}

}  // namespace infra::engine
