// FakeStack: a tiny configuration for planner/executor tests without the
// stack parser. Attribute and output values are Values; a string
// "ref:ADDRESS#ATTR" is a reference (an edge, and unknown until ADDRESS's
// ATTR is known).
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/plan/state_port.h"

namespace infra::test {

class FakeStack {
 public:
  /// Adds a resource; depends_on is derived from references (+ `extra`).
  engine::ConfigResource& Add(const std::string& address, const std::string& type, const std::string& region_alias,
                              std::map<std::string, engine::Value> attributes,
                              std::vector<std::string> extra_depends_on = {});
  /// Replaces one attribute of an existing resource.
  void Set(const std::string& address, const std::string& attribute, engine::Value value);
  void Remove(const std::string& address);

  /// Declares (or replaces) a root output: a value or a "ref:ADDRESS#ATTR"
  /// reference; `sensitive` marks it as a declared-sensitive output does.
  void AddOutput(const std::string& name, engine::Value value, bool sensitive = false);
  void RemoveOutput(const std::string& name);

  std::vector<engine::ConfigResource> Resources() const;
  engine::AttributeEvaluator Evaluator() const;
  /// Evaluates the declared outputs as Stack::EvaluateOutputs does.
  engine::OutputEvaluator OutputEvaluator() const;
  std::map<std::string, std::string> regions = {{"primary", "eu-central-1"}, {"dr", "eu-west-1"}};
  std::vector<std::string> region_order = {"primary", "dr"};

 private:
  std::vector<std::string> order_;
  std::map<std::string, engine::ConfigResource> config_;
  std::map<std::string, std::map<std::string, engine::Value>> attributes_;
  std::map<std::string, std::pair<engine::Value, bool>> outputs_;  // name -> (value, sensitive)
};

}  // namespace infra::test
