// The gcc build's stand-in for libFuzzer: replays every file of the given
// corpus directories (recursively) through LLVMFuzzerTestOneInput, then a
// fixed number of deterministic mutations of each (fixed RNG seed, tokens
// from the target's dictionary), so CI catches a regression on the corpus
// without a clang build. A crash is the test failing; the input that was
// running is named on stderr and the input itself written to
// $FUZZ_REPLAY_CRASH_DIR/crash-input when that is set.
//
// usage: <target>_replay [--mutations N] [--seed S] [--dict FILE] [--max-len N] DIR|FILE...
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <csignal>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

namespace fs = std::filesystem;
using Bytes = std::string;

Bytes ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One libFuzzer dictionary line: name="value" or "value", with \\, \" and \xNN.
bool ParseDictLine(const std::string& line, Bytes* out) {
  size_t q = line.find('"');
  size_t e = line.rfind('"');
  if (q == std::string::npos || e <= q || line[0] == '#') return false;
  out->clear();
  for (size_t i = q + 1; i < e; ++i) {
    char c = line[i];
    if (c == '\\' && i + 1 < e) {
      char n = line[++i];
      if (n == 'x' && i + 2 < e) {
        *out += static_cast<char>(std::stoi(line.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        *out += n;
      }
    } else {
      *out += c;
    }
  }
  return true;
}

// A small deterministic mutator: the raw 32-bit output of mt19937 (fully
// specified by the standard) taken modulo, never a distribution (those are
// implementation-defined), so every platform runs the same inputs.
class Mutator {
 public:
  Mutator(uint32_t seed, std::vector<Bytes> dict, size_t max_len) : rng_(seed), dict_(std::move(dict)), max_len_(max_len) {}

  Bytes Mutate(Bytes in) {
    int rounds = 1 + static_cast<int>(Next(4));
    for (int r = 0; r < rounds; ++r) MutateOnce(in);
    if (in.size() > max_len_) in.resize(max_len_);
    return in;
  }

 private:
  uint32_t Next(uint32_t n) { return n == 0 ? 0 : static_cast<uint32_t>(rng_() % n); }

  void MutateOnce(Bytes& s) {
    size_t pos = s.empty() ? 0 : Next(static_cast<uint32_t>(s.size() + 1));
    switch (Next(8)) {
      case 0:  // flip a bit
        if (!s.empty()) s[pos % s.size()] ^= static_cast<char>(1u << Next(8));
        break;
      case 1:  // random byte
        if (!s.empty()) s[pos % s.size()] = static_cast<char>(Next(256));
        break;
      case 2:  // insert random bytes
        s.insert(pos, Next(4) + 1, static_cast<char>(Next(256)));
        break;
      case 3:  // erase a run
        if (!s.empty() && pos < s.size()) s.erase(pos, 1 + Next(static_cast<uint32_t>(std::min<size_t>(16, s.size() - pos))));
        break;
      case 4:  // insert a dictionary token
      case 5:
        if (!dict_.empty()) s.insert(pos, dict_[Next(static_cast<uint32_t>(dict_.size()))]);
        break;
      case 6: {  // duplicate a chunk somewhere else (nesting, repetition)
        if (s.empty()) break;
        size_t from = Next(static_cast<uint32_t>(s.size()));
        size_t len = 1 + Next(static_cast<uint32_t>(std::min<size_t>(64, s.size() - from)));
        s.insert(pos, s.substr(from, len));
        break;
      }
      case 7:  // truncate
        s.resize(pos);
        break;
    }
  }

  std::mt19937 rng_;
  std::vector<Bytes> dict_;
  size_t max_len_;
};

void Collect(const fs::path& p, std::vector<fs::path>* files) {
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    for (const auto& e : fs::recursive_directory_iterator(p, ec))
      if (e.is_regular_file()) files->push_back(e.path());
  } else if (fs::is_regular_file(p, ec)) {
    files->push_back(p);
  }  // a missing directory (an empty regressions/ folder is not in git) adds nothing
}

std::string g_current;              // the corpus file being mutated, for the crash message
const Bytes* g_input = nullptr;      // the input running now
std::string g_crash_file;            // $FUZZ_REPLAY_CRASH_DIR/crash-input, "" = none
volatile sig_atomic_t g_runs = 0;    // inputs run so far

// SIGTERM/SIGINT (a `timeout` ending a long run): say how many inputs ran.
void OnStop(int sig) {
  char buf[64];
  char* p = buf + sizeof buf;
  unsigned long n = static_cast<unsigned long>(g_runs);
  *--p = '\n';
  do *--p = static_cast<char>('0' + n % 10); while ((n /= 10) > 0);
  const char* msg = "fuzz replay: stopped, no crash; inputs run: ";
  ssize_t ignored = write(1, msg, std::strlen(msg));
  ignored = write(1, p, static_cast<size_t>(buf + sizeof buf - p));
  (void)ignored;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// On a crash, name the corpus file whose input (or mutation) was running.
void OnCrash(int sig) {
  const char* msg = "\nfuzz replay: crashed on (a mutation of) ";
  ssize_t ignored = write(2, msg, std::strlen(msg));
  ignored = write(2, g_current.c_str(), g_current.size());
  ignored = write(2, "\n", 1);
  if (g_input && !g_crash_file.empty()) {  // keep the input that crashed (async-signal-safe calls only)
    int fd = ::open(g_crash_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ignored = write(fd, g_input->data(), g_input->size());
      ::close(fd);
    }
  }
  (void)ignored;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void Run(const Bytes& input) {
  g_input = &input;
  g_runs = g_runs + 1;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  if (const char* dir = std::getenv("FUZZ_REPLAY_CRASH_DIR")) g_crash_file = (fs::path(dir) / "crash-input").string();
  for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, OnCrash);
  for (int sig : {SIGTERM, SIGINT}) std::signal(sig, OnStop);
  int mutations = 0;
  uint32_t seed = 20261201;
  size_t max_len = 1 << 20;
  std::vector<Bytes> dict;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--mutations" && i + 1 < argc) {
      mutations = std::atoi(argv[++i]);
    } else if (a == "--seed" && i + 1 < argc) {
      seed = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (a == "--max-len" && i + 1 < argc) {
      max_len = std::strtoul(argv[++i], nullptr, 10);
    } else if (a == "--dict" && i + 1 < argc) {
      std::ifstream in(argv[++i]);
      if (!in) return std::cerr << "fuzz replay: cannot read dictionary " << argv[i] << "\n", 2;
      std::string line;
      Bytes tok;
      while (std::getline(in, line))
        if (ParseDictLine(line, &tok)) dict.push_back(tok);
    } else {
      Collect(a, &files);
    }
  }
  std::sort(files.begin(), files.end());  // directory order is not stable
  if (files.empty()) return std::cerr << "fuzz replay: empty corpus\n", 2;
  auto start = std::chrono::steady_clock::now();
  Mutator mutator(seed, dict, max_len);
  size_t runs = 0;
  for (const auto& f : files) {
    Bytes input = ReadAll(f);
    if (input.size() > max_len) continue;
    g_current = f.string();
    Run(input);
    ++runs;
    for (int m = 0; m < mutations; ++m) {
      Run(mutator.Mutate(input));
      ++runs;
    }
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  std::cout << "fuzz replay: " << files.size() << " corpus files, " << runs << " inputs (" << mutations
            << " mutations each, seed " << seed << ") in " << ms << " ms: no crash\n";
  return 0;
}
