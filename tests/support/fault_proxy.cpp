// FaultProxy: blocking sockets, one thread per connection (tests make few
// requests). Everything binds and connects to 127.0.0.1 only.
#include "support/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace infra::test {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Content-Length of an HTTP head ("" head -> 0).
size_t ContentLength(const std::string& head) {
  std::string lower = Lower(head);
  size_t pos = lower.find("\r\ncontent-length:");
  if (pos == std::string::npos) return 0;
  return std::strtoul(lower.c_str() + pos + 17, nullptr, 10);
}

// Reads one request (head + Content-Length body). "" on failure.
std::string ReadRequest(int fd) {
  std::string data;
  char buf[16384];
  size_t head_end = std::string::npos;
  while (true) {
    if (head_end == std::string::npos) head_end = data.find("\r\n\r\n");
    if (head_end != std::string::npos && data.size() >= head_end + 4 + ContentLength(data.substr(0, head_end)))
      return data;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return "";
    data.append(buf, static_cast<size_t>(n));
  }
}

std::string ReadToEof(int fd) {
  std::string data;
  char buf[16384];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) data.append(buf, static_cast<size_t>(n));
  return data;
}

std::string StatusText(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

Fault Canned(int status, std::string body) {
  Fault f;
  f.status = status;
  f.content_type = "text/plain";
  f.body = std::move(body);
  return f;
}

std::string CannedReply(const Fault& f) {
  std::string out = "HTTP/1.1 " + std::to_string(f.status) + " " + StatusText(f.status) + "\r\n";
  out += "Content-Type: " + f.content_type + "\r\n";
  for (const auto& [k, v] : f.headers) out += k + ": " + v + "\r\n";
  out += "Content-Length: " + std::to_string(f.body.size()) + "\r\nConnection: close\r\n\r\n" + f.body;
  return out;
}

void ResetConnection(int fd) {
  linger l{1, 0};  // close() now sends RST instead of FIN
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

}  // namespace

Fault Fault::Ec2Throttle(std::string match) {
  Fault f;
  f.status = 503;
  f.body = "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded."
           "</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>";
  f.match = std::move(match);
  return f;
}

Fault Fault::JsonThrottle(std::string match) {
  Fault f;
  f.status = 400;
  f.content_type = "application/x-amz-json-1.1";
  f.headers["X-Amzn-ErrorType"] = "ThrottlingException";
  f.body = R"({"__type":"ThrottlingException","message":"Rate exceeded"})";
  f.match = std::move(match);
  return f;
}

Fault Fault::Unavailable(std::string match) {
  Fault f;
  f.status = 503;
  f.body = "";
  f.match = std::move(match);
  return f;
}

Fault Fault::Ec2Quota(std::string match) {
  Fault f;
  f.status = 400;
  f.body = "<Response><Errors><Error><Code>VpcLimitExceeded</Code><Message>The maximum number of VPCs has "
           "been reached.</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>";
  f.match = std::move(match);
  return f;
}

Fault Fault::Reset(std::string match) {
  Fault f;
  f.type = Type::kReset;
  f.match = std::move(match);
  return f;
}

Fault Fault::Slow(std::chrono::milliseconds delay, std::string match) {
  Fault f;
  f.type = Type::kDelay;
  f.delay = delay;
  f.match = std::move(match);
  return f;
}

Fault Fault::CutShort(size_t keep_bytes, std::string match) {
  Fault f;
  f.type = Type::kCutShort;
  f.keep_bytes = keep_bytes;
  f.match = std::move(match);
  return f;
}

FaultProxy::FaultProxy(int upstream_port) : upstream_port_(upstream_port) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::listen(listen_fd_, 64);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

FaultProxy::~FaultProxy() {
  stop_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
  ::close(listen_fd_);
}

std::string FaultProxy::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

void FaultProxy::Script(std::vector<Fault> faults) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& f : faults) faults_.push_back(std::move(f));
}

size_t FaultProxy::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return faults_.size();
}

int FaultProxy::requests(const std::string& match) const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(std::count_if(log_.begin(), log_.end(), [&](const std::string& r) {
    return match.empty() || r.find(match) != std::string::npos;
  }));
}

void FaultProxy::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.clear();
  log_.clear();
}

void FaultProxy::AcceptLoop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([this, fd] { Handle(fd); });
  }
}

bool FaultProxy::TakeFault(const std::string& request, Fault* out) {
  std::lock_guard<std::mutex> lock(mu_);
  log_.push_back(request);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->match.empty() || request.find(it->match) != std::string::npos) {
      *out = std::move(*it);
      faults_.erase(it);
      return true;
    }
  }
  return false;
}

std::string FaultProxy::Forward(const std::string& request) {
  if (upstream_port_ == 0) return CannedReply(Canned(502, "no upstream"));
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(upstream_port_));
  std::string reply;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && WriteAll(fd, request)) {
    ::shutdown(fd, SHUT_WR);
    reply = ReadToEof(fd);
  }
  ::close(fd);
  if (reply.empty()) return CannedReply(Canned(502, "upstream unreachable"));
  return reply;
}

void FaultProxy::Handle(int fd) {
  std::string request = ReadRequest(fd);
  if (request.empty()) {
    ::close(fd);
    return;
  }
  Fault f;
  if (!TakeFault(request, &f)) {
    WriteAll(fd, Forward(request));
  } else if (f.type == Fault::Type::kRespond) {
    WriteAll(fd, CannedReply(f));
  } else if (f.type == Fault::Type::kReset) {
    ResetConnection(fd);
    return;
  } else if (f.type == Fault::Type::kDelay) {
    std::this_thread::sleep_for(f.delay);
    WriteAll(fd, Forward(request));
  } else {  // kCutShort: the upstream did the work; the client gets a truncated body
    std::string reply = Forward(request);
    size_t head_end = reply.find("\r\n\r\n");
    size_t keep = head_end == std::string::npos ? reply.size() : head_end + 4 + f.keep_bytes;
    WriteAll(fd, std::string_view(reply).substr(0, std::min(keep, reply.size())));
  }
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

}  // namespace infra::test
