// aws_vpc_peering_connection (same- or cross-region; pending-acceptance
// until accepted) and aws_vpc_peering_connection_accepter (in the peer
// region: adopts the peering, accepts it when auto_accept, tags it there;
// its delete only forgets it, as in Terraform). auto_accept is an
// instruction, not readable: refresh keeps the configured value.
#include <algorithm>

#include "providers/aws/ec2/ec2_service.h"
#include "providers/aws/kit/tags.h"
#include "providers/aws/sdk/xml_reader.h"

namespace infra::aws::ec2 {
namespace {

using provider::ApplyResult;
using provider::Attributes;
using provider::AttrType;
using provider::OperationContext;
using provider::Phase;
using provider::PollResult;
using provider::PollStatus;
using namespace schema;

// An accept whose reply was lost is re-sent by the client and the repeat
// answers InvalidStateTransition (already active): that is the accept
// done. Both callers then wait for `active` (Poll), so a peering that
// really cannot be accepted (rejected, failed) still fails there.
Status Accept(const kit::Call& call, const std::string& region, const std::string& id) {
  Status st = Done(call(region, "AcceptVpcPeeringConnection", {{"VpcPeeringConnectionId", id}}));
  if (!st.ok() && st.error().code == "InvalidStateTransition") return Status();
  return st;
}

// Accepts on any update while the peering still waits for it.
kit::UpdateOp AcceptWhenAsked() {
  return {{"auto_accept", "tags"}, "", {}, {}, {}, {},
          [](const kit::Call& call, const std::string& region, const std::string& id, const Attributes& prior,
             const Attributes& desired) {
            if (!Bool(desired, "auto_accept") || Str(prior, "accept_status") != "pending-acceptance") return Status();
            return Accept(call, region, id);
          }};
}

// The two sides read the same item, mirrored; a peering that is gone
// (deleted, rejected, failed, expired) reads as absent.
kit::Spec PeeringSpec(bool accepter) {
  const std::string self = accepter ? "accepterVpcInfo/" : "requesterVpcInfo/";
  const std::string peer = accepter ? "requesterVpcInfo/" : "accepterVpcInfo/";
  std::vector<provider::AttributeSchema> attrs;
  if (accepter) {
    attrs = {Required("vpc_peering_connection_id", kForceNew), Optional("auto_accept", kNone, AttrType::kBool),
             Tags(), Computed("id"), Computed("accept_status"), Computed("vpc_id"), Computed("peer_vpc_id"),
             Computed("peer_owner_id"), Computed("peer_region")};
  } else {
    attrs = {Required("vpc_id", kForceNew), Required("peer_vpc_id", kForceNew),
             OptionalComputed("peer_owner_id", kForceNew), OptionalComputed("peer_region", kForceNew),
             Optional("auto_accept", kNone, AttrType::kBool), Tags(), Computed("id"), Computed("accept_status")};
  }
  kit::Spec spec{Schema(accepter ? "aws_vpc_peering_connection_accepter" : "aws_vpc_peering_connection",
                        std::move(attrs)),
                 Service("vpc-peering-connection"), {
      {"vpc_id", "VpcId", self + "vpcId"},
      {"peer_vpc_id", "PeerVpcId", peer + "vpcId"},
      {"peer_owner_id", "PeerOwnerId", peer + "ownerId"},
      {"peer_region", "PeerRegion", peer + "region"},
      {"accept_status", "", "status/code", kit::Conv::kString, kit::kRead},
  }, {"CreateVpcPeeringConnection", "vpcPeeringConnection/vpcPeeringConnectionId"}};
  spec.updates = {AcceptWhenAsked()};
  spec.del = {accepter ? "" : "DeleteVpcPeeringConnection"};
  spec.read = ReadByIds("DescribeVpcPeeringConnections", "VpcPeeringConnectionId", "vpcPeeringConnectionSet",
                        "vpcPeeringConnectionId", "vpc-peering-connection-id");
  spec.wait = kit::Wait{"accept_status", {"active"}, {"initiating-request", "provisioning", "pending-acceptance"}};
  spec.hooks.on_read = [accepter](pugi::xml_node, const std::string&, Attributes& a) {
    std::string status = Str(a, "accept_status");
    if (status == "deleted" || status == "deleting" || status == "rejected" || status == "failed" ||
        status == "expired") {
      a = nullptr;
      return;
    }
    if (accepter) a["vpc_peering_connection_id"] = a["id"];
  };
  if (accepter) {
    spec.adopt = {kit::Adoption::Kind::kById};
    spec.hooks.id_of = [](const Attributes& desired, pugi::xml_node) {
      return Str(desired, "vpc_peering_connection_id");
    };
  } else {
    spec.hooks.after_create = [](const kit::Call& call, const OperationContext& ctx, const std::string& id,
                                 const Attributes& desired) {
      return Bool(desired, "auto_accept") ? Accept(call, ctx.region, id) : Status();
    };
  }
  return spec;
}

// Both sides wait after create and update: for `active` when auto_accept,
// otherwise `pending-acceptance` is final too.
class PeeringType : public kit::SpecType {
 public:
  using SpecType::SpecType;

  Result<PollResult> Poll(const OperationContext& ctx, const Attributes& current, Phase phase) override {
    if (phase == Phase::kDelete) return SpecType::Poll(ctx, current, phase);
    auto got = ReadOne(ctx.region, Str(current, "id"));
    if (!got.ok()) return got.error();
    PollResult r;
    r.attributes = std::move(*got);
    std::string status = Str(r.attributes, "accept_status");
    r.detail = "status " + status;
    const kit::Wait& w = *spec_.wait;
    bool want_active = Bool(current, "auto_accept");
    if (status == "active" || (!want_active && status == "pending-acceptance")) return r;
    bool pending = std::find(w.pending.begin(), w.pending.end(), status) != w.pending.end();
    r.status = pending ? PollStatus::kPending : PollStatus::kFailed;
    return r;
  }
};

// The accepter's create: the peering exists already; accept and tag it.
class AccepterType : public PeeringType {
 public:
  using PeeringType::PeeringType;

  Result<ApplyResult> Create(const OperationContext& ctx, const Attributes& desired) override {
    std::string id = Str(desired, "vpc_peering_connection_id");
    auto current = ReadOne(ctx.region, id);
    if (!current.ok()) return current.error();
    if (Bool(desired, "auto_accept") && Str(*current, "accept_status") == "pending-acceptance")
      if (auto st = Accept(call(), ctx.region, id); !st.ok()) return st.error();
    QueryParams p;
    AddEc2List(p, "ResourceId", {id});
    AddEc2Tags(p, kit::InfraTags(ctx, Get(desired, "tags")));
    if (auto st = Done(call()(ctx.region, "CreateTags", p)); !st.ok()) return st.error();
    Attributes a = desired;
    a["id"] = id;
    return ApplyResult{a, true};  // Poll waits for active when auto_accept
  }
};

}  // namespace

std::unique_ptr<kit::SpecType> NewPeeringType(std::shared_ptr<AwsClient> client) {
  return std::make_unique<PeeringType>(std::move(client), PeeringSpec(false));
}

std::unique_ptr<kit::SpecType> NewPeeringAccepterType(std::shared_ptr<AwsClient> client) {
  return std::make_unique<AccepterType>(std::move(client), PeeringSpec(true));
}

}  // namespace infra::aws::ec2
