// Reads of aws_lambda_function beyond the field table (function_reads.h).
#include "providers/aws/lambda/function_reads.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <utility>

#include "providers/aws/kit/json_tags.h"
#include "providers/aws/lambda/function_config.h"
#include "providers/aws/lambda/lambda_service.h"

namespace infra::aws::lambda {

using provider::Attributes;

namespace {

// Over this many threads at most for one listing's per-function reads.
constexpr size_t kFanOut = 8;

kit::Spec ListingSpec() {
  kit::Spec spec{FunctionSchema(), Service(false), ConfigFields(""), {"CreateFunction", ""}};
  spec.schema.taggable = false;  // tags: Complete, by ListTags
  spec.read = {kit::ReadPolicy::Kind::kIdList, "ListFunctions", "", "Functions", "FunctionName"};
  spec.json.routes = Routes();
  spec.json.page_token = "NextMarker";
  spec.json.hooks.on_read = [](const nlohmann::json& item, const std::string&, Attributes& a) { ReadConfig(item, "", a); };
  return spec;
}

kit::GroupedRead Pages() {
  return {[](const std::vector<std::string>&) { return std::vector<nlohmann::json>{{{"MaxItems", 50}}}; },
          [](const nlohmann::json& item) { return std::vector<std::string>{kit::AttrText(item, "FunctionName")}; }};
}

}  // namespace

Status ReadConcurrency(const kit::JsonCall& call, const std::string& region, const std::string& id, Attributes& a) {
  if (a.contains("reserved_concurrent_executions")) return {};
  auto c = call(region, "GetFunctionConcurrency", {{"FunctionName", id}});
  if (!c.ok() && !kit::IsNotFound(call.service(), c.error())) return c.error();
  a["reserved_concurrent_executions"] = c.ok() ? c->value("ReservedConcurrentExecutions", nlohmann::json()) : nullptr;
  return {};
}

FunctionListing::FunctionListing(std::shared_ptr<AwsClient> client)
    : GroupedReadType(std::move(client), ListingSpec(), Pages()) {}

Status FunctionListing::Complete(const std::string& region, const std::string& id, Attributes& a) {
  auto tags = call()(region, "ListTags", {{"Resource", kit::AttrText(a, "arn")}});
  if (!tags.ok() && !kit::IsNotFound(spec_.service, tags.error())) return tags.error();
  a["tags"] = tags.ok() ? kit::UserTagsOf(kit::TagsFromJson(kit::JsonTagging::Shape::kMap, kit::JsonAt(*tags, "Tags")))
                        : nlohmann::json();
  return ReadConcurrency(call(), region, id, a);
}

Result<std::map<std::string, Attributes>> FunctionListing::Read(const std::string& region,
                                                                const std::vector<std::string>& ids) {
  auto got = GroupedReadType::Read(region, ids);
  if (!got.ok()) return got;
  std::vector<std::pair<const std::string, Attributes>*> found;
  for (auto& entry : *got) found.push_back(&entry);
  std::mutex mu;
  Status failed;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < found.size(); i = next++) {
      Status st = Complete(region, found[i]->first, found[i]->second);
      std::lock_guard lock(mu);
      if (!st.ok()) failed = st;
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < std::min(kFanOut, found.size()); ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (!failed.ok()) return failed.error();
  return got;
}

}  // namespace infra::aws::lambda
