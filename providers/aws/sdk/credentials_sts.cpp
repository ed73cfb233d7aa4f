// Parsing the <Credentials> element of STS AssumeRole and
// AssumeRoleWithWebIdentity replies (pugixml), and ISO 8601 timestamps.
#include <pugixml.hpp>

#include <cstdio>
#include <ctime>

#include "providers/aws/sdk/credentials_sources.h"

namespace infra::aws {

std::optional<TimePoint> ParseIso8601(std::string_view s) {
  std::string str(s);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, consumed = 0;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &consumed) !=
          6 ||
      consumed != 19) {
    return std::nullopt;
  }
  std::string_view rest = s.substr(19);
  if (!rest.empty() && rest.front() == '.') {  // fractional seconds: ignored
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
  }
  if (rest != "Z" && rest != "+00:00" && !rest.empty()) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  // system_clock counts nanoseconds in 64 bits (years 1678-2262): a year
  // outside overflowed in from_time_t (UBSan, fuzz/regressions/aws_xml_reply).
  if (y < 1900 || y > 2200) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Result<Credentials> ParseStsCredentials(std::string_view xml, std::string_view action,
                                        std::string source) {
  auto bad = [&](std::string_view what) {
    return MakeError(Error::Kind::kAuth, "InvalidStsResponse",
                     std::string("STS ") + std::string(action) + " returned a reply without " +
                         std::string(what));
  };
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return bad("well-formed XML");
  pugi::xml_node creds = doc.select_node("//*[local-name()='Credentials']").node();
  if (!creds) return bad("a Credentials element");
  auto text = [&](const char* name) { return std::string(creds.child(name).text().get()); };
  Credentials out;
  out.access_key_id = text("AccessKeyId");
  out.secret_access_key = text("SecretAccessKey");
  out.session_token = text("SessionToken");
  out.source = std::move(source);
  if (out.access_key_id.empty() || out.secret_access_key.empty() || out.session_token.empty()) {
    return bad("AccessKeyId, SecretAccessKey and SessionToken");
  }
  auto expiration = ParseIso8601(text("Expiration"));
  if (!expiration) return bad("a valid Expiration");
  out.expiration = *expiration;
  return out;
}

}  // namespace infra::aws
