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
#include <chrono>
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

// Reads one request (head + Content-Length body) from `fd`, keeping bytes
// after it in `*buffer` for the next one. "" on EOF, error or `stop`.
std::string ReadRequest(int fd, std::string* buffer, const std::atomic<bool>& stop) {
  std::string& data = *buffer;
  char buf[16384];
  while (true) {
    size_t head_end = data.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      size_t total = head_end + 4 + ContentLength(data.substr(0, head_end));
      if (data.size() >= total) {
        std::string request = data.substr(0, total);
        data.erase(0, total);
        return request;
      }
    }
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, 50);
    if (stop) return "";
    if (ready <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return "";
    data.append(buf, static_cast<size_t>(n));
  }
}

// The reply re-framed for a kept-alive connection: exact Content-Length,
// `Connection: keep-alive`. "" when it cannot be (chunked, no head).
std::string KeepAliveReply(const std::string& reply) {
  size_t head_end = reply.find("\r\n\r\n");
  if (head_end == std::string::npos) return "";
  std::string body = reply.substr(head_end + 4);
  std::string out;
  size_t pos = 0;
  bool first = true;
  while (pos < head_end) {
    size_t eol = reply.find("\r\n", pos);
    if (eol == std::string::npos || eol > head_end) eol = head_end;
    std::string line = reply.substr(pos, eol - pos);
    pos = eol + 2;
    std::string lower = Lower(line);
    if (!first && (lower.rfind("connection:", 0) == 0 || lower.rfind("content-length:", 0) == 0)) continue;
    if (lower.rfind("transfer-encoding:", 0) == 0) return "";
    out += line + "\r\n";
    first = false;
  }
  return out + "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: keep-alive\r\n\r\n" + body;
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

// Makes the coming close() send RST instead of FIN.
void ArmReset(int fd) {
  linger l{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
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

Fault Fault::LoseReplyOnReuse(std::string match) {
  Fault f;
  f.type = Type::kLoseReply;
  f.only_reused = true;
  f.match = std::move(match);
  return f;
}

Fault Fault::StallReply(std::chrono::milliseconds delay, std::string match) {
  Fault f;
  f.type = Type::kStallReply;
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

int FaultProxy::connections() const { return connections_.load(); }

bool FaultProxy::WaitForwarded(const std::string& match, int n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return forwarded_cv_.wait_for(lock, timeout, [&] {
    return std::count_if(forwarded_.begin(), forwarded_.end(), [&](const std::string& r) {
             return r.find(match) != std::string::npos;
           }) >= n;
  });
}

void FaultProxy::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.clear();
  log_.clear();
  forwarded_.clear();
}

void FaultProxy::AcceptLoop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard<std::mutex> lock(mu_);
    workers_.emplace_back([this, fd] { Handle(fd); });
  }
}

bool FaultProxy::TakeFault(const std::string& request, bool reused, Fault* out) {
  std::lock_guard<std::mutex> lock(mu_);
  log_.push_back(request);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->only_reused && !reused) continue;
    if (it->match.empty() || request.find(it->match) != std::string::npos) {
      *out = std::move(*it);
      faults_.erase(it);
      return true;
    }
  }
  if (every_ > 0 && (every_match_.empty() || request.find(every_match_) != std::string::npos) &&
      ++every_seen_ % every_ == 0) {
    ++every_answered_;
    *out = every_fault_;
    return true;
  }
  return false;
}

void FaultProxy::SetEveryNth(int every, Fault fault, std::string match) {
  std::lock_guard<std::mutex> lock(mu_);
  every_ = every;
  every_seen_ = 0;
  every_fault_ = std::move(fault);
  every_match_ = std::move(match);
}

int FaultProxy::every_nth_answered() const {
  std::lock_guard<std::mutex> lock(mu_);
  return every_answered_;
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
  {
    std::lock_guard<std::mutex> lock(mu_);
    forwarded_.push_back(request);
  }
  forwarded_cv_.notify_all();
  return reply;
}

void FaultProxy::Handle(int fd) {
  std::string buffer;
  bool reused = false;
  bool reset = false;
  while (true) {
    std::string request = ReadRequest(fd, &buffer, stop_);
    if (request.empty() || !Serve(fd, request, reused, &reset)) break;
    reused = true;
  }
  if (!reset) ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

bool FaultProxy::Serve(int fd, const std::string& request, bool reused, bool* reset) {
  Fault f;
  std::string reply;
  if (!TakeFault(request, reused, &f)) {
    reply = Forward(request);
  } else if (f.type == Fault::Type::kRespond) {
    reply = CannedReply(f);
  } else if (f.type == Fault::Type::kReset) {
    ArmReset(fd);
    *reset = true;
    return false;
  } else if (f.type == Fault::Type::kLoseReply) {
    (void)Forward(request);  // the upstream acts on it; the reply goes nowhere
    ArmReset(fd);
    *reset = true;
    return false;
  } else if (f.type == Fault::Type::kStallReply) {
    reply = Forward(request);
    // Hold the reply; a client that closes its end (readable with EOF) or
    // a stopping proxy ends the stall early and the reply is dropped.
    auto until = std::chrono::steady_clock::now() + f.delay;
    while (!stop_ && std::chrono::steady_clock::now() < until) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) {
        char c;
        if (::recv(fd, &c, 1, MSG_PEEK) <= 0) return false;
      }
    }
    if (stop_) return false;
  } else if (f.type == Fault::Type::kDelay) {
    std::this_thread::sleep_for(f.delay);
    reply = Forward(request);
  } else {  // kCutShort: the upstream did the work; the client gets a truncated body
    reply = Forward(request);
    size_t head_end = reply.find("\r\n\r\n");
    size_t keep = head_end == std::string::npos ? reply.size() : head_end + 4 + f.keep_bytes;
    WriteAll(fd, std::string_view(reply).substr(0, std::min(keep, reply.size())));
    return false;
  }
  if (keep_alive_) {
    std::string framed = KeepAliveReply(reply);
    if (!framed.empty()) return WriteAll(fd, framed);
  }
  WriteAll(fd, reply);
  return false;
}

}  // namespace infra::test
