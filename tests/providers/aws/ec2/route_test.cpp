// aws_route and aws_route_table_association over the scripted client: a
// route's composite id, its read from the route tables (a NAT target that
// AWS reports as gatewayId), ReplaceRoute in place; an association's new id
// after ReplaceRouteTableAssociation, the main association being no
// resource, and adoption by subnet. Golden wire: route.txt,
// route_table_association.txt.
#include "ec2_wire.h"

namespace infra::test {
namespace {

class RouteTest : public Ec2WireTest {
 protected:
  void ScriptTables(const std::string& route_target, const std::string& assoc_table = "rtb-1",
                    const std::string& assoc_id = "rtbassoc-1") {
    client_->Reply("DescribeRouteTables", Xml("DescribeRouteTables",
        "<routeTableSet><item><routeTableId>" + assoc_table + "</routeTableId><routeSet>"
        "<item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><origin>CreateRouteTable</origin></item>"
        "<item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock>" + route_target +
        "<origin>CreateRoute</origin><state>active</state></item></routeSet><associationSet>"
        "<item><routeTableAssociationId>rtbassoc-main</routeTableAssociationId><routeTableId>" + assoc_table +
        "</routeTableId><main>true</main></item>"
        "<item><routeTableAssociationId>" + assoc_id + "</routeTableAssociationId><routeTableId>" + assoc_table +
        "</routeTableId><subnetId>subnet-1</subnetId><main>false</main></item>"
        "</associationSet></item></routeTableSet>"));
  }
};

TEST_F(RouteTest, RouteCreateReplaceDeleteOnTheWire) {
  auto ctx = Ctx("aws_route.default");
  Ok("CreateRoute");
  ScriptTables("<gatewayId>igw-1</gatewayId>");
  nlohmann::json desired = {{"route_table_id", "rtb-1"}, {"destination_cidr_block", "0.0.0.0/0"}, {"gateway_id", "igw-1"}};
  auto created = T("aws_route").Create(ctx, desired);
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(created->attributes, (nlohmann::json{
      {"id", "rtb-1_0.0.0.0/0"}, {"route_table_id", "rtb-1"}, {"destination_cidr_block", "0.0.0.0/0"},
      {"gateway_id", "igw-1"}, {"nat_gateway_id", nullptr}, {"vpc_peering_connection_id", nullptr},
      {"origin", "CreateRoute"}, {"state", "active"}}));
  EXPECT_FALSE(client_->calls().at(0).idempotent);  // a repeat fails with RouteAlreadyExists: looked up instead

  Ok("ReplaceRoute");
  ScriptTables("<gatewayId>nat-1</gatewayId>");  // a NAT target reported as gatewayId
  auto next = desired;
  next.erase("gateway_id");
  next["nat_gateway_id"] = "nat-1";
  auto replaced = T("aws_route").Update(ctx, created->attributes, next);
  ASSERT_TRUE(replaced.ok()) << replaced.error().ToString();
  EXPECT_EQ(replaced->attributes["nat_gateway_id"], "nat-1");
  EXPECT_EQ(replaced->attributes["gateway_id"], nullptr);

  Ok("DeleteRoute");
  auto deleted = T("aws_route").Delete(ctx, replaced->attributes);
  ASSERT_TRUE(deleted.ok());
  // Not a route id: cannot exist, no call.
  auto none = T("aws_route").Read("eu-west-1", {"rtb-without-destination"});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(client_->remaining(), 0u);
  ExpectWire("route", client_->calls());
}

TEST_F(RouteTest, AssociationCreateSwitchAdoptDeleteOnTheWire) {
  auto ctx = Ctx("aws_route_table_association.a");
  client_->Reply("AssociateRouteTable", Xml("AssociateRouteTable", "<associationId>rtbassoc-1</associationId>"));
  ScriptTables("");
  auto created = T("aws_route_table_association").Create(ctx, {{"subnet_id", "subnet-1"}, {"route_table_id", "rtb-1"}});
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  EXPECT_EQ(created->attributes, (nlohmann::json{{"id", "rtbassoc-1"}, {"route_table_id", "rtb-1"},
                                                 {"subnet_id", "subnet-1"}, {"gateway_id", nullptr}}));
  client_->Reply("ReplaceRouteTableAssociation", Xml("ReplaceRouteTableAssociation",
                                                     "<newAssociationId>rtbassoc-2</newAssociationId>"));
  ScriptTables("", "rtb-2", "rtbassoc-2");
  auto switched = T("aws_route_table_association").Update(ctx, created->attributes,
                                                          {{"subnet_id", "subnet-1"}, {"route_table_id", "rtb-2"}});
  ASSERT_TRUE(switched.ok()) << switched.error().ToString();
  EXPECT_EQ(switched->attributes["id"], "rtbassoc-2");
  ScriptTables("", "rtb-2", "rtbassoc-2");
  auto found = T("aws_route_table_association").FindByAddress(ctx, {{"subnet_id", "subnet-1"}, {"route_table_id", "rtb-2"}});
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found)["id"], "rtbassoc-2");
  Ok("DisassociateRouteTable");
  ASSERT_TRUE(T("aws_route_table_association").Delete(ctx, switched->attributes).ok());
  EXPECT_EQ(client_->remaining(), 0u);
  ExpectWire("route_table_association", client_->calls());
}

}  // namespace
}  // namespace infra::test
