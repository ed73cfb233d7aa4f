// moto_server lifecycle: pick a free loopback port, fork/exec the server in
// its own process group, poll until it answers, kill the group at exit.
#include "support/moto_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace infra::test {
namespace {

int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return 0;
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

bool PortAnswers(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

std::string ReadAll(FILE* f) {
  std::string out;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) out.append(buf.data(), n);
  return out;
}

std::string TempPath(const char* tag) {
  char tmpl[] = "/tmp/infra-test-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd >= 0) ::close(fd);
  return std::string(tmpl) + tag;
}

nlohmann::json ParseLastJsonLine(const std::string& out) {
  auto parsed = nlohmann::json::parse(out, nullptr, false);
  if (!parsed.is_discarded()) return parsed;
  std::istringstream in(out);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  parsed = nlohmann::json::parse(last, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json() : parsed;
}

}  // namespace

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  std::string err_path = TempPath(".err");
  std::string full = "( " + command + " ) 2>" + ShellQuote(err_path);
  FILE* p = ::popen(full.c_str(), "r");
  if (p == nullptr) return r;
  r.out = ReadAll(p);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream ef(err_path);
  std::stringstream ss;
  ss << ef.rdbuf();
  r.err = ss.str();
  std::remove(err_path.c_str());
  return r;
}

namespace {
MotoServer* g_server = nullptr;
}  // namespace

MotoServer& MotoServer::Shared() {
  static bool started = [] {
    g_server = new MotoServer();
    g_server->Start();
    std::atexit([] { delete g_server; });
    return true;
  }();
  (void)started;
  return *g_server;
}

void MotoServer::Start() {
  if (RunCommand("command -v moto_server").exit_code != 0) {
    ADD_FAILURE() << "moto_server is not installed: integration tests need it (see README)";
    return;
  }
  for (int attempt = 0; attempt < 3 && pid_ <= 0; ++attempt) {
    port_ = FreeLoopbackPort();
    std::string log_path = "/tmp/infra-moto-" + std::to_string(port_) + ".log";
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);
      ::setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true", 1);
      FILE* log = std::freopen(log_path.c_str(), "w", stdout);
      (void)log;
      ::dup2(::fileno(stdout), 2);
      std::string port = std::to_string(port_);
      ::execlp("moto_server", "moto_server", "-H", "127.0.0.1", "-p", port.c_str(), nullptr);
      ::_exit(127);
    }
    pid_ = pid;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && !PortAnswers(port_)) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (pid_ > 0 && !PortAnswers(port_)) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  if (pid_ <= 0) ADD_FAILURE() << "moto_server did not start on 127.0.0.1 (see /tmp/infra-moto-*.log)";
}

MotoServer::~MotoServer() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGTERM);
    for (int i = 0; i < 40; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ::kill(-pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::string MotoServer::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

void MotoServer::Reset() {
  RunCommand("curl -s -X POST " + endpoint() + "/moto-api/reset");
}

void MotoServer::ExportEnvironment() {
  ::setenv("AWS_ENDPOINT_URL", endpoint().c_str(), 1);
  ::setenv("AWS_ACCESS_KEY_ID", "test", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "test", 1);
  ::setenv("AWS_DEFAULT_REGION", "eu-central-1", 1);
  ::setenv("AWS_CONFIG_FILE", "/dev/null", 1);
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
  ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
  ::setenv("no_proxy", "127.0.0.1,localhost", 1);
  for (const char* v : {"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
                        "AWS_ROLE_SESSION_NAME", "AWS_REGION", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"})
    ::unsetenv(v);
  // Per-service overrides would beat AWS_ENDPOINT_URL: drop any that leaked in.
  std::vector<std::string> drop;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string kv = *e;
    if (kv.rfind("AWS_ENDPOINT_URL_", 0) == 0) drop.push_back(kv.substr(0, kv.find('=')));
  }
  for (const auto& name : drop) ::unsetenv(name.c_str());
}

AwsCliResult AwsCli(const std::string& region, const std::string& args) {
  MotoServer& moto = MotoServer::Shared();
  std::string cmd = "env AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_CONFIG_FILE=/dev/null "
                    "AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= aws --endpoint-url " +
                    moto.endpoint() + " --region " + region + " --output json " + args;
  CommandResult r = RunCommand(cmd);
  AwsCliResult out{r.exit_code, r.out, r.err, {}};
  out.json = ParseLastJsonLine(r.out);
  return out;
}

AwsCliResult Boto3(const std::string& python_code) {
  MotoServer& moto = MotoServer::Shared();
  std::string path = TempPath(".py");
  {
    std::ofstream f(path);
    f << "import json, boto3\nENDPOINT = " << nlohmann::json(moto.endpoint()).dump() << "\n" << python_code << "\n";
  }
  CommandResult r = RunCommand("env AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_CONFIG_FILE=/dev/null "
                               "AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_ENDPOINT_URL=" +
                               moto.endpoint() + " python3 " + ShellQuote(path));
  std::remove(path.c_str());
  AwsCliResult out{r.exit_code, r.out, r.err, {}};
  out.json = ParseLastJsonLine(r.out);
  return out;
}

}  // namespace infra::test
