// FakeStack: a tiny configuration for planner/executor tests without the
// stack parser. Attribute values are Values; a string "ref:ADDRESS#ATTR" is
// a reference (an edge, and unknown until ADDRESS's ATTR is known).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "engine/state_port.h"

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

  std::vector<engine::ConfigResource> Resources() const;
  engine::AttributeEvaluator Evaluator() const;
  std::map<std::string, std::string> regions = {{"primary", "eu-central-1"}, {"dr", "eu-west-1"}};
  std::vector<std::string> region_order = {"primary", "dr"};

 private:
  std::vector<std::string> order_;
  std::map<std::string, engine::ConfigResource> config_;
  std::map<std::string, std::map<std::string, engine::Value>> attributes_;
};

}  // namespace infra::test
