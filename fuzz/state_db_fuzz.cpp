// Fuzz target: state-database loading. The input is the bytes of a state
// file (SQLite; a corrupt, truncated or foreign one): opened read-only and
// everything read back, then opened for writing (which migrates an older
// schema) and read again. Open must refuse a bad file with an error, never
// crash.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "state/store.h"

namespace {
std::filesystem::path g_dir;

void ReadEverything(infra::state::StateStore& s) {
  (void)s.LoadResources();
  (void)s.LoadResourcesRedacted();
  (void)s.LoadOutputs();
  (void)s.History(5);
  (void)s.GetResource("aws_vpc.main");
  (void)s.IntegrityCheck();
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The key tests/data/state/v2-with-deposed.db was written with.
  setenv("INFRA_STATE_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1);
  g_dir = std::filesystem::temp_directory_path() / ("infra-fuzz-state-" + std::to_string(getpid()));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using infra::state::StateStore;
  std::error_code ec;
  std::filesystem::remove_all(g_dir, ec);
  std::filesystem::create_directories(g_dir);
  std::string path = (g_dir / "stack.db").string();
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (auto ro = StateStore::Open(path, {.create = false, .read_only = true}); ro.ok()) {
    ReadEverything(**ro);
    (void)(*ro)->Close();
  }
  if (auto rw = StateStore::Open(path, {.create = false}); rw.ok()) {
    ReadEverything(**rw);
    (void)(*rw)->Close();
  }
  return 0;
}
