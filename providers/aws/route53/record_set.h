// A Route 53 record set as aws_route53_record sees it: its id
// ("<zone>_<name>_<type>[_<set>]", Terraform's import form, with the name
// spelled as in the stack), the key that matches it whatever the spelling
// (case, trailing dot, "\052"), and its wire form both ways (names
// normalised; TXT / SPF values quoted on the wire only); a zone's records
// deleted for force_destroy.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "providers/aws/kit/spec.h"
#include "providers/aws/sdk/aws_client.h"

namespace infra::aws::route53 {

/// The record types aws_route53_record accepts.
extern const std::vector<std::string> kRecordTypes;

/// The id of a record from its zone_id, name (as spelled), type and
/// set_identifier.
std::string RecordId(const provider::Attributes& a);
/// RecordId with the name normalised: equal for the same record set.
std::string RecordKey(const provider::Attributes& a);
/// {zone_id, name, type[, set_identifier]} of an id (the type is the last
/// known record type between underscores, so names may hold '_'); null
/// when `id` is not a record id.
provider::Attributes ParseRecordId(const std::string& id);

/// The ResourceRecordSet members for attributes `a` through `fields`; the
/// same for the same attributes (a DELETE must repeat what was last sent).
nlohmann::json ToRecordSet(const std::vector<kit::Field>& fields, const provider::Attributes& a);
/// The attributes of a listed record set of `zone` (id by RecordId of the
/// normalised name, fqdn the normalised name).
provider::Attributes FromRecordSet(const std::vector<kit::Field>& fields, const std::string& zone,
                                   const nlohmann::json& rs);

/// One ChangeResourceRecordSets call of `changes` ({Action, ResourceRecordSet}
/// each) on `zone`, its body written in the order Route 53's schema wants
/// (Name, Type, SetIdentifier, Weight, Region, Failover, TTL,
/// ResourceRecords, AliasTarget, HealthCheckId: it refuses other orders);
/// the reply as JSON (ChangeInfo).
Result<nlohmann::json> ChangeRecordSets(AwsClient* client, const std::string& zone, const nlohmann::json& changes,
                                        bool idempotent);

/// force_destroy of zone `zone` named `name`: every record set but the apex
/// SOA and NS deleted, 100 changes a call (listed by `call`, which has the
/// record routes).
Status DeleteZoneRecords(const kit::JsonCall& call, AwsClient* client, const std::string& zone,
                         const std::string& name);

}  // namespace infra::aws::route53
