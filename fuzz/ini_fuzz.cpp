// Fuzz target: the AWS shared config / credentials file parser (an INI
// dialect) and the profile merge the credential chain does over it. The
// input is used as both files.
#include <cstdint>
#include <string>

#include "providers/aws/sdk/credentials_sources.h"
#include "providers/aws/sdk/ini_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace infra::aws;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  SharedFiles files;
  files.credentials = ParseIni(text, "credentials");
  files.config = ParseIni(text, "config");
  files.credentials_found = files.config_found = true;
  for (const auto& [name, section] : files.config.sections) {
    (void)files.config.Find(name);
    (void)files.Profile(name);
    if (name.rfind("profile ", 0) == 0) (void)files.Profile(name.substr(8));
  }
  (void)files.Profile("default");
  return 0;
}
