// A deterministic zip writer over libzip: entries sorted by name, every
// entry stamped 1980-01-01 00:00 with the same Unix mode and no extra
// fields, so the same contents give the same bytes (and hash) whatever the
// files' times, modes or paths on this machine.
#pragma once
#include <string>
#include <vector>

#include "common/result.h"

namespace infra::archive {

/// One file of an archive: its name inside the zip ('/'-separated) and bytes.
struct ZipEntry {
  std::string name;
  std::string content;
};

/// Writes `entries` (sorted here; a name given twice is an error) to
/// `path`, replacing it; directories on the way are made. Each entry has
/// Unix mode `mode` (0644 by default), deflated.
Status WriteZip(const std::string& path, std::vector<ZipEntry> entries, unsigned mode = 0644);

}  // namespace infra::archive
