// Golden wire fixtures: the exact wire form of the calls a ScriptedAwsClient
// recorded (JSON: X-Amz-Target and body; REST: method, path, query, headers
// and body; query: action and parameters), compared with a scenario of
// tests/data/aws/wire/<type>.json. INFRA_UPDATE_GOLDEN=1 writes the scenario
// instead (review the diff before committing it). Header-only: the target
// prefix comes from the client's service table, which only AWS tests link.
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "fakes/scripted_aws_client.h"
#include "providers/aws/sdk/endpoints.h"
#include "test_paths.h"

namespace infra::test {

/// The wire form of each call, as the fixtures hold it.
inline nlohmann::json WireOf(const std::vector<ScriptedAwsClient::Call>& calls) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : calls) {
    nlohmann::json w;
    if (c.protocol == ScriptedAwsClient::Call::Protocol::kJson) {
      const aws::ServiceInfo* info = aws::FindService(c.service);
      w["target"] = (info ? info->target_prefix : c.service) + "." + c.action;
      w["body"] = c.body;
    } else if (c.protocol == ScriptedAwsClient::Call::Protocol::kRest) {
      w["operation"] = c.action;
      w["request"] = c.rest.method + " " + c.rest.path;
      if (!c.rest.query.empty()) w["query"] = c.rest.query;
      if (!c.rest.headers.empty()) w["headers"] = c.rest.headers;
      if (!c.rest.body.empty())
        w["body"] = nlohmann::json::accept(c.rest.body) ? nlohmann::json::parse(c.rest.body) : nlohmann::json(c.rest.body);
    } else {
      w["action"] = c.action;
      w["params"] = c.params;
    }
    if (!c.idempotent) w["idempotent"] = false;
    out.push_back(std::move(w));
  }
  return out;
}

/// Whether `calls` are scenario `scenario` of tests/data/aws/wire/<file>.json.
inline ::testing::AssertionResult MatchesGolden(const std::vector<ScriptedAwsClient::Call>& calls,
                                                const std::string& file, const std::string& scenario) {
  const std::string path = DataDir() + "/aws/wire/" + file + ".json";
  nlohmann::json fixture = nlohmann::json::object();
  if (std::ifstream in(path); in) {
    std::stringstream ss;
    ss << in.rdbuf();
    fixture = nlohmann::json::parse(ss.str(), nullptr, false);
    if (fixture.is_discarded()) return ::testing::AssertionFailure() << path << " is not valid JSON";
  }
  nlohmann::json got = WireOf(calls);
  if (const char* u = std::getenv("INFRA_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    fixture[scenario] = got;
    std::ofstream(path) << fixture.dump(2) << "\n";
    return ::testing::AssertionSuccess();
  }
  if (!fixture.contains(scenario))
    return ::testing::AssertionFailure() << path << " has no scenario '" << scenario << "'; got:\n" << got.dump(2);
  if (fixture[scenario] != got)
    return ::testing::AssertionFailure() << "wire of '" << scenario << "' differs from " << path << "\nwant:\n"
                                         << fixture[scenario].dump(2) << "\ngot:\n" << got.dump(2);
  return ::testing::AssertionSuccess();
}

}  // namespace infra::test
