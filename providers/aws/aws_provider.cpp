// NewAwsProvider: builds the registry of every AWS resource type. A new
// family adds one Add<Family>Types call to NewAwsProviderWithClient.
#include "providers/aws/aws_provider.h"

#include "providers/aws/appautoscaling/appautoscaling_types.h"
#include "providers/aws/cloudwatch/cloudwatch_types.h"
#include "providers/aws/dynamodb/dynamodb_types.h"
#include "providers/aws/ec2/ec2_types.h"
#include "providers/aws/ecs/ecs_types.h"
#include "providers/aws/ecr/ecr_types.h"
#include "providers/aws/elbv2/elbv2_types.h"
#include "providers/aws/events/events_types.h"
#include "providers/aws/iam/iam_types.h"
#include "providers/aws/logs/logs_types.h"
#include "providers/aws/meta/meta_data_sources.h"
#include "providers/aws/kms/kms_types.h"
#include "providers/aws/lambda/lambda_types.h"
#include "providers/aws/rds/rds_types.h"
#include "providers/aws/secretsmanager/secretsmanager_types.h"
#include "providers/aws/route53/route53_types.h"
#include "providers/aws/s3/s3_types.h"
#include "providers/aws/sns/sns_types.h"
#include "providers/aws/sqs/sqs_types.h"
#include "providers/aws/ssm/ssm_types.h"
#include "providers/aws/sdk/aws_client.h"

namespace infra::aws {

AwsProvider::AwsProvider(std::shared_ptr<AwsClient> client) : client_(std::move(client)) {}
AwsProvider::~AwsProvider() = default;

void AwsProvider::Add(std::unique_ptr<provider::ResourceType> type) {
  std::string name = type->schema().type;
  types_[name] = std::move(type);
}

provider::ResourceType* AwsProvider::Find(std::string_view type) const {
  auto it = types_.find(type);
  return it == types_.end() ? nullptr : it->second.get();
}

std::vector<std::string> AwsProvider::TypeNames() const {
  std::vector<std::string> names;
  names.reserve(types_.size());
  for (const auto& [name, type] : types_) names.push_back(name);
  return names;  // std::map keeps them sorted
}

void AwsProvider::AddData(std::unique_ptr<provider::DataSourceType> type) {
  std::string name = type->schema().type;
  data_types_[name] = std::move(type);
}

provider::DataSourceType* AwsProvider::FindData(std::string_view type) const {
  auto it = data_types_.find(type);
  return it == data_types_.end() ? nullptr : it->second.get();
}

std::vector<std::string> AwsProvider::DataTypeNames() const {
  std::vector<std::string> names;
  names.reserve(data_types_.size());
  for (const auto& [name, type] : data_types_) names.push_back(name);
  return names;
}

int AwsProvider::ServiceConcurrency(const std::string& service) const {
  return client_ ? client_->Concurrency(service) : 32;
}

std::unique_ptr<AwsProvider> NewAwsProviderWithClient(std::shared_ptr<AwsClient> client) {
  auto p = std::make_unique<AwsProvider>(std::move(client));
  AddVpcTypes(*p);
  AddEipNatTypes(*p);
  AddRouteTypes(*p);
  AddSecurityGroupTypes(*p);
  AddPeeringTypes(*p);
  AddIamRoleTypes(*p);
  AddIamPolicyTypes(*p);
  AddIamRolePolicyTypes(*p);
  AddIamOidcProviderTypes(*p);
  AddLogGroupTypes(*p);
  AddEcrRepositoryTypes(*p);
  AddEcrLifecyclePolicyTypes(*p);
  AddEcrReplicationTypes(*p);
  AddS3Types(*p);
  AddRoute53Types(*p);
  AddElbv2LoadBalancerTypes(*p);
  AddElbv2TargetGroupTypes(*p);
  AddElbv2ListenerTypes(*p);
  AddEc2DataSources(*p);
  AddMetaDataSources(*p);
  AddRdsSubnetGroupTypes(*p);
  AddRdsParameterGroupTypes(*p);
  AddRdsClusterTypes(*p);
  AddRdsClusterInstanceTypes(*p);
  AddRdsInstanceTypes(*p);
  AddRdsGlobalClusterTypes(*p);
  AddKmsKeyTypes(*p);
  AddKmsAliasTypes(*p);
  AddSecretTypes(*p);
  AddSecretVersionTypes(*p);
  AddEcsClusterTypes(*p);
  AddEcsTaskDefinitionTypes(*p);
  AddEcsServiceTypes(*p);
  AddAppAutoscalingTargetTypes(*p);
  AddAppAutoscalingPolicyTypes(*p);
  AddDynamoDbTableTypes(*p);
  AddLambdaFunctionTypes(*p);
  AddLambdaPermissionTypes(*p);
  AddLambdaAliasTypes(*p);
  AddEventRuleTypes(*p);
  AddEventTargetTypes(*p);
  AddSnsTopicTypes(*p);
  AddSnsSubscriptionTypes(*p);
  AddMetricAlarmTypes(*p);
  AddDashboardTypes(*p);
  AddSsmParameterTypes(*p);
  AddSqsQueueTypes(*p);
  return p;
}

std::unique_ptr<provider::Provider> NewAwsProvider(const AwsProviderOptions& options) {
  ClientOptions client_options;
  client_options.max_attempts = options.max_attempts;
  client_options.stop = options.stop;
  return NewAwsProviderWithClient(NewAwsClient(client_options));  // no network call yet
}

}  // namespace infra::aws
