// Who and when, for history rows and lock records: this process's user,
// host and pid, the UTC time, random UUIDs (lineage, lock ids) and the pid
// space a lock holder records (whose pids this process can see).
#include <fmt/format.h>
#include <openssl/rand.h>
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <sys/stat.h>

#include <cstdlib>
#include <ctime>
#include <fstream>

#include "state/lock_record.h"
#include "state/store.h"

namespace infra::state {

std::string NowIso8601() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string NewUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof(b)) != 1) {
    // RAND_bytes failing is near impossible; fall back to time + pid.
    auto n = std::chrono::steady_clock::now().time_since_epoch().count();
    for (int i = 0; i < 16; ++i) b[i] = static_cast<unsigned char>((n >> (i % 8 * 8)) ^ (getpid() >> (i % 4)));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  return fmt::format("{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
                     b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                     b[15]);
}

std::string CurrentPidSpace() {
  std::ifstream boot("/proc/sys/kernel/random/boot_id");
  std::string boot_id;
  struct stat ns {};
  if (!std::getline(boot, boot_id) || boot_id.empty() || ::stat("/proc/self/ns/pid", &ns) != 0) return "";
  return fmt::format("{}/{}", boot_id, static_cast<unsigned long long>(ns.st_ino));
}

ProcessIdentity ProcessIdentity::Current() {
  ProcessIdentity id;
  id.pid = static_cast<int64_t>(getpid());
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) == 0) id.host = host;
  if (const char* u = std::getenv("USER"); u && *u) {
    id.user = u;
  } else if (const passwd* pw = getpwuid(getuid())) {
    id.user = pw->pw_name;
  } else {
    id.user = fmt::format("uid {}", getuid());
  }
  return id;
}

}  // namespace infra::state
