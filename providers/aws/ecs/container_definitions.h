// ECS container definitions as the stack writes them (a YAML list of maps
// or a JSON string) and as AWS returns them (with its defaults filled in):
// the list RegisterTaskDefinition takes, and AWS's reply without the
// defaults, so it compares equal to a definition that left them out.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace infra::aws::ecs {

/// The containerDefinitions list to send: `value` itself when it is a list,
/// parsed when it is a JSON text (null when neither). Integer and boolean
/// members written as text in YAML ("80", "true") become numbers/booleans.
nlohmann::json ContainerDefinitionsList(const nlohmann::json& value);

/// `returned` (DescribeTaskDefinition's containerDefinitions) without what
/// AWS fills in when it is left out: null members, empty lists and maps,
/// essential true, cpu 0, portMappings protocol "tcp" and (awsvpc / host
/// `network_mode`) a hostPort equal to the containerPort.
nlohmann::json ContainerDefinitionsWithoutDefaults(const nlohmann::json& returned, const std::string& network_mode);

}  // namespace infra::aws::ecs
