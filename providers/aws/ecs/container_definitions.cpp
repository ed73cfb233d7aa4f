// Container definitions (see container_definitions.h). The defaults are the
// ones AWS (and moto) fill into RegisterTaskDefinition's containers.
#include "providers/aws/ecs/container_definitions.h"

#include <set>

namespace infra::aws::ecs {
namespace {

const std::set<std::string>& IntegerKeys() {
  static const std::set<std::string> k = {"containerPort", "hostPort", "cpu", "memory", "memoryReservation",
                                          "interval", "timeout", "retries", "startPeriod", "startTimeout",
                                          "stopTimeout", "softLimit", "hardLimit", "size", "sizeInMiB"};
  return k;
}
const std::set<std::string>& BoolKeys() {
  static const std::set<std::string> k = {"essential", "privileged", "readonlyRootFilesystem", "interactive",
                                          "pseudoTerminal", "disableNetworking", "initProcessEnabled", "readOnly"};
  return k;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

// YAML text that AWS wants as a number or a boolean, by member name.
void Typed(nlohmann::json& v) {
  if (v.is_array())
    for (auto& e : v) Typed(e);
  if (!v.is_object()) return;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it->is_string()) {
      const std::string s = it->get<std::string>();
      if (IntegerKeys().count(it.key()) && AllDigits(s)) *it = std::stoll(s);
      else if (BoolKeys().count(it.key()) && (s == "true" || s == "false")) *it = s == "true";
    } else {
      Typed(*it);
    }
  }
}

bool Empty(const nlohmann::json& v) { return v.is_null() || ((v.is_array() || v.is_object()) && v.empty()); }

// Null members and empty lists/maps, at every level.
void DropEmpty(nlohmann::json& v) {
  if (v.is_array())
    for (auto& e : v) DropEmpty(e);
  if (!v.is_object()) return;
  for (auto it = v.begin(); it != v.end();) {
    DropEmpty(*it);
    it = Empty(*it) ? v.erase(it) : std::next(it);
  }
}

}  // namespace

nlohmann::json ContainerDefinitionsList(const nlohmann::json& value) {
  nlohmann::json list = value;
  if (value.is_string()) list = nlohmann::json::parse(value.get<std::string>(), nullptr, /*allow_exceptions=*/false);
  if (list.is_object()) list = nlohmann::json::array({list});
  if (!list.is_array()) return nullptr;
  Typed(list);
  return list;
}

nlohmann::json ContainerDefinitionsWithoutDefaults(const nlohmann::json& returned, const std::string& network_mode) {
  if (!returned.is_array()) return nullptr;
  bool host_is_container = network_mode == "awsvpc" || network_mode == "host";
  nlohmann::json out = nlohmann::json::array();
  for (nlohmann::json c : returned) {
    if (!c.is_object()) continue;
    if (c.contains("essential") && c["essential"] == true) c.erase("essential");
    if (c.contains("cpu") && c["cpu"] == 0) c.erase("cpu");
    if (c.contains("portMappings") && c["portMappings"].is_array())
      for (auto& p : c["portMappings"]) {
        if (!p.is_object()) continue;
        if (p.contains("protocol") && p["protocol"] == "tcp") p.erase("protocol");
        if (host_is_container && p.contains("hostPort") && p.contains("containerPort") && p["hostPort"] == p["containerPort"])
          p.erase("hostPort");
      }
    DropEmpty(c);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace infra::aws::ecs
