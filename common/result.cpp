// Error formatting.
#include "common/result.h"

#include <fmt/format.h>

namespace infra {

std::string Error::ToString() const {
  std::string out = code.empty() ? message : (message.empty() ? code : code + ": " + message);
  if (!service.empty() || http_status != 0 || !request_id.empty()) {
    std::string where;
    if (!service.empty()) where = service + (operation.empty() ? "" : " " + operation);
    if (http_status != 0) where += fmt::format("{}HTTP {}", where.empty() ? "" : ", ", http_status);
    if (!request_id.empty()) where += fmt::format("{}request id {}", where.empty() ? "" : ", ", request_id);
    out += " (" + where + ")";
  }
  return out;
}

Error MakeError(Error::Kind kind, std::string code, std::string message) {
  Error e;
  e.kind = kind;
  e.code = std::move(code);
  e.message = std::move(message);
  return e;
}

}  // namespace infra
