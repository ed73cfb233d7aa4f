// AWS client benchmarks. Client overhead per call (SigV4 signing, query/JSON
// serialisation, error/reply parsing) with a canned in-process transport,
// and calls/s of cheap operations against a real moto_server from 1 and 16
// threads. The server is started on a free loopback port unless
// INFRA_BENCH_ENDPOINT points at one already running.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <pugixml.hpp>
#include <thread>

#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/protocol_query.h"
#include "providers/aws/sdk/transport.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws {
namespace {

const char kVpcsReply[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?><DescribeVpcsResponse xmlns=\"http://ec2.amazonaws.com/doc/"
    "2016-11-15\"><requestId>r</requestId><vpcSet><item><ownerId>123456789012</ownerId><vpcId>vpc-1</vpcId>"
    "<state>available</state><cidrBlock>10.0.0.0/16</cidrBlock><tagSet><item><key>infra:address</key><value>"
    "aws_vpc.main</value></item></tagSet></item></vpcSet></DescribeVpcsResponse>";

/// Answers every request with the same reply, without a network.
class CannedTransport : public HttpTransport {
 public:
  CannedTransport(int status, std::string body) : status_(status), body_(std::move(body)) {}
  Result<HttpResponse> Send(const HttpRequest&) override {
    return HttpResponse{status_, {{"x-amzn-requestid", "bench"}}, body_};
  }

 private:
  int status_;
  std::string body_;
};

std::shared_ptr<AwsClient> BenchClient(std::shared_ptr<HttpTransport> transport, const std::string& endpoint,
                                       bool rate_limit) {
  ClientSeams seams;
  seams.transport = std::move(transport);
  seams.env = FixedEnvironment({{"AWS_ENDPOINT_URL", endpoint}});
  seams.credentials = NewStaticCredentialsProvider(Credentials{"test", "test", "", std::nullopt, "bench"});
  ClientOptions options;
  options.rate_limit = rate_limit;
  return NewAwsClient(options, std::move(seams));
}

void BM_Ec2QueryOverhead(benchmark::State& state) {
  auto client = BenchClient(std::make_shared<CannedTransport>(200, kVpcsReply), "http://127.0.0.1:1", false);
  for (auto _ : state) {
    QueryParams p;
    AddEc2Filters(p, {{"tag:infra:stack", {"web"}}, {"state", {"available"}}});
    auto r = client->Query("ec2", "eu-west-1", "DescribeVpcs", p);
    pugi::xml_document doc;
    (void)ParseXml(r->body, &doc, "ec2 DescribeVpcs");
    benchmark::DoNotOptimize(XmlText(XmlItems(doc.document_element(), "vpcSet")[0], "vpcId"));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ec2QueryOverhead);

void BM_JsonCallOverhead(benchmark::State& state) {
  auto client = BenchClient(std::make_shared<CannedTransport>(200, R"({"clusterArns":["arn:aws:ecs:x:1:cluster/a"]})"),
                            "http://127.0.0.1:1", false);
  nlohmann::json body = {{"maxResults", 100}};
  for (auto _ : state) benchmark::DoNotOptimize(client->Json("ecs", "eu-west-1", "ListClusters", body));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JsonCallOverhead);

void BM_ErrorParseOverhead(benchmark::State& state) {
  auto client = BenchClient(
      std::make_shared<CannedTransport>(
          400, "<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>x</Message></Error></Errors>"
               "<RequestID>r</RequestID></Response>"),
      "http://127.0.0.1:1", false);
  for (auto _ : state) benchmark::DoNotOptimize(client->Query("ec2", "eu-west-1", "DescribeVpcs", {}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ErrorParseOverhead);

// ---- against moto_server ----

std::string g_endpoint;
pid_t g_moto = -1;

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

const std::string& MotoEndpoint() {
  if (!g_endpoint.empty()) return g_endpoint;
  if (const char* e = std::getenv("INFRA_BENCH_ENDPOINT")) {
    g_endpoint = e;
  } else {
    int port = FreePort();
    g_moto = ::fork();
    if (g_moto == 0) {
      int null_fd = ::open("/dev/null", O_WRONLY);
      ::dup2(null_fd, 1);
      ::dup2(null_fd, 2);
      ::execlp("moto_server", "moto_server", "-H", "127.0.0.1", "-p", std::to_string(port).c_str(), nullptr);
      ::_exit(127);
    }
    g_endpoint = "http://127.0.0.1:" + std::to_string(port);
  }
  auto probe = BenchClient(NewCurlTransport({}), g_endpoint, false);
  for (int i = 0; i < 300; ++i) {
    if (probe->Query("sts", "eu-west-1", "GetCallerIdentity", {}).ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Warm up: moto creates a region's default VPC on its first EC2 call (seconds).
  (void)probe->Query("ec2", "eu-west-1", "DescribeVpcs", {});
  std::atexit([] {
    if (g_moto > 0) {
      ::kill(g_moto, SIGTERM);
      ::waitpid(g_moto, nullptr, 0);
    }
  });
  return g_endpoint;
}

// Shared by all benchmark threads; function statics initialise once, thread-safely.
AwsClient& MotoClient() {
  static auto client = BenchClient(NewCurlTransport({}), MotoEndpoint(), false);
  return *client;
}
AwsClient& LimitedMotoClient() {
  static auto client = BenchClient(NewCurlTransport({}), MotoEndpoint(), true);
  return *client;
}

void BM_MotoGetCallerIdentity(benchmark::State& state) {
  AwsClient& client = MotoClient();
  int64_t failures = 0;
  for (auto _ : state)
    if (!client.Query("sts", "eu-west-1", "GetCallerIdentity", {}).ok()) ++failures;
  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures);
}
BENCHMARK(BM_MotoGetCallerIdentity)->Threads(1)->Threads(16)->UseRealTime()->MinTime(3);

void BM_MotoDescribeVpcs(benchmark::State& state) {
  AwsClient& client = MotoClient();
  int64_t failures = 0;
  for (auto _ : state)
    if (!client.Query("ec2", "eu-west-1", "DescribeVpcs", {}).ok()) ++failures;
  state.SetItemsProcessed(state.iterations());
  state.counters["failures"] = static_cast<double>(failures);
}
BENCHMARK(BM_MotoDescribeVpcs)->Threads(1)->Threads(16)->UseRealTime()->MinTime(3);

// The same with the default adaptive rate limiter (EC2 starts at 20 calls/s
// per operation and region and grows by 0.5/s per success).
void BM_MotoDescribeVpcsRateLimited(benchmark::State& state) {
  AwsClient& client = LimitedMotoClient();
  for (auto _ : state) benchmark::DoNotOptimize(client.Query("ec2", "eu-west-1", "DescribeVpcs", {}));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MotoDescribeVpcsRateLimited)->Threads(16)->UseRealTime()->MinTime(3);

}  // namespace
}  // namespace infra::aws

BENCHMARK_MAIN();
