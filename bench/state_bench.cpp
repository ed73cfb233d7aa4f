// State store benchmark: a state of 100,000 resources with realistic
// attribute objects (~1.5 KB JSON each, one sensitive attribute in ten):
// open + load everything, one PutResource (one transaction), file size.
// Run: build/bench/state_bench [--resources=N] [--db=PATH (kept, populated only if
// missing)] [--once | --once-deferred (one load in a fresh process)]; figures in
// bench/README.md.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "state/store.h"

namespace {

using infra::Result;
using infra::state::ResourceRecord;
using infra::state::StateStore;

int g_resources = 100000;
std::string g_dir;
std::string g_path;
bool g_reuse = false;
bool g_once = false;   // --once: one open + load in this fresh process, then exit
bool g_once_deferred = false;  // --once-deferred: the same with AttributeDecoding::kDeferred  // --db=PATH: keep the database at PATH (populated once)

// An aws_instance-like attribute object of about 1.5 KB.
ResourceRecord MakeResource(int i) {
  ResourceRecord r;
  std::string n = std::to_string(i);
  r.address = fmt::format("module.app_{}.aws_instance.web[\"{}\"]", i % 50, i);
  r.type = "aws_instance";
  r.region = i % 2 ? "eu-west-1" : "eu-central-1";
  r.region_alias = i % 2 ? "dr" : "primary";
  r.id = fmt::format("i-{:017x}", 0x1000000 + i);
  r.attributes = {
      {"id", r.id},
      {"arn", fmt::format("arn:aws:ec2:{}:123456789012:instance/{}", r.region, r.id)},
      {"ami", "ami-0abcdef1234567890"},
      {"instance_type", "m6i.large"},
      {"availability_zone", r.region + "a"},
      {"subnet_id", fmt::format("subnet-{:017x}", i % 97)},
      {"vpc_security_group_ids", {fmt::format("sg-{:017x}", i % 13), fmt::format("sg-{:017x}", i % 7)}},
      {"private_ip", fmt::format("10.{}.{}.{}", i % 256, (i / 256) % 256, i % 250 + 4)},
      {"private_dns", fmt::format("ip-10-{}-{}.{}.compute.internal", i % 256, i % 250, r.region)},
      {"public_ip", nullptr},
      {"key_name", "deploy"},
      {"monitoring", true},
      {"ebs_optimized", true},
      {"root_block_device",
       {{{"volume_size", 50}, {"volume_type", "gp3"}, {"iops", 3000}, {"throughput", 125}, {"encrypted", true},
         {"kms_key_id", fmt::format("arn:aws:kms:{}:123456789012:key/0000-{}", r.region, n)}}}},
      {"metadata_options", {{"http_tokens", "required"}, {"http_endpoint", "enabled"}, {"http_put_response_hop_limit", 2}}},
      {"iam_instance_profile", "app-instance-profile"},
      {"user_data", std::string(420, 'u')},
      {"tags",
       {{"Name", "web-" + n}, {"team", "platform"}, {"env", "production"}, {"cost-center", "cc-1234"},
        {"owner", "platform-team@example.com"}, {"service", "checkout"}}},
      {"cpu_core_count", 1},
      {"cpu_threads_per_core", 2},
  };
  if (i % 10 == 0) {
    r.attributes["password_data"] = "secret-" + n;
    r.sensitive_attributes = {"password_data"};
  }
  r.dependencies = {fmt::format("module.app_{}.aws_security_group.web", i % 50),
                    fmt::format("module.app_{}.aws_subnet.private[\"a\"]", i % 50)};
  r.schema_version = 1;
  return r;
}

void Populate() {
  static bool done = false;
  if (done) return;
  done = true;
  if (g_reuse && std::filesystem::exists(g_path)) return;
  auto store = StateStore::Open(g_path, {.stack = "bench"});
  if (!store) {
    fmt::print(stderr, "open: {}\n", store.error().ToString());
    std::exit(1);
  }
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < g_resources; ++i)
    if (auto s = (*store)->PutResource(MakeResource(i)); !s) std::exit(1);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  (void)(*store)->Close();
  fmt::print(stderr, "populated {} resources in {:.1f}s ({:.0f} us per PutResource); {:.1f} KB JSON each\n",
             g_resources, secs, secs * 1e6 / g_resources, MakeResource(1).attributes.dump().size() / 1024.0);
}

