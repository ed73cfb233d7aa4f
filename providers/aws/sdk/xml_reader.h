// Reading AWS XML replies (EC2, query, REST-XML) with pugixml: parse a body,
// take the text at a relative path, walk EC2 `<fooSet><item>` lists and
// query `<Foo><member>` lists. Element names are matched exactly
// (namespace-blind, since AWS uses a default xmlns).
#pragma once
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace infra::aws {

/// Parses `body` into `doc`. Error (kInternal, code "MalformedReply") names
/// `what` (e.g. "ec2 DescribeVpcs") and pugixml's reason.
Status ParseXml(const std::string& body, pugi::xml_document* doc, std::string_view what);

/// The text at `path` ("a/b/c", child names) below `node`; "" when absent.
std::string XmlText(pugi::xml_node node, std::string_view path);

/// The node at `path` below `node` (null node when absent).
pugi::xml_node XmlPath(pugi::xml_node node, std::string_view path);

/// The first element named `name` at any depth below `node` (null if none).
pugi::xml_node XmlFind(pugi::xml_node node, std::string_view name);

/// The element children of the node at `path` (EC2: "vpcSet" -> its
/// <item>s; query: "DescribeDBClustersResult/DBClusters" -> its members).
std::vector<pugi::xml_node> XmlItems(pugi::xml_node node, std::string_view path);

}  // namespace infra::aws
