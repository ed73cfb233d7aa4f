// WriteZip over libzip (Debian libzip-dev): the zip format itself is
// libzip's; this file only fixes what would vary between machines (entry
// order, times, modes).
#include "providers/archive/zip_archive.h"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <sys/stat.h>

namespace infra::archive {
namespace {

// 1980-01-01 00:00 (the zip format's earliest) in local time: libzip
// stores an entry's time as local DOS fields, so the stored fields are the
// same in every time zone.
time_t FixedTime() {
  std::tm t{};
  t.tm_year = 80;
  t.tm_mday = 1;
  t.tm_isdst = -1;
  return std::mktime(&t);
}

Status ZipError(const std::string& path, const std::string& what, zip_t* z) {
  std::string why = z ? zip_strerror(z) : "";
  return MakeError(Error::Kind::kInvalid, "ZipFailed", fmt::format("archive {}: {}{}{}", path, what,
                                                                   why.empty() ? "" : ": ", why));
}

}  // namespace

Status WriteZip(const std::string& path, std::vector<ZipEntry> entries, unsigned mode) {
  std::sort(entries.begin(), entries.end(), [](const ZipEntry& a, const ZipEntry& b) { return a.name < b.name; });
  for (size_t i = 1; i < entries.size(); ++i)
    if (entries[i].name == entries[i - 1].name)
      return MakeError(Error::Kind::kInvalid, "DuplicateEntry",
                       fmt::format("archive {}: two sources are named '{}'", path, entries[i].name));
  std::error_code ec;
  if (auto parent = std::filesystem::path(path).parent_path(); !parent.empty())
    std::filesystem::create_directories(parent, ec);
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) {
    zip_error_t e;
    zip_error_init_with_code(&e, err);
    std::string why = zip_error_strerror(&e);
    zip_error_fini(&e);
    return MakeError(Error::Kind::kInvalid, "ZipFailed", fmt::format("archive {}: cannot create it: {}", path, why));
  }
  const time_t fixed = FixedTime();
  for (const auto& e : entries) {
    zip_source_t* src = zip_source_buffer(z, e.content.data(), e.content.size(), 0);
    if (!src) return zip_discard(z), ZipError(path, "cannot add " + e.name, z);
    zip_int64_t idx = zip_file_add(z, e.name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
      zip_source_free(src);
      Status st = ZipError(path, "cannot add " + e.name, z);
      zip_discard(z);
      return st;
    }
    auto i = static_cast<zip_uint64_t>(idx);
    if (zip_set_file_compression(z, i, ZIP_CM_DEFLATE, 9) != 0 || zip_file_set_mtime(z, i, fixed, 0) != 0 ||
        zip_file_set_external_attributes(z, i, 0, ZIP_OPSYS_UNIX, (S_IFREG | (mode & 07777)) << 16) != 0) {
      Status st = ZipError(path, "cannot set the attributes of " + e.name, z);
      zip_discard(z);
      return st;
    }
  }
  if (zip_close(z) != 0) {
    Status st = ZipError(path, "cannot write it", z);
    zip_discard(z);
    return st;
  }
  return {};
}

}  // namespace infra::archive
