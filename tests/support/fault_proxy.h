// A fault-injecting HTTP/1.1 proxy for tests, on a free 127.0.0.1 port:
// forwards each request to an upstream on 127.0.0.1 (moto_server) unless a
// scripted fault applies: a canned reply (throttling, 503), a reset
// connection, a delay, a reply whose body is cut short, or a reply lost after
// the upstream acted on it. One request per connection (replies carry
// Connection: close, as moto's do) unless keep-alive is switched on.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace infra::test {

/// What to do with one request.
struct Fault {
  enum class Type {
    kRespond,   // answer with status/content_type/body; never forwarded
    kReset,     // read the request, then reset the connection (RST); never forwarded
    kDelay,     // wait `delay`, then forward
    kCutShort,  // forward, then relay the reply with only `keep_bytes` of its body
    kLoseReply, // forward (the upstream acts), then reset the connection: the reply is lost
    kStallReply,// forward (the upstream acts), then hold the reply for `delay` (or until the client leaves)
  };
  Type type = Type::kRespond;
  int status = 200;
  std::string content_type = "text/xml";
  std::string body;
  std::map<std::string, std::string> headers;
  std::chrono::milliseconds delay{0};
  size_t keep_bytes = 0;
  /// Applies only to a request whose head or body contains this text
  /// ("" = any); other requests are forwarded and leave the fault queued.
  std::string match;
  /// Applies only to a request that is not the first on its connection (a
  /// reused keep-alive connection); other requests leave the fault queued.
  bool only_reused = false;

  /// EC2 `RequestLimitExceeded` (HTTP 503, as EC2 sends it).
  static Fault Ec2Throttle(std::string match = "");
  /// JSON `ThrottlingException` (HTTP 400, X-Amzn-ErrorType header).
  static Fault JsonThrottle(std::string match = "");
  /// A bare 503 Service Unavailable.
  static Fault Unavailable(std::string match = "");
  /// An EC2 quota error (VpcLimitExceeded, HTTP 400).
  static Fault Ec2Quota(std::string match = "");
  static Fault Reset(std::string match = "");
  static Fault Slow(std::chrono::milliseconds delay, std::string match = "");
  static Fault CutShort(size_t keep_bytes, std::string match = "");
  /// Forwards a matching request that arrives on a reused connection, then
  /// resets that connection before any reply byte: the service acted, the
  /// client never hears of it (needs SetKeepAlive(true) to see reuse).
  static Fault LoseReplyOnReuse(std::string match = "");
  /// Forwards a matching request (the service acts on it), then holds the
  /// reply back for `delay`; a client that gives up earlier closes the
  /// connection and the reply is dropped. A call stalled in the network.
  static Fault StallReply(std::chrono::milliseconds delay, std::string match = "");
};

class FaultProxy {
 public:
  /// Listens on 127.0.0.1:<free port> and forwards to 127.0.0.1:upstream_port
  /// (0 = no upstream: requests without a fault get 502).
  explicit FaultProxy(int upstream_port);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  /// http://127.0.0.1:PORT
  std::string endpoint() const;
  int port() const { return port_; }

  /// Appends faults to the queue; each applies to one matching request.
  void Script(std::vector<Fault> faults);
  /// Faults not yet used.
  size_t pending() const;

  /// Requests received so far (all, or those containing `match`).
  int requests(const std::string& match = "") const;
  /// Waits until at least `n` requests containing `match` were forwarded
  /// (stalled replies: the upstream has answered and the reply is held), or
  /// `timeout` passes; whether they were.
  bool WaitForwarded(const std::string& match, int n, std::chrono::milliseconds timeout) const;
  /// Forgets the request log and any queued faults.
  void Clear();

  /// A standing rule besides the queue: every `every`-th request that
  /// contains `match` (1 in 10 for every = 10; 0 = off) gets `fault`, the
  /// others are forwarded. Counts what it answered.
  void SetEveryNth(int every, Fault fault, std::string match = "");
  /// Requests answered by the SetEveryNth rule so far.
  int every_nth_answered() const;

  /// When on, a connection serves many requests: replies (forwarded or
  /// canned) are re-framed with `Connection: keep-alive` and their exact
  /// Content-Length, so an HTTP client reuses the connection. Off by default.
  void SetKeepAlive(bool on) { keep_alive_ = on; }
  /// Connections accepted so far.
  int connections() const;

 private:
  void AcceptLoop();
  void Handle(int fd);
  bool TakeFault(const std::string& request, bool reused, Fault* out);
  std::string Forward(const std::string& request);
  // Answers one request on `fd` (applying a fault); false when the
  // connection is finished (reset, cut short or not keep-alive). Sets
  // `*reset` when the close must send RST.
  bool Serve(int fd, const std::string& request, bool reused, bool* reset);

  int listen_fd_ = -1;
  int port_ = 0;
  int upstream_port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> keep_alive_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::deque<Fault> faults_;
  int every_ = 0, every_seen_ = 0, every_answered_ = 0;
  Fault every_fault_;
  std::string every_match_;
  std::vector<std::string> log_;
  std::vector<std::string> forwarded_;
  mutable std::condition_variable forwarded_cv_;
  std::vector<std::thread> workers_;
};

}  // namespace infra::test
