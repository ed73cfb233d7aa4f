// pugixml wrappers used by every XML-speaking resource family, so path
// walking and error wording are written once.
#include "providers/aws/sdk/xml_reader.h"

#include <fmt/format.h>

namespace infra::aws {

Status ParseXml(const std::string& body, pugi::xml_document* doc, std::string_view what) {
  pugi::xml_parse_result r = doc->load_buffer(body.data(), body.size());
  if (!r) {
    return MakeError(Error::Kind::kInternal, "MalformedReply",
                     fmt::format("{}: reply is not valid XML ({} at offset {})", what, r.description(),
                                 r.offset));
  }
  return {};
}

pugi::xml_node XmlPath(pugi::xml_node node, std::string_view path) {
  while (!path.empty() && node) {
    size_t slash = path.find('/');
    std::string name(path.substr(0, slash));
    node = node.child(name.c_str());
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return node;
}

std::string XmlText(pugi::xml_node node, std::string_view path) {
  pugi::xml_node n = XmlPath(node, path);
  return n ? std::string(n.child_value()) : std::string();
}

pugi::xml_node XmlFind(pugi::xml_node node, std::string_view name) {
  return node.find_node([name](pugi::xml_node n) { return n.name() == name; });
}

std::vector<pugi::xml_node> XmlItems(pugi::xml_node node, std::string_view path) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c : XmlPath(node, path).children())
    if (c.type() == pugi::node_element) out.push_back(c);
  return out;
}

}  // namespace infra::aws
