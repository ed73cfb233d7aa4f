// The libcurl transport against the loopback fault proxy (canned replies,
// no upstream): status/headers/body, and each network fault mapped to the
// transport error code the retry policy relies on.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "providers/aws/sdk/transport.h"
#include "support/fault_proxy.h"

namespace infra::aws {
namespace {

using test::Fault;
using test::FaultProxy;

HttpRequest Post(const FaultProxy& proxy, std::string body = "Action=X") {
  HttpRequest r;
  r.method = "POST";
  r.url = proxy.endpoint() + "/";
  r.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  r.body = std::move(body);
  return r;
}

TEST(CurlTransportTest, ReturnsStatusHeadersAndBody) {
  FaultProxy proxy(0);
  Fault f;
  f.status = 400;
  f.headers["X-Amzn-RequestId"] = "abc";
  f.body = "<Response/>";
  proxy.Script({f});
  auto t = NewCurlTransport({});
  auto r = t->Send(Post(proxy, "Action=DescribeVpcs"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->headers["x-amzn-requestid"], "abc");
  EXPECT_EQ(r->headers["content-type"], "text/xml");
  EXPECT_EQ(r->body, "<Response/>");
  EXPECT_EQ(proxy.requests("Action=DescribeVpcs"), 1);
}

TEST(CurlTransportTest, MethodsWithAndWithoutBodies) {
  FaultProxy proxy(0);
  for (int i = 0; i < 4; ++i) proxy.Script({Fault{}});
  auto t = NewCurlTransport({});
  for (const char* method : {"GET", "PUT", "DELETE", "HEAD"}) {
    HttpRequest r;
    r.method = method;
    r.url = proxy.endpoint() + "/bucket?versioning";
    if (std::string(method) == "PUT") r.body = "<VersioningConfiguration/>";
    auto resp = t->Send(r);
    ASSERT_TRUE(resp.ok()) << method << ": " << resp.error().ToString();
    EXPECT_EQ(resp->status, 200);
    EXPECT_EQ(proxy.requests(std::string(method) + " /bucket?versioning HTTP/1.1"), 1) << method;
  }
  EXPECT_EQ(proxy.requests("<VersioningConfiguration/>"), 1);
}

TEST(CurlTransportTest, ResetAfterSendIsConnectionReset) {
  FaultProxy proxy(0);
  proxy.Script({Fault::Reset()});
  auto r = NewCurlTransport({})->Send(Post(proxy));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kTransport);
  EXPECT_EQ(r.error().code, kTransportReset);
}

TEST(CurlTransportTest, TruncatedBodyIsCutShort) {
  FaultProxy proxy(0);  // no upstream: the 502 "no upstream" reply gets truncated
  proxy.Script({Fault::CutShort(3)});
  auto r = NewCurlTransport({})->Send(Post(proxy));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kTransportCutShort);
}

TEST(CurlTransportTest, NothingListeningIsNotSent) {
  int port;
  {
    FaultProxy closed(0);
    port = closed.port();
  }
  HttpRequest r;
  r.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  auto resp = NewCurlTransport({})->Send(r);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.error().code, kTransportNotSent);
}

// Issue 10 item 8: once the interrupt flag is set, a call stalled waiting
// for its reply is abandoned after the grace (the service may have acted:
// CallAbandoned), and a call started after the grace is not sent at all.
TEST(CurlTransportTest, InterruptAbandonsAStalledCallAfterTheGrace) {
  FaultProxy proxy(0);
  proxy.Script({Fault::StallReply(std::chrono::seconds(30))});
  std::atomic<bool> stop{true};
  CurlTransportOptions options;
  options.stop = &stop;
  options.stop_grace_ms = 200;
  auto t = NewCurlTransport(options);
  auto r = t->Send(Post(proxy, "Action=Stalled"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, Error::Kind::kTransport);
  EXPECT_EQ(r.error().code, kTransportAbandoned) << r.error().ToString();
  EXPECT_EQ(proxy.requests("Action=Stalled"), 1);
  auto next = t->Send(Post(proxy, "Action=Later"));
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code, kTransportNotSent) << next.error().ToString();
  EXPECT_EQ(proxy.requests("Action=Later"), 0);
}

TEST(CurlTransportTest, SlowReplyHitsTotalTimeout) {
  FaultProxy proxy(0);
  proxy.Script({Fault::Slow(std::chrono::milliseconds(1500))});
  CurlTransportOptions options;
  options.total_timeout_ms = 300;
  auto r = NewCurlTransport(options)->Send(Post(proxy));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kTransportTimeout);
}

TEST(CurlTransportTest, SharedAcrossThreads) {
  FaultProxy proxy(0);
  std::vector<Fault> faults(32);
  proxy.Script(faults);
  auto t = NewCurlTransport({});
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 4; ++j)
        if (auto r = t->Send(Post(proxy)); r.ok() && r->status == 200) ++ok;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 32);
  EXPECT_EQ(proxy.requests(), 32);
}

// A keep-alive proxy: the first request opens the connection, the second
// (on the reused connection) is acted on and its reply lost. libcurl would
// re-send it on a fresh connection; a non-idempotent request must not be.
TEST(CurlTransportTest, LostReplyOnReusedConnectionIsNotResentWhenNotIdempotent) {
  FaultProxy proxy(0);
  proxy.SetKeepAlive(true);
  proxy.Script({Fault{}, Fault::LoseReplyOnReuse("Action=CreateVpc")});
  auto t = NewCurlTransport({});
  ASSERT_TRUE(t->Send(Post(proxy, "Action=DescribeVpcs")).ok());
  HttpRequest create = Post(proxy, "Action=CreateVpc");
  create.idempotent = false;
  auto r = t->Send(create);
  ASSERT_FALSE(r.ok()) << "status " << r->status;
  EXPECT_EQ(r.error().kind, Error::Kind::kTransport);
  EXPECT_EQ(r.error().code, kTransportReset);
  EXPECT_NE(r.error().message.find("not re-sent"), std::string::npos) << r.error().message;
  EXPECT_EQ(proxy.requests("Action=CreateVpc"), 1);
  EXPECT_EQ(proxy.pending(), 0u);
}

TEST(CurlTransportTest, LostReplyOnReusedConnectionIsResentWhenIdempotent) {
  FaultProxy proxy(0);
  proxy.SetKeepAlive(true);
  Fault second;
  second.body = "<again/>";
  proxy.Script({Fault{}, Fault::LoseReplyOnReuse("Action=DescribeVpcs"), second});
  auto t = NewCurlTransport({});
  ASSERT_TRUE(t->Send(Post(proxy, "Action=DescribeVpcs")).ok());
  auto r = t->Send(Post(proxy, "Action=DescribeVpcs"));
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->body, "<again/>");
  EXPECT_EQ(proxy.requests("Action=DescribeVpcs"), 3);
}

TEST(CurlTransportTest, KeepAliveProxyServesManyRequestsOnOneConnection) {
  FaultProxy proxy(0);
  proxy.SetKeepAlive(true);
  proxy.Script(std::vector<Fault>(3));
  auto t = NewCurlTransport({});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(t->Send(Post(proxy)).ok());
  EXPECT_EQ(proxy.connections(), 1);
}

}  // namespace
}  // namespace infra::aws
