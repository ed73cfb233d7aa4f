// `infra whoami [--region R] [--profile P] [--json]`: which AWS identity the
// engine would act as (STS GetCallerIdentity) and which credential source
// won. The first thing to run in a new CI job.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "engine/cli/cli.h"
#include "providers/aws/sdk/aws_client.h"
#include "providers/aws/sdk/credentials.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::cli {
namespace {

struct WhoamiFlags {
  std::string region;
  std::string profile;
  bool json = false;
};

int RunWhoami(const WhoamiFlags& flags) {
  aws::ClientOptions options;
  options.profile = flags.profile;
  auto client = aws::NewAwsClient(options);
  std::string region = flags.region;
  if (region.empty()) {
    aws::ChainContext ctx;
    ctx.profile = flags.profile;
    region = aws::ResolveRegion(ctx).value_or("us-east-1");
  }
  auto source = client->CredentialSource();
  if (!source.ok()) {
    std::fprintf(stderr, "infra whoami: %s\n", source.error().ToString().c_str());
    return 1;
  }
  auto reply = client->Query("sts", region, "GetCallerIdentity", {});
  pugi::xml_document doc;
  Status parsed = reply.ok() ? aws::ParseXml(reply->body, &doc, "sts GetCallerIdentity") : Status(reply.error());
  if (!parsed.ok()) {
    std::fprintf(stderr, "infra whoami: %s\n", parsed.error().ToString().c_str());
    return 1;
  }
  pugi::xml_node result = aws::XmlFind(doc, "GetCallerIdentityResult");
  nlohmann::json out = {{"account", aws::XmlText(result, "Account")},
                        {"arn", aws::XmlText(result, "Arn")},
                        {"user_id", aws::XmlText(result, "UserId")},
                        {"credential_source", *source},
                        {"region", region}};
  if (flags.json) {
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("Account:           %s\n", out["account"].get<std::string>().c_str());
    std::printf("ARN:               %s\n", out["arn"].get<std::string>().c_str());
    std::printf("User ID:           %s\n", out["user_id"].get<std::string>().c_str());
    std::printf("Credential source: %s\n", source->c_str());
    std::printf("Region:            %s\n", region.c_str());
  }
  return 0;
}

}  // namespace

void RegisterWhoamiCommands(CLI::App& app, GlobalOptions& globals, int* exit_code) {
  (void)globals;
  auto flags = std::make_shared<WhoamiFlags>();
  auto* cmd = app.add_subcommand("whoami", "Show the AWS account, ARN and credential source in use");
  cmd->add_option("--region", flags->region, "Region for the STS call (default: AWS_REGION, profile, us-east-1)");
  cmd->add_option("--profile", flags->profile, "Shared-config profile to use instead of AWS_PROFILE");
  cmd->add_flag("--json", flags->json, "Print JSON instead of text");
  cmd->callback([flags, exit_code] { *exit_code = RunWhoami(*flags); });
}

}  // namespace infra::cli