void BM_OpenAndLoadAll(benchmark::State& state) {
  Populate();
  size_t count = 0;
  for (auto _ : state) {
    auto store = StateStore::Open(g_path);
    auto all = (*store)->LoadResources();
    if (!all) state.SkipWithError(all.error().ToString().c_str());
    count = all->size();
    benchmark::DoNotOptimize(all->data());
    state.PauseTiming();  // freeing 100,000 attribute trees is not part of loading
    all = std::vector<ResourceRecord>();
    store->reset();
    state.ResumeTiming();
  }
  state.counters["resources"] = static_cast<double>(count);
  auto bytes = std::filesystem::file_size(g_path);
  state.counters["db_MB"] = bytes / 1e6;
  state.counters["bytes_per_resource"] = static_cast<double>(bytes) / count;
}

void BM_PutResource(benchmark::State& state) {
  Populate();
  auto store = StateStore::Open(g_path);
  std::vector<double> micros;
  int i = 0;
  for (auto _ : state) {
    ResourceRecord r = MakeResource(i++ % g_resources);
    r.attributes["tags"]["touched"] = std::to_string(i);
    auto start = std::chrono::steady_clock::now();
    auto s = (*store)->PutResource(r);
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    if (!s) state.SkipWithError(s.error().ToString().c_str());
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[micros.size() * 99 / 100];
}

// What `infra state list` does: every row, secrets decrypted, attribute
// objects kept as JSON text (AttributeDecoding::kDeferred).
void BM_OpenAndLoadAllDeferred(benchmark::State& state) {
  Populate();
  size_t count = 0, bytes = 0;
  for (auto _ : state) {
    auto store = StateStore::Open(g_path);
    auto all = (*store)->LoadResources(infra::state::AttributeDecoding::kDeferred);
    if (!all) state.SkipWithError(all.error().ToString().c_str());
    count = all->size();
    bytes = 0;
    for (const auto& r : *all) bytes += r.attributes_json.size();
    state.PauseTiming();
    all = std::vector<ResourceRecord>();
    store->reset();
    state.ResumeTiming();
  }
  state.counters["resources"] = static_cast<double>(count);
  state.counters["attribute_MB"] = bytes / 1e6;
}

BENCHMARK(BM_OpenAndLoadAll)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_OpenAndLoadAllDeferred)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_PutResource)->Unit(benchmark::kMicrosecond)->Iterations(2000);

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--resources=", 12) == 0) g_resources = std::atoi(argv[i] + 12);
    else if (std::strncmp(argv[i], "--db=", 5) == 0) g_path = argv[i] + 5, g_reuse = true;
    else if (std::strcmp(argv[i], "--once") == 0) g_once = true;
    else if (std::strcmp(argv[i], "--once-deferred") == 0) g_once = g_once_deferred = true;
    else rest.push_back(argv[i]);
  }
  ::setenv("INFRA_STATE_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 0);
  std::string tmpl = (std::filesystem::temp_directory_path() / "infra-state-bench-XXXXXX").string();
  g_dir = ::mkdtemp(tmpl.data());
  if (!g_reuse) g_path = g_dir + "/bench.db";
  if (g_once) {  // one open + full load in a fresh process, as `infra plan` does it
    Populate();
    auto start = std::chrono::steady_clock::now();
    auto store = StateStore::Open(g_path);
    auto decoding = g_once_deferred ? infra::state::AttributeDecoding::kDeferred : infra::state::AttributeDecoding::kFull;
    auto all = store.ok() ? (*store)->LoadResources(decoding) : Result<std::vector<ResourceRecord>>(store.error());
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!all) {
      fmt::print(stderr, "load: {}\n", all.error().ToString());
      return 1;
    }
    fmt::print("open + load of {} resources ({}) in one fresh process: {:.0f} ms\n", all->size(),
               g_once_deferred ? "attributes kept as JSON text" : "attributes decoded", ms);
    std::fflush(stdout);
    std::_Exit(0);  // not timing the teardown either way
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::filesystem::remove_all(g_dir);
  return 0;
}
