// Cost of signing one request (SigV4, header mode) and of fetching cached
// credentials: the per-call auth overhead of the AWS client.
#include <benchmark/benchmark.h>

#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/sigv4.h"

namespace infra::aws {
namespace {

Credentials BenchCreds() {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "SESSIONTOKEN", std::nullopt, "bench"};
}

void BM_SignEc2Query(benchmark::State& state) {
  SigV4Signer signer("eu-west-1", "ec2");
  Credentials creds = BenchCreds();
  for (auto _ : state) {
    SigningRequest r;
    r.method = "POST";
    r.headers = {{"host", "ec2.eu-west-1.amazonaws.com"},
                 {"content-type", "application/x-www-form-urlencoded; charset=utf-8"}};
    r.body = "Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-0123456789abcdef0";
    auto res = signer.SignHeaders(r, creds, std::chrono::system_clock::now());
    benchmark::DoNotOptimize(res);
  }
}
BENCHMARK(BM_SignEc2Query);

void BM_SignS3Put64KiB(benchmark::State& state) {
  SigV4Signer signer("eu-west-1", "s3", SigningOptions::ForService("s3"));
  Credentials creds = BenchCreds();
  std::string body(64 * 1024, 'x');
  for (auto _ : state) {
    SigningRequest r;
    r.method = "PUT";
    r.path = "/bucket/some/key.txt";
    r.headers = {{"host", "s3.eu-west-1.amazonaws.com"}, {"content-type", "text/plain"}};
    r.body = body;
    auto res = signer.SignHeaders(r, creds, std::chrono::system_clock::now());
    benchmark::DoNotOptimize(res);
  }
}
BENCHMARK(BM_SignS3Put64KiB);

void BM_CachedCredentialsGet(benchmark::State& state) {
  auto provider = NewStaticCredentialsProvider(BenchCreds());
  for (auto _ : state) {
    auto c = provider->Get();
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_CachedCredentialsGet)->Threads(1)->Threads(8);

}  // namespace
}  // namespace infra::aws

BENCHMARK_MAIN();
