// ScriptedTransport: a queue of canned replies behind a mutex.
#include "fakes/scripted_transport.h"

#include <algorithm>
#include <cctype>

namespace infra::test {

void ScriptedTransport::Reply(int status, std::string body, std::map<std::string, std::string> headers) {
  std::lock_guard<std::mutex> lock(mu_);
  script_.push_back(aws::HttpResponse{status, std::move(headers), std::move(body)});
}

void ScriptedTransport::Fail(const char* code) {
  std::lock_guard<std::mutex> lock(mu_);
  script_.push_back(MakeError(Error::Kind::kTransport, code, std::string("scripted fault ") + code));
}

size_t ScriptedTransport::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return script_.size();
}

Result<aws::HttpResponse> ScriptedTransport::Send(const aws::HttpRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  requests_.push_back(request);
  if (script_.empty()) return MakeError(Error::Kind::kInternal, "ScriptExhausted", "no scripted reply left");
  auto next = std::move(script_.front());
  script_.pop_front();
  return next;
}

std::vector<aws::HttpRequest> ScriptedTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t ScriptedTransport::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

std::string ScriptedTransport::HeaderOf(const aws::HttpRequest& request, const std::string& name) {
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
  };
  for (const auto& [k, v] : request.headers)
    if (lower(k) == lower(name)) return v;
  return "";
}

}  // namespace infra::test
