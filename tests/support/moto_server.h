// A real moto_server for integration tests: one per test process, on a free
// 127.0.0.1 port, started on first use and stopped at process exit. Also
// runs the independent clients (AWS CLI, python3/boto3) against it.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace infra::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;   // stdout
  std::string err;   // stderr
};

/// Runs `command` through /bin/sh, capturing stdout and stderr.
CommandResult RunCommand(const std::string& command);

/// Quotes a string for /bin/sh.
std::string ShellQuote(const std::string& s);

class MotoServer {
 public:
  /// The process-wide server; starts it on first call. Fails the current
  /// test loudly (ADD_FAILURE + abort of the fixture) when moto_server is
  /// missing or does not come up within 30 s.
  static MotoServer& Shared();

  /// http://127.0.0.1:PORT
  std::string endpoint() const;
  int port() const { return port_; }
  bool running() const { return pid_ > 0; }

  /// POST /moto-api/reset: forgets every resource in every region.
  void Reset();

  /// Points this process (and children it starts) at the server:
  /// AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID/SECRET=test, AWS_DEFAULT_REGION,
  /// and removes AWS_PROFILE, AWS_SESSION_TOKEN, web-identity variables and
  /// per-service endpoint overrides. Also sets AWS_CONFIG_FILE and
  /// AWS_SHARED_CREDENTIALS_FILE to /dev/null so ~/.aws never leaks in.
  void ExportEnvironment();

  ~MotoServer();

 private:
  MotoServer() = default;
  void Start();
  int port_ = 0;
  int pid_ = -1;
};

/// Runs `aws --endpoint-url <moto> --region <region> --output json <args>`
/// with test credentials. `json` holds the parsed stdout (null when empty or
/// not JSON).
struct AwsCliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  nlohmann::json json;
};
AwsCliResult AwsCli(const std::string& region, const std::string& args);

/// Runs a python3 snippet with boto3 available and the environment pointing
/// at moto (`ENDPOINT` and `boto3` are predefined in the snippet's globals).
/// Returns the parsed JSON the snippet prints on its last stdout line.
AwsCliResult Boto3(const std::string& python_code);

}  // namespace infra::test
