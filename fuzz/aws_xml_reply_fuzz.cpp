// Fuzz target: the XML reply parsers (query, EC2, REST-XML: S3, Route 53).
// The input is the body (its length picks the HTTP status and content
// type, so the seeds stay well-formed replies): parsed as a reply and
// walked as the services read it (paths, items, text), as an error reply
// of each XML protocol, and as an STS credentials reply.
#include <cstdint>
#include <pugixml.hpp>
#include <string>

#include "providers/aws/sdk/aws_error.h"
#include "providers/aws/sdk/credentials_sources.h"
#include "providers/aws/sdk/transport.h"
#include "providers/aws/sdk/xml_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace infra::aws;
  const unsigned pick = static_cast<unsigned>(size);
  static const int kStatus[] = {200, 400, 403, 404, 409, 500, 503, 301};
  HttpResponse response;
  response.status = kStatus[pick % 8];
  response.body.assign(reinterpret_cast<const char*>(data), size);
  response.headers["content-type"] = pick & 8 ? "text/html" : "text/xml";
  pugi::xml_document doc;
  if (ParseXml(response.body, &doc, "fuzz reply").ok()) {
    pugi::xml_node root = doc.document_element();
    (void)XmlText(root, "vpcSet/item/vpcId");
    (void)XmlText(root, "DescribeDBClustersResult/Marker");
    (void)XmlPath(root, "ListBucketResult/Contents");
    (void)XmlFind(root, "NextToken");
    for (auto item : XmlItems(root, "reservationSet/item")) (void)XmlText(item, "instancesSet/item/instanceId");
    for (auto item : XmlItems(root, "ResourceRecordSets/ResourceRecordSet")) (void)XmlText(item, "Name");
    for (auto item : XmlItems(root, "tagSet/item")) (void)XmlText(item, "key");
  }
  for (const char* service : {"ec2", "rds", "s3", "route53", "iam", "sts", "sns"}) {
    auto e = ParseAwsError(service, "Op", response);
    (void)e.ToString();
    (void)ClassifyAwsError(e.code, response.status);
  }
  (void)RequestIdOf(response);
  (void)ParseStsCredentials(response.body, "AssumeRole", "fuzz");
  return 0;
}
