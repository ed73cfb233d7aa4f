// A scripted HttpTransport for unit tests: replies are queued in order and
// every request is recorded, so tests can count attempts and inspect what
// was signed and sent. Thread-safe.
#pragma once
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "providers/aws/sdk/transport.h"

namespace infra::test {

class ScriptedTransport : public aws::HttpTransport {
 public:
  /// Queues a reply with `status`, `body` and headers (names lower-case).
  void Reply(int status, std::string body, std::map<std::string, std::string> headers = {});
  /// Queues a transport failure with `code` (aws::kTransport*).
  void Fail(const char* code);
  /// Replies still queued.
  size_t pending() const;

  /// Pops the next scripted reply; with none left, a "ScriptExhausted"
  /// transport error (kInternal) so the test fails visibly.
  Result<aws::HttpResponse> Send(const aws::HttpRequest& request) override;

  /// Every request sent so far, in order.
  std::vector<aws::HttpRequest> requests() const;
  size_t calls() const;

  /// The value of header `name` (case-insensitive) in `request`; "" if absent.
  static std::string HeaderOf(const aws::HttpRequest& request, const std::string& name);

 private:
  mutable std::mutex mu_;
  std::deque<Result<aws::HttpResponse>> script_;
  std::vector<aws::HttpRequest> requests_;
};

}  // namespace infra::test
