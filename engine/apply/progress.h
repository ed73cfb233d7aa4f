// Progress lines during apply/destroy: one line per resource start and
// finish with elapsed time, and "Still creating... [1m10s elapsed]" for long
// operations. Plain text unless writing to a terminal (then bold addresses).
#pragma once
#include <chrono>
#include <iosfwd>
#include <mutex>
#include <string>

namespace infra::engine {

/// "5s", "1m10s", "1h2m3s".
std::string FormatElapsed(std::chrono::steady_clock::duration d);

class Progress {
 public:
  /// Writes to `out` (not owned); `color` only on a terminal.
  Progress(std::ostream* out, bool color) : out_(out), color_(color) {}

  /// verb: "create", "update", "delete", "read".
  void Started(const std::string& address, const std::string& verb, const std::string& id);
  void Finished(const std::string& address, const std::string& verb, std::chrono::steady_clock::duration elapsed,
                const std::string& id);
  void Failed(const std::string& address, const std::string& verb, std::chrono::steady_clock::duration elapsed,
              const std::string& message);
  void Still(const std::string& address, const std::string& verb, std::chrono::steady_clock::duration elapsed,
             const std::string& detail);
  /// A free-form line (skips, stops, summaries).
  void Note(const std::string& line);

 private:
  void Line(const std::string& address, const std::string& rest);

  std::ostream* out_;
  bool color_;
  std::mutex mu_;
};

}  // namespace infra::engine
